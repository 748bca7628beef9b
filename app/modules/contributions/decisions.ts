/**
 * The words of the maintainers' decisions in a proposal's timeline
 * (`proposal_events.detail`), written and read in one place. Pure.
 *
 * The review service writes them (`decisionText`); the contributor's status
 * page and the review screen's history read back who decided and the
 * maintainer's comment (`readDecision`), also from what the GitHub sync writes
 * (`Merged as #4 by @mia.`, `@mia asked for changes on #4.`) and from events
 * stored before maintainers were named (`a maintainer`).
 */

/** Who acted, as the timeline names them: `@mia` (GitHub sign-in), the name given at token sign-in, or `a maintainer`. */
export type MaintainerName = string;

export const UNNAMED_MAINTAINER = "a maintainer";

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const decisionText = {
  merged(by: MaintainerName, number: number, options: { live: boolean; commit?: string; renumbered?: string }): string {
    const renumbered = options.renumbered ?? "";
    return options.live
      ? `Merged by ${by} (#${number}): it is on the site now.${renumbered}${options.commit ? ` Commit ${options.commit}.` : ""}`
      : `Merged by ${by} as #${number}${options.commit ? ` (squashed into ${options.commit})` : ""}.${renumbered} The site shows it as soon as it has pulled the change.`;
  },
  changesRequested(by: MaintainerName, comment: string): string {
    return `${capitalise(by)} asked for changes: ${comment}`;
  },
  closed(by: MaintainerName, comment: string): string {
    return `Closed by ${by} without merging: ${comment}`;
  },
};

export interface Decision {
  /** Who decided, when the event says (`@mia`, `Mia Maintainer`, `a maintainer`). */
  by?: string;
  /** The maintainer's comment (Markdown, as typed). */
  comment?: string;
}

const PATTERNS: Record<string, RegExp[]> = {
  merged: [/^Merged by (?<by>.+?) (?:\(#\d+\)|as #\d+)/, /^Merged as #\d+ by (?<by>@[A-Za-z0-9-]+)\./],
  "changes-requested": [/^(?<by>.+?) asked for changes: (?<comment>[\s\S]*)$/, /^(?<by>.+?) asked for changes on #\d+\.$/],
  closed: [/^Closed by (?<by>.+?) without merging: (?<comment>[\s\S]*)$/],
};

/** Who decided and what they wrote, read from a decision event; `{}` for other events or other words. */
export function readDecision(event: { type: string; detail: string }): Decision {
  for (const pattern of PATTERNS[event.type] ?? []) {
    const m = pattern.exec(event.detail);
    if (!m?.groups) continue;
    const by = m.groups.by === "A maintainer" ? UNNAMED_MAINTAINER : m.groups.by;
    return { ...(by ? { by } : {}), ...(m.groups.comment ? { comment: m.groups.comment } : {}) };
  }
  return {};
}
