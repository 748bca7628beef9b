/**
 * A proposal's history as its contributor reads it: the steps in plain words
 * (received, in review, changes requested, merged or closed), who decided and
 * what they wrote — no branch, commit, attempt or repository path (the status
 * page keeps those in a collapsed "technical details"). Pure.
 */
import { readDecision } from "./decisions";
import type { ProposalEvent, ProposalStatus } from "./store.server";

export interface StatusWords {
  label: string;
  short: string;
  explain: string;
}

/**
 * A proposal's status in words, for its contributor: the status page shows
 * `label` and `explain`; the list of your proposals (/contributions) shows
 * `short`, the same label except for a held-up delivery, where the list
 * (no room for the explanation) says first that the proposal was received.
 */
export const STATUS_TEXT: Record<ProposalStatus, StatusWords> = {
  queued: { label: "Received", short: "Received", explain: "Your proposal is saved. It is on its way to the maintainers' review queue; this page says when it is there." },
  opened: { label: "In review", short: "In review", explain: "The maintainers can see your proposal and will review it." },
  changes_requested: { label: "Changes requested", short: "Changes requested", explain: "A maintainer asked for changes: see their comment below." },
  merged: { label: "Merged", short: "Merged", explain: "Your proposal is part of the wiki now. Thank you!" },
  closed: { label: "Closed", short: "Closed", explain: "A maintainer closed this proposal without merging it: see why below." },
  failed: {
    label: "Not delivered yet",
    short: "Received (delivery held up)",
    explain: "Your proposal is saved, but it could not be delivered to the maintainers. Nothing is lost: it can be sent again.",
  },
};

/** The words for a status; one the site does not know (a newer version's) shows as it is. */
export function statusText(status: string): StatusWords {
  return (STATUS_TEXT as Partial<Record<string, StatusWords>>)[status] ?? { label: status, short: status, explain: "" };
}

export type StepKind = "received" | "review" | "revised" | "updated" | "renumbered" | "changes-requested" | "merged" | "closed" | "failed" | "next";

export interface TimelineStep {
  kind: StepKind;
  /** A few words: "Received", "In review", "Merged". */
  label: string;
  /** One sentence in plain words. */
  text: string;
  /** ISO time; absent for the step still to come. */
  at?: string;
  /** Who decided (`@mia`, a name, `a maintainer`). */
  by?: string;
  /** The maintainer's comment, Markdown as typed (the page renders it sanitised). */
  comment?: string;
}

/** The steps, oldest first, ending with what comes next while the proposal is undecided. */
export function statusTimeline(events: readonly Pick<ProposalEvent, "type" | "detail" | "at">[], status: ProposalStatus): TimelineStep[] {
  const steps: TimelineStep[] = [];
  let inReview = false;
  for (const e of events) {
    const { by, comment } = readDecision(e);
    const who = by ? { by } : {};
    switch (e.type) {
      case "created":
        steps.push({ kind: "received", label: "Received", text: "The site received your proposal and saved it.", at: e.at });
        break;
      case "queued-for-review":
      case "opened":
        // Delivery notes it twice on some forges (queued, then opened): one step. Later ones are reopenings.
        if (!inReview || steps.at(-1)?.kind === "closed" || steps.at(-1)?.kind === "failed") {
          const again = inReview;
          steps.push({ kind: "review", label: again ? "Back in review" : "In review", text: again ? "Your proposal is open for review again." : "The maintainers can see your proposal and will review it.", at: e.at });
        }
        inReview = true;
        break;
      case "revised":
        // The contributor's own revision after review: back in review with the new version.
        steps.push({ kind: "revised", label: "Revised", text: "You revised your proposal; it is back in review.", at: e.at });
        inReview = true;
        break;
      case "updated":
        steps.push({ kind: "updated", label: "Updated", text: "New changes were added to your proposal.", at: e.at });
        break;
      case "renumbered":
        steps.push({ kind: "renumbered", label: "Renumbered", text: e.detail, at: e.at });
        break;
      case "changes-requested":
        steps.push({ kind: "changes-requested", label: "Changes requested", text: `${capital(by ?? "a maintainer")} asked for changes${comment ? ":" : "."}`, at: e.at, ...who, ...(comment ? { comment } : {}) });
        break;
      case "merged":
        steps.push({ kind: "merged", label: "Merged", text: `Merged${by ? ` by ${by}` : ""}: your proposal is part of the wiki.`, at: e.at, ...who });
        break;
      case "closed":
        steps.push({ kind: "closed", label: "Closed", text: `Closed without merging${by ? ` by ${by}` : ""}${comment ? ":" : "."}`, at: e.at, ...who, ...(comment ? { comment } : {}) });
        break;
      case "failed":
        steps.push({ kind: "failed", label: "Not delivered yet", text: "Your proposal could not be delivered to the maintainers. Nothing is lost: it can be sent again.", at: e.at });
        break;
      default:
        // Delivery internals (attempts, retries, labels, forks): technical details only.
        break;
    }
  }
  const next = NEXT[status];
  if (next) steps.push({ kind: "next", label: "Next", text: next });
  return steps;
}

const NEXT: Partial<Record<ProposalStatus, string>> = {
  queued: "Your proposal is on its way to the maintainers' review queue.",
  opened: "A maintainer reviews it: they merge it, or ask you for changes.",
  changes_requested: "Revise your proposal with the changes asked for; a maintainer then reviews it again.",
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
