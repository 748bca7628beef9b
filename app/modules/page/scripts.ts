/**
 * Which pages ship JavaScript. Every page works without it (progressive
 * enhancement); a route that has something better to offer with it — live
 * search, practice mode, the live preview of a proposal — says so in its
 * `handle`:
 *
 *   export const handle: PageHandle = { scripts: true };
 *
 * Reading pages (home, tags, questions, about, errors) ship none: no React,
 * no router, no loader data in the page; their links are plain links and the
 * theme toggle is a few lines of inline script. See docs/decisions/022.
 * Pure: used by the root layout (whether to render <Scripts>) and by
 * app/entry.server.tsx (whether to stream the loader data for hydration).
 */
export interface PageHandle {
  /** This page hydrates: React takes over in the browser. */
  scripts?: boolean;
}

/** True when any matched route asks for scripts. */
export function pageShipsScripts(handles: readonly unknown[]): boolean {
  return handles.some((handle) => typeof handle === "object" && handle !== null && (handle as PageHandle).scripts === true);
}
