import { isAnswerFile } from "~/modules/contract";
import type { DeliverableProposal } from "./types";

/** The commit e-mail of a contributor who gave neither an e-mail nor a GitHub account GitHub knows: credits no account. */
export const NEUTRAL_CONTRIBUTOR_EMAIL = "contributors@noreply.django-questions.invalid";

/** Characters of the proposal id used in the branch name. */
export const SHORT_ID_LENGTH = 8;

/**
 * What a proposal is about: `question` for a new question or an edit of a
 * question, `answer` for a new answer or an edit of an answer. Names the
 * branch, labels the pull request and words the commit.
 */
export function proposalArea(p: Pick<DeliverableProposal, "kind" | "files">): "question" | "answer" {
  if (p.kind !== "edit") return p.kind;
  return p.files.some((f) => isAnswerFile(f.path)) ? "answer" : "question";
}

/**
 * `contrib/<question|answer>/<slug>-<short id>`, the area from `proposalArea`.
 * Always a valid git ref name (slugs are kebab-case, ids URL-safe).
 */
export function branchName(p: Pick<DeliverableProposal, "id" | "kind" | "slug" | "files">): string {
  const shortId = p.id
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, SHORT_ID_LENGTH);
  const slug = p.slug.replace(/[^a-z0-9-]/g, "-").slice(0, 60) || "proposal";
  return `contrib/${proposalArea(p)}/${slug}-${shortId}`;
}

/** The trailer that marks a commit as the one of a proposal. */
export function proposalTrailer(id: string): string {
  return `Proposal-Id: ${id}`;
}

export function commitCarriesProposal(message: string, id: string): boolean {
  return message.split("\n").some((line) => line.trim() === proposalTrailer(id));
}

/**
 * GitHub's no-reply address of an account, `<id>+<login>@users.noreply.github.com`: the form
 * GitHub links commits by (accounts made after July 2017 have no other). Pure, so the review
 * side can credit the account the delivery resolved (`DeliveryProgress.githubUser`).
 */
export function githubNoreplyEmail(account: { id: number; login: string }): string {
  return `${account.id}+${account.login}@users.noreply.github.com`;
}
