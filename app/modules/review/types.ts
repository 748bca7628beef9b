/**
 * What the review screens show. Pure types (shared by the server module and
 * the components in app/components/review/).
 */
import type { ProposalPreview } from "~/modules/contributions/preview.server";
import type { ProposalEvent, ProposalStatus } from "~/modules/contributions/store.server";
import type { DiffLine } from "~/modules/diff/line-diff";
import type { ActingAs, CheckRun } from "~/modules/forge/types";
import type { SimilarQuestion } from "~/modules/search";
import type { Finding } from "~/modules/validation/types";
import type { CheckSummary } from "./checks";

export type ReviewKind = "question" | "answer" | "edit" | "pull-request";

export interface QueueItem {
  /** Proposal id, or `pr-<number>` for a pull request not made by the form. */
  id: string;
  kind: ReviewKind;
  title: string;
  /** Who proposed it: name (and @github), or the pull request's author. */
  contributor: string;
  createdAt: string;
  /** The proposal's status; `opened` for pull requests not made by the form. */
  status: ProposalStatus;
  /** Pull request number (GitHub) or local review number. */
  number?: number;
  /** The pull request on GitHub. */
  url?: string;
  check: CheckSummary;
  /** Existing questions like the proposed one. */
  duplicates: SimilarQuestion[];
}

export interface ReviewFile {
  path: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** `null` marks skipped unchanged lines. */
  lines: (DiffLine | null)[];
}

/** What the review page says about the forge (its words: `ForgeTexts`). */
export interface ReviewForgeTexts {
  name: string;
  /** What one change is called, as a label: `Pull request`. */
  changeLabel: string;
  /** Appended to a renumbering notice: how the forge renumbers. */
  renumbering: string;
  /** What merging does. */
  mergeHint: string;
  /** Whose identity the actions use on the forge (absent for a forge without identities). */
  actingNote?: string;
}

export interface ReviewDetail {
  item: QueueItem;
  forge: ReviewForgeTexts;
  /** The change rendered as the site will show it (absent when it cannot be rendered, e.g. broken front matter). */
  preview?: ProposalPreview;
  files: ReviewFile[];
  /** Every finding of the content check on the change. */
  findings: Finding[];
  /** The forge's check runs on the head commit (none on a forge without CI). */
  checkRuns: CheckRun[];
  similar: SimilarQuestion[];
  /** The contributor's note to reviewers (plain text, one line; absent when they wrote none). */
  note?: string;
  /** The proposal's timeline (empty for pull requests not made by the form). */
  events: ProposalEvent[];
  /** New question numbers the merge will give (the proposed number was taken meanwhile). */
  renumbering: { path: string; from: number; to: number }[];
  /** Merge, request changes and close are possible (the change is open). */
  open: boolean;
  /**
   * Whose identity the actions use on the forge — the signed-in maintainer's own (forge sign-in),
   * or the site's (token sign-in). Absent for a forge without identities (the local queue).
   */
  actingAs?: ActingAs;
  /** Why merging is not possible now, when it is not. */
  mergeBlocked?: string;
  /** Where the merged question can be read (after a merge). */
  siteUrl?: string;
}

export type ReviewAction = "merge" | "request-changes" | "close";

export interface ActionOutcome {
  action: ReviewAction;
  message: string;
}
