/**
 * Shared set-up of the review tests: a content folder (optionally a git
 * repository), the content store over it, proposals stored and delivered
 * to the local queue exactly as the outbox does.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContentStore } from "~/modules/content/store.server";
import { createProposal, type Proposal, type ProposalData } from "~/modules/contributions/service.server";
import { claimProposal, getProposalRecord, markOpened, progressStore, proposalRecords, toDeliverable } from "~/modules/contributions/store.server";
import { createLocalDelivery } from "~/modules/forge/local/index.server";
import { REPO_FILES, TEMPLATE } from "../contributions/fixtures";

export function tempDir(prefix = "dq-review-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "Seed", GIT_AUTHOR_EMAIL: "seed@example.org", GIT_COMMITTER_NAME: "Seed", GIT_COMMITTER_EMAIL: "seed@example.org" },
  }).trim();
}

/** A repository folder with `content/` from the contribution fixtures; a git repository with one commit when `withGit`. */
export function contentRepo(withGit: boolean, files: Record<string, string> = REPO_FILES): { root: string; contentDir: string } {
  const root = tempDir();
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  if (withGit) {
    git(root, "init", "--quiet", "--initial-branch=main");
    git(root, "add", "--all");
    git(root, "commit", "--quiet", "-m", "Seed content");
  }
  return { root, contentDir: path.join(root, "content") };
}

export async function loadStore(contentDir: string): Promise<ContentStore> {
  const store = new ContentStore(contentDir);
  await store.load();
  return store;
}

/** Stores a proposal from form values and delivers it to the local queue (as the outbox would). */
export async function proposeLocally(data: ProposalData, store: ContentStore, form: Record<string, unknown>, at = new Date()): Promise<Proposal> {
  const result = await createProposal(form, { data, content: store.content, contentFiles: store.contentFiles, template: TEMPLATE, now: () => at });
  if (!result.ok) throw new Error(`proposal refused: ${JSON.stringify(result.fieldErrors)}`);
  const id = result.proposal.id;
  const t = at.getTime();
  if (!(await claimProposal(data, id, t, t + 60_000, "local"))) throw new Error("could not claim the proposal");
  const delivered = await createLocalDelivery({ records: proposalRecords(data) }).deliver(toDeliverable(result.proposal), await progressStore(data, id));
  await markOpened(data, id, delivered, t);
  return (await getProposalRecord(data, id))!;
}

/** The same example proposals as the contribution tests. */
export { answerForm, questionForm } from "../contributions/helpers";
