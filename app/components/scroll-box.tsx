import type { ReactNode } from "react";

/**
 * A box that scrolls sideways by itself when its content (a table) is wider
 * than the screen, so the page never does. Focusable and labelled, so a
 * keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollBox({ labelledBy, label, children }: { labelledBy?: string; label?: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="group" aria-labelledby={labelledBy} aria-label={labelledBy ? undefined : label}>
      {children}
    </div>
  );
}
