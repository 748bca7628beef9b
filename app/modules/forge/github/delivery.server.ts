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
import { branchName, commitCarriesProposal, githubNoreplyEmail, NEUTRAL_CONTRIBUTOR_EMAIL, proposalArea, proposalTrailer } from "../branch";
import type { GitHubForgeConfig } from "../config.server";
import { ForgeError } from "../errors";
import { withProposalMarker } from "../marker";
import type { ChangeRef, ChangeState, DeliverableProposal, DeliverOptions, DeliveryProgress, DeliveryResult, Forge, ProgressStore } from "../types";
import { deliveryError, is422, octokitClient, RequestError, responseData, type GitHubForgeDeps, type OctokitClient } from "./client.server";

export const LABELS: Record<string, { color: string; description: string }> = {
  contribution: { color: "0e8a16", description: "Proposed on the Django Questions site" },
  question: { color: "1d76db", description: "A question: a new one, or an edit of one" },
  answer: { color: "5319e7", description: "An answer: a new one, or an edit of one" },
  edit: { color: "fbca04", description: "Changes an existing question or answer" },
};

/** The labels of a proposal's pull request: `contribution`, what it is about, and `edit` for edits. */
export function proposalLabels(p: Pick<DeliverableProposal, "kind" | "files">): string[] {
  const area = proposalArea(p);
  return p.kind === "edit" ? ["contribution", area, "edit"] : ["contribution", area];
}

type Client = OctokitClient;

interface Repo {
  owner: string;
  repo: string;
}

/** Where the branch goes: `base` is the branch the commit starts from; `parent` its head when already known. */
interface Head extends Repo {
  base: string;
  parent?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


function isoSeconds(iso: string): string {
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? new Date() : d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The contributor's GitHub account as resolved at delivery (`DeliveryProgress.githubUser`). */
type ResolvedGitHubUser = NonNullable<DeliveryProgress["githubUser"]>;

function commitMessage(p: DeliverableProposal, account: ResolvedGitHubUser | null | undefined): string {
  const subject =
    p.kind === "question"
      ? `Add question: ${p.questionTitle}`
      : p.kind === "answer"
        ? `Add an answer to: ${p.questionTitle}`
        : proposalArea(p) === "answer"
          ? `Edit an answer to: ${p.questionTitle}`
          : `Edit question: ${p.questionTitle}`;
  const lines = [
    subject.replace(/[\r\n]+/g, " "),
    "",
    `Proposed by ${p.contributor.name.replace(/[\r\n]+/g, " ")} on the Django Questions site.`,
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
  const upstream: Repo = { owner: config.owner, repo: config.repo };
  const noreply = deps.noreplyEmail ?? NEUTRAL_CONTRIBUTOR_EMAIL;
  const committer = deps.committer ?? { name: "Django Questions", email: noreply };
  const log = deps.log ?? { warn: (m: string) => console.warn(`[github] ${m}`), info: () => {} };

  /** One Octokit per credential, built like every other GitHub client of the app (timeouts, retries, throttling). */
  function client(auth: { token: string } | "app"): Client {
    return octokitClient(config, auth, deps);
  }

  const app = client("app");
  /** Commit SHA → its tree SHA (immutable, so safe to remember): saves a call while the base branch has not moved. */
  const treeOfCommit = new Map<string, string>();
  const slug = `${upstream.owner}/${upstream.repo}`;
  const appCredentials =
    config.auth.type === "token" ? "GITHUB_TOKEN" : "the GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)";

  /** Turns an Octokit error into a ForgeError the outbox understands. */
  function toForgeError(error: unknown, step: string, who: "app" | "user"): ForgeError {
    return deliveryError(error, step, who === "user" ? "the contributor's GitHub sign-in" : appCredentials, slug);
  }

  async function step<T>(name: string, who: "app" | "user", fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toForgeError(error, name, who);
    }
  }

  // --- once per process -----------------------------------------------------

  let baseBranch: Promise<string> | undefined = config.baseBranch ? Promise.resolve(config.baseBranch) : undefined;
  function upstreamBase(): Promise<string> {
    baseBranch ??= step("reading the repository", "app", async () => {
      const { data } = await app.rest.repos.get({ ...upstream });
      return data.default_branch;
    });
    baseBranch.catch(() => {
      if (!config.baseBranch) baseBranch = undefined;
    });
    return baseBranch;
  }

  /** Labels known to exist (created, or GitHub said they already exist): checked once per process. */
  const labelsReady = new Map<string, Promise<void>>();
  function ensureLabel(name: string): Promise<void> {
    let ready = labelsReady.get(name);
    if (!ready) {
      const spec = LABELS[name] ?? { color: "ededed", description: "" };
      ready = app.rest.issues.createLabel({ ...upstream, name, color: spec.color, description: spec.description }).then(
        () => undefined,
        (error: unknown) => {
          if (!is422(error, /already_exists|already exists/i)) throw error;
        },
      );
      labelsReady.set(name, ready);
      ready.catch(() => labelsReady.delete(name));
    }
    return ready;
  }

  /**
   * GitHub accounts by lower-cased username (`GET /users/{username}`), once per process: an
   * account's id never changes and its login rarely does. "No such user" is not remembered, so
   * an account made after a typo'd proposal is found by the next one.
   */
  const accounts = new Map<string, Promise<{ id: number; login: string; type: string; email: string | null } | null>>();
  function githubAccount(username: string) {
    const key = username.toLowerCase();
    let found = accounts.get(key);
    if (!found) {
      found = app.rest.users.getByUsername({ username }).then(
        ({ data }) => ({ id: data.id, login: data.login, type: data.type, email: data.email ?? null }),
        (error: unknown) => {
          // 404: no such user (or a suspended one). The proposal is delivered without the credit: not a configuration failure.
          if (error instanceof RequestError && error.status === 404) return null;
          throw toForgeError(error, `looking up the GitHub user ${username}`, "app");
        },
      );
      accounts.set(key, found);
      found.then(
        (account) => {
          if (!account) accounts.delete(key);
        },
        () => accounts.delete(key),
      );
      if (accounts.size > 1000) accounts.delete(accounts.keys().next().value!);
    }
    return found;
  }

  /**
   * Resolves the GitHub username the contributor gave, once per proposal (saved in the progress,
   * so every retry makes the same commit and the timeline says it once). An unknown username
   * is delivered without the co-author credit, and the timeline says why.
   */
  async function resolveGitHubUser(p: DeliverableProposal, progress: ProgressStore): Promise<ResolvedGitHubUser | null | undefined> {
    const username = p.contributor.github;
    if (!username) return undefined;
    if (progress.current.githubUser !== undefined) return progress.current.githubUser;
    const account = await githubAccount(username);
    if (!account || account.type !== "User") {
      progress.save({ githubUser: null });
      progress.note(
        "github-user-not-found",
        account
          ? `${account.login} is a GitHub organization, not a user: not credited as co-author.`
          : `GitHub user ${username} not found: not credited as co-author.`,
      );
      return null;
    }
    // The author already is that account when it signs with the account's no-reply address
    // (no e-mail given) or with an address the account shows publicly.
    const email = p.contributor.email?.trim().toLowerCase();
    const own = [githubNoreplyEmail(account), `${account.login}@users.noreply.github.com`, account.email ?? ""].map((e) => e.toLowerCase());
    const githubUser: ResolvedGitHubUser = { id: account.id, login: account.login, sameAsAuthor: !email || own.includes(email) };
    progress.save({ githubUser });
    return githubUser;
  }

  // --- steps ----------------------------------------------------------------

  /**
   * Polls the fork until GitHub has finished creating it (its branch `base`
   * can be read), with bounded backoff; returns the branch's head. A fork
   * that is still not ready is a transient error: the outbox retries later,
   * in the same fork (it is saved in the progress).
   */
  async function waitForFork(fork: Repo, base: string, user: Client): Promise<string> {
    const delays = deps.forkReadyDelaysMs ?? [1000, 2000, 4000, 8000];
    const sleep = deps.sleep ?? defaultSleep;
    let waited = 0;
    for (let i = 0; ; i++) {
      try {
        const { data } = await user.rest.git.getRef({ ...fork, ref: `heads/${base}` });
        return data.object.sha;
      } catch (error) {
        // 409 "Git Repository is empty." / 404: GitHub has not copied the git data yet.
        const notReady = error instanceof RequestError && (error.status === 409 || error.status === 404);
        if (!notReady) throw toForgeError(error, "reading the fork", "user");
        if (i >= delays.length) {
          const answer = `${error.status} ${(responseData(error).message ?? error.message).trim()}`;
          throw new ForgeError(
            "transient",
            `GitHub is still creating the fork ${fork.owner}/${fork.repo} (it answered ${answer} after ${Math.round(waited / 1000)} s of waiting); the proposal continues in that fork on the next attempt.`,
            { status: error.status, cause: error },
          );
        }
        await sleep(delays[i]!);
        waited += delays[i]!;
      }
    }
  }

  async function headRepo(progress: ProgressStore, user: Client | undefined): Promise<Head> {
    const done = progress.current;
    const base = await upstreamBase();
    if (!user) {
      // Without the contributor's token (forgotten after a long configuration failure) the
      // site's own credentials deliver: from the fork only when the branch is already there.
      if (done.headOwner && done.headRepo && done.branch) return { owner: done.headOwner, repo: done.headRepo, base };
      const inFork = done.headOwner !== undefined && (done.headOwner !== upstream.owner || done.headRepo !== upstream.repo);
      if (inFork) progress.save({ headOwner: undefined, headRepo: undefined, headBase: undefined, forkReady: undefined, commitSha: undefined });
      return { ...upstream, base };
    }
    let fork: Repo;
    let forkBase: string;
    if (done.headOwner && done.headRepo) {
      const own = done.headOwner === upstream.owner && done.headRepo === upstream.repo;
      if (own || done.forkReady) return { owner: done.headOwner, repo: done.headRepo, base: done.headBase ?? base };
      fork = { owner: done.headOwner, repo: done.headRepo };
      forkBase = done.headBase ?? base;
    } else {
      const { data } = await step("reading the repository as the signed-in contributor", "user", () => user.rest.repos.get({ ...upstream }));
      if (data.permissions?.push) {
        progress.save({ headOwner: upstream.owner, headRepo: upstream.repo });
        return { ...upstream, base };
      }
      // GitHub answers 202 at once and copies the git data in the background.
      const created = await step("forking the repository for the contributor", "user", () =>
        user.rest.repos.createFork({ ...upstream, default_branch_only: true }),
      );
      fork = { owner: created.data.owner.login, repo: created.data.name };
      forkBase = created.data.default_branch || base;
      progress.save({ headOwner: fork.owner, headRepo: fork.repo, headBase: forkBase });
      progress.note("forked", `Forked ${slug} to ${fork.owner}/${fork.repo} (the contributor cannot push to ${slug}).`);
    }
    let parent: string | undefined = await waitForFork(fork, forkBase, user);
    // Bring the fork's branch up to date with upstream; a diverged fork still works (the PR diff is against its merge base).
    try {
      const { data } = await user.rest.repos.mergeUpstream({ ...fork, branch: forkBase });
      if (data.merge_type !== "none") parent = undefined; // moved: read it again
    } catch (error) {
      const e = toForgeError(error, "syncing the fork", "user");
      if (e.kind === "transient" || e.kind === "rate-limited") throw e;
      progress.note("fork-not-synced", `The fork could not be synced with ${slug}: ${e.message}`);
    }
    progress.save({ forkReady: true });
    return { ...fork, base: forkBase, ...(parent ? { parent } : {}) };
  }

  async function createCommit(
    p: DeliverableProposal,
    head: Head,
    actor: Client,
    who: "app" | "user",
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
    const email = p.contributor.email ?? (account ? githubNoreplyEmail(account) : noreply);
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
    who: "app" | "user",
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

  async function findPull(head: Repo, branch: string, actor: Client, who: "app" | "user") {
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
    who: "app" | "user",
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

  /**
   * Labels help the maintainers but never hold a proposal back for good:
   * transient errors are retried (the pull request is already saved, so the
   * next attempt only labels it); other errors are noted and skipped.
   */
  async function addLabels(p: DeliverableProposal, number: number, progress: ProgressStore): Promise<void> {
    const names = proposalLabels(p);
    const retryable = (e: ForgeError) => e.kind === "transient" || e.kind === "rate-limited";
    try {
      for (const name of names) {
        try {
          await ensureLabel(name);
        } catch (error) {
          const e = toForgeError(error, `creating the label "${name}"`, "app");
          if (retryable(e)) throw e;
          // Adding a missing label creates it, only without colour and description.
          progress.note("label-not-created", e.message);
        }
      }
      await app.rest.issues.addLabels({ ...upstream, issue_number: number, labels: names });
      progress.note("labelled", `Labelled ${names.join(", ")}.`);
    } catch (error) {
      const e = toForgeError(error, "labelling the pull request", "app");
      if (retryable(e)) throw e;
      log.warn(`labels not added to #${number}: ${e.message}`);
      progress.note("labels-skipped", `The labels could not be added: ${e.message}`);
    }
    progress.save({ labelled: true });
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
            progress.save({ commitSha });
          }
          const created = await createBranch(p, head, branch, commitSha, actor, who);
          resuming = created.existed;
          progress.save({ branch, commitSha: created.sha });
          progress.note(
            "branch",
            created.existed ? `Reusing the branch ${branch} made by an earlier attempt.` : `Branch ${branch} created with commit ${created.sha.slice(0, 7)}.`,
          );
        }
        const pr = await openPull(p, head, branch, actor, who, resuming);
        number = pr.number;
        url = pr.url;
        state = pr.state;
        progress.save({ prNumber: number, prUrl: url });
        progress.note(
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
