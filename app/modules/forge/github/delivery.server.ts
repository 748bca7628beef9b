/**
 * The GitHub forge's delivery: one proposal → one branch, one commit, one pull request.
 *
 * Happy path per proposal (see ../README.md for the call count):
 *   GET  /users/{username}                         the contributor's GitHub account, when a username was given
 *                                                  (once per process and username; 404 → not credited, a timeline note)
 *   GET  /repos/{o}/{r}/git/ref/heads/{base}       head commit of the base branch
 *   GET  /repos/{o}/{r}/git/commits/{sha}          its tree (skipped while the base has not moved)
 *   POST /repos/{o}/{r}/git/trees                  files inline on base_tree
 *   POST /repos/{o}/{r}/git/commits                author = contributor, Proposal-Id (+ Co-authored-by) trailer
 *   POST /repos/{o}/{r}/git/refs                   refs/heads/contrib/<question|answer>/<slug>-<id>
 *   POST /repos/{o}/{r}/pulls                      the body carries the proposal marker (../marker.ts)
 *   POST /repos/{o}/{r}/issues/{n}/labels
 * once per process: GET /repos/{o}/{r} (default branch), POST labels (422 already_exists is fine).
 *
 * Every step saves its result in the progress store, and every "already
 * exists" answer is resolved by reading back what exists, so a retry after a
 * timeout, a lost response or a crash never opens a second pull request.
 */
import { isolate } from "~/modules/bidi/isolate";
import { branchName, commitCarriesProposal, githubNoreplyEmail, NEUTRAL_CONTRIBUTOR_EMAIL, proposalArea, proposalTrailer } from "../branch";
import type { GitHubForgeConfig } from "../config.server";
import { ForgeError } from "../errors";
import { withProposalMarker } from "../marker";
import type { ChangeRef, ChangeState, DeliverableProposal, DeliverOptions, DeliveryProgress, DeliveryResult, Forge, ProgressStore } from "../types";
import { is422, type GitHubForgeDeps, type OctokitClient } from "./client.server";
import { deliveryContext, type Head, type Repo, type Who } from "./context.server";
import { createContributorResolver, type ResolvedGitHubUser } from "./contributor.server";
import { createHeadResolver } from "./fork.server";
import { createLabeller } from "./labels.server";

export { LABELS, proposalLabels } from "./labels.server";

type Client = OctokitClient;

function isoSeconds(iso: string): string {
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? new Date() : d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The commit subject of a proposal: `Add question: …`, `Edit an answer to: …` (the title isolated). */
export function commitSubject(p: Pick<DeliverableProposal, "kind" | "files" | "questionTitle">): string {
  const subject =
    p.kind === "question"
      ? `Add question: ${isolate(p.questionTitle)}`
      : p.kind === "answer"
        ? `Add an answer to: ${isolate(p.questionTitle)}`
        : proposalArea(p) === "answer"
          ? `Edit an answer to: ${isolate(p.questionTitle)}`
          : `Edit question: ${isolate(p.questionTitle)}`;
  return subject.replace(/[\r\n]+/g, " ");
}

/** The commit author's e-mail: the form's, else the confirmed account's no-reply address, else the neutral one. */
export function authorEmail(p: Pick<DeliverableProposal, "contributor">, account: ResolvedGitHubUser | null | undefined, noreply: string): string {
  return p.contributor.email ?? (account ? githubNoreplyEmail(account) : noreply);
}

function commitMessage(p: DeliverableProposal, account: ResolvedGitHubUser | null | undefined): string {
  const lines = [
    commitSubject(p),
    "",
    `Proposed by ${isolate(p.contributor.name.replace(/[\r\n]+/g, " "))} on the Django Questions site.`,
    "",
    ...p.files.map((f) => `- ${f.path}`),
    "",
    proposalTrailer(p.id),
  ];
  // Only an account GitHub confirmed, and only when the author is someone else (an e-mail of its own).
  if (account && !account.sameAsAuthor) {
    lines.push(`Co-authored-by: ${p.contributor.name.replace(/[<>\r\n]/g, "")} <${githubNoreplyEmail(account)}>`);
  }
  return `${lines.join("\n")}\n`;
}

export function createGitHubDelivery(config: GitHubForgeConfig, deps: GitHubForgeDeps = {}): Pick<Forge, "deliver" | "getState"> {
  const noreply = deps.noreplyEmail ?? NEUTRAL_CONTRIBUTOR_EMAIL;
  const committer = deps.committer ?? { name: "Django Questions", email: noreply };

  const ctx = deliveryContext(config, deps);
  const { upstream, app, client, toForgeError, step, upstreamBase } = ctx;
  const resolveGitHubUser = createContributorResolver(ctx);
  const headRepo = createHeadResolver(ctx);
  const addLabels = createLabeller(ctx);
  /** Commit SHA → its tree SHA (immutable, so safe to remember): saves a call while the base branch has not moved. */
  const treeOfCommit = new Map<string, string>();

  async function createCommit(
    p: DeliverableProposal,
    head: Head,
    actor: Client,
    who: Who,
    account: ResolvedGitHubUser | null | undefined,
  ): Promise<string> {
    const parent =
      head.parent ??
      (
        await step(`reading the head of ${head.base}`, who, () =>
          actor.rest.git.getRef({ owner: head.owner, repo: head.repo, ref: `heads/${head.base}` }),
        )
      ).data.object.sha;
    let baseTree = treeOfCommit.get(parent);
    if (!baseTree) {
      const { data: commit } = await step("reading the head commit", who, () =>
        actor.rest.git.getCommit({ owner: head.owner, repo: head.repo, commit_sha: parent }),
      );
      baseTree = commit.tree.sha;
      treeOfCommit.set(parent, baseTree);
      if (treeOfCommit.size > 100) treeOfCommit.delete(treeOfCommit.keys().next().value!);
    }
    const { data: tree } = await step("creating the tree", who, () =>
      actor.rest.git.createTree({
        owner: head.owner,
        repo: head.repo,
        base_tree: baseTree,
        tree: p.files.map((f) => ({ path: f.path, mode: "100644" as const, type: "blob" as const, content: f.content })),
      }),
    );
    const date = isoSeconds(p.createdAt);
    // Without an e-mail, a confirmed GitHub account signs with its no-reply address (the commit is linked to it).
    const email = authorEmail(p, account, noreply);
    const { data: commit } = await step("creating the commit", who, () =>
      actor.rest.git.createCommit({
        owner: head.owner,
        repo: head.repo,
        message: commitMessage(p, account),
        tree: tree.sha,
        parents: [parent],
        author: { name: p.contributor.name, email, date },
        committer: { ...committer, date },
      }),
    );
    return commit.sha;
  }

  /** Creates the branch; if it exists already, adopts it when its head commit is this proposal's. */
  async function createBranch(
    p: DeliverableProposal,
    head: Repo,
    branch: string,
    commitSha: string,
    actor: Client,
    who: Who,
  ): Promise<{ sha: string; existed: boolean }> {
    try {
      await actor.rest.git.createRef({ owner: head.owner, repo: head.repo, ref: `refs/heads/${branch}`, sha: commitSha });
      return { sha: commitSha, existed: false };
    } catch (error) {
      if (!is422(error, /reference already exists|already exists/i)) throw toForgeError(error, "creating the branch", who);
    }
    const { data: ref } = await step("reading the existing branch", who, () =>
      actor.rest.git.getRef({ owner: head.owner, repo: head.repo, ref: `heads/${branch}` }),
    );
    const sha = ref.object.sha;
    if (sha !== commitSha) {
      const { data: commit } = await step("reading the existing branch's commit", who, () =>
        actor.rest.git.getCommit({ owner: head.owner, repo: head.repo, commit_sha: sha }),
      );
      if (!commitCarriesProposal(commit.message, p.id)) {
        throw new ForgeError(
          "rejected",
          `The branch ${branch} already exists in ${head.owner}/${head.repo} and does not belong to this proposal (its head commit has no "${proposalTrailer(p.id)}" trailer). Delete that branch, then retry the proposal.`,
        );
      }
    }
    return { sha, existed: true };
  }

  async function findPull(head: Repo, branch: string, actor: Client, who: Who) {
    const { data } = await step("looking for the existing pull request", who, () =>
      actor.rest.pulls.list({ ...upstream, head: `${head.owner}:${branch}`, state: "all", per_page: 10 }),
    );
    const pr = data.find((x) => x.state === "open") ?? data[0];
    if (!pr) return undefined;
    // A pull request closed meanwhile (a maintainer's decision) is reported as such, never reopened or doubled.
    const state: ChangeState = pr.state === "open" ? "open" : pr.merged_at ? "merged" : "closed";
    return { number: pr.number, url: pr.html_url, reused: true, state };
  }

  async function openPull(
    p: DeliverableProposal,
    head: Head,
    branch: string,
    actor: Client,
    who: Who,
    resuming: boolean,
  ): Promise<{ number: number; url: string; reused: boolean; state: ChangeState }> {
    if (resuming) {
      const existing = await findPull(head, branch, actor, who);
      if (existing) return existing;
    }
    const headRef = head.owner === upstream.owner && head.repo === upstream.repo ? branch : `${head.owner}:${branch}`;
    const base = await upstreamBase();
    try {
      const { data } = await actor.rest.pulls.create({
        ...upstream,
        title: p.title,
        head: headRef,
        base,
        body: withProposalMarker(p.body, p),
        maintainer_can_modify: true,
      });
      return { number: data.number, url: data.html_url, reused: false, state: "open" };
    } catch (error) {
      if (!is422(error, /pull request already exists/i)) throw toForgeError(error, "opening the pull request", who);
    }
    const existing = await findPull(head, branch, actor, who);
    if (!existing) {
      throw new ForgeError("transient", `GitHub says a pull request exists for ${headRef} but does not list it yet.`);
    }
    return existing;
  }

  return {
    async deliver(p: DeliverableProposal, progress: ProgressStore, options: DeliverOptions = {}): Promise<DeliveryResult> {
      const start: DeliveryProgress = { ...progress.current };
      const user = options.userToken ? client({ token: options.userToken }) : undefined;
      const who = user ? "user" : "app";
      const actor = user ?? app;
      const branch = start.branch ?? branchName(p);

      let number = start.prNumber;
      let url = start.prUrl;
      let state: ChangeState = "open";
      if (number === undefined || !url) {
        const head = await headRepo(progress, user);
        let resuming = start.branch !== undefined;
        if (start.branch === undefined) {
          let commitSha = start.commitSha;
          if (!commitSha) {
            const account = await resolveGitHubUser(p, progress);
            commitSha = await createCommit(p, head, actor, who, account);
            await progress.save({ commitSha });
          }
          const created = await createBranch(p, head, branch, commitSha, actor, who);
          resuming = created.existed;
          await progress.save({ branch, commitSha: created.sha });
          await progress.note(
            "branch",
            created.existed ? `Reusing the branch ${branch} made by an earlier attempt.` : `Branch ${branch} created with commit ${created.sha.slice(0, 7)}.`,
          );
        }
        const pr = await openPull(p, head, branch, actor, who, resuming);
        number = pr.number;
        url = pr.url;
        state = pr.state;
        await progress.save({ prNumber: number, prUrl: url });
        await progress.note(
          "pull-request",
          !pr.reused
            ? `Pull request #${number} opened.`
            : pr.state === "open"
              ? `Found the pull request #${number} opened by an earlier attempt.`
              : `Found the pull request #${number} opened by an earlier attempt; it has been ${pr.state} on GitHub since.`,
        );
      }
      if (state === "open" && !progress.current.labelled) await addLabels(p, number, progress);
      return { number, url, branch, ...(state !== "open" ? { state } : {}) };
    },

    async getState(ref: ChangeRef): Promise<ChangeState> {
      const { data } = await step(`reading pull request #${ref.number}`, "app", () => app.rest.pulls.get({ ...upstream, pull_number: ref.number }));
      if (data.merged || data.merged_at) return "merged";
      return data.state === "closed" ? "closed" : "open";
    },
  };
}
