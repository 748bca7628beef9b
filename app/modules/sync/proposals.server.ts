/**
 * Review outcomes from GitHub → the proposal's status and timeline (what the
 * contributor sees on the status page). Shared by the webhook and the poller,
 * idempotent: applying the same state twice changes nothing the second time.
 */
import {
  addEvent,
  findProposalByChange,
  getProposalRecord,
  setReviewStatus,
  type Proposal,
  type ProposalData,
  type ProposalStatus,
} from "~/modules/contributions/store.server";
import { decisionText } from "~/modules/contributions/decisions";
import { parseProposalMarker } from "~/modules/forge/marker";
import type { ChangeState } from "~/modules/forge/types";

export interface PullRequestRef {
  number: number;
  /** The pull request body (carries the hidden proposal marker). */
  body?: string | null;
  /** The head branch's name. */
  headRef?: string | null;
}

/**
 * The proposal behind a pull request: the GitHub proposal that recorded this
 * pull request number, else the id in the body's hidden marker — but only
 * from the branch the proposal's delivery made: anyone can copy a marker into
 * the body of a pull request of their own.
 */
export async function findProposalForPullRequest(data: ProposalData, pr: PullRequestRef): Promise<Proposal | undefined> {
  const marker = parseProposalMarker(pr.body);
  if (marker) {
    const byMarker = await getProposalRecord(data, marker.id);
    if (byMarker?.prNumber === pr.number) return byMarker;
    // Not recorded yet (the delivery stopped between opening the pull request and saving its number):
    // only a pull request from the proposal's own branch is the one.
    if (byMarker && byMarker.prNumber === null && byMarker.branch !== null && pr.headRef === byMarker.branch) return byMarker;
  }
  return findProposalByChange(data, "github", pr.number, { orUnassigned: true });
}

export interface StateUpdate {
  proposalId: string;
  /** The status after the update. */
  status: ProposalStatus;
  /** Whether the status changed (false for a repeat). */
  changed: boolean;
}

export interface StateDetails {
  /** Who merged it (GitHub login), when known. */
  mergedBy?: string | null;
}

/**
 * Applies the pull request's state: merged → `merged`, closed unmerged →
 * `closed`, open again after a close → `opened`. A proposal still `queued`
 * is left to the outbox (it records the pull request when its delivery
 * finishes; the poller catches a review outcome that came first).
 */
export async function applyPullRequestState(
  data: ProposalData,
  proposal: Proposal,
  state: ChangeState,
  number: number,
  now: number,
  details: StateDetails = {},
): Promise<StateUpdate> {
  const unchanged = (): StateUpdate => ({ proposalId: proposal.id, status: proposal.status, changed: false });
  if (proposal.status === "queued") return unchanged();
  let target: Exclude<ProposalStatus, "queued" | "failed">;
  let detail: string;
  if (state === "merged") {
    target = "merged";
    detail = `Merged as #${number}${details.mergedBy ? ` by @${details.mergedBy}` : ""}. The site shows it as soon as it has pulled the change.`;
  } else if (state === "closed") {
    if (proposal.status === "merged") return unchanged();
    target = "closed";
    detail = `Closed without merging (#${number}).`;
  } else {
    // Open: only a proposal we had seen closed (or given up on) comes back.
    if (proposal.status !== "closed" && proposal.status !== "failed") return unchanged();
    target = "opened";
    detail = `Reopened for review (#${number}).`;
  }
  const changed = await setReviewStatus(data, proposal.id, target, detail, now);
  return { proposalId: proposal.id, status: changed ? target : proposal.status, changed };
}

/** New commits on the pull request: noted in the timeline; a proposal waiting for changes goes back to review. */
export async function notePullRequestUpdated(data: ProposalData, proposal: Proposal, number: number, now: number): Promise<StateUpdate> {
  if (proposal.status === "changes_requested") {
    const changed = await setReviewStatus(data, proposal.id, "opened", `New commits were pushed to #${number}: waiting for review again.`, now);
    return { proposalId: proposal.id, status: changed ? "opened" : proposal.status, changed };
  }
  if (proposal.status === "opened") await addEvent(data, proposal.id, "updated", `New commits were pushed to #${number}.`, new Date(now).toISOString());
  return { proposalId: proposal.id, status: proposal.status, changed: false };
}

/**
 * A maintainer asked for changes in a review on the forge. The review's text, when it has one, goes into the
 * timeline like a comment written on the site's review screen: the status page renders it, the mail quotes it.
 */
export async function noteChangesRequested(
  data: ProposalData,
  proposal: Proposal,
  number: number,
  now: number,
  reviewer?: string | null,
  comment?: string | null,
): Promise<StateUpdate> {
  if (proposal.status !== "opened") return { proposalId: proposal.id, status: proposal.status, changed: false };
  const who = reviewer ? `@${reviewer}` : "a maintainer";
  const text = comment?.trim();
  const changed = await setReviewStatus(
    data,
    proposal.id,
    "changes_requested",
    text ? decisionText.changesRequested(who, text) : `${who === "a maintainer" ? "A maintainer" : who} asked for changes on #${number}.`,
    now,
  );
  return { proposalId: proposal.id, status: changed ? "changes_requested" : proposal.status, changed };
}
