/**
 * The GitHub forge: one proposal → one branch, one commit, one pull request.
 * Octokit is imported only here, in `github-auth.server.ts` (the client
 * factory and the maintainers' sign-in calls) and by the GitHub content sync.
 *
 * Happy path per proposal (see README.md for the call count):
 *   GET  /users/{username}                         the contributor's GitHub account, when a username was given
 *                                                  (once per process and username; 404 → not credited, a timeline note)
 *   GET  /repos/{o}/{r}/git/ref/heads/{base}       head commit of the base branch
 *   GET  /repos/{o}/{r}/git/commits/{sha}          its tree (skipped while the base has not moved)
 *   POST /repos/{o}/{r}/git/trees                  files inline on base_tree
 *   POST /repos/{o}/{r}/git/commits                author = contributor, Proposal-Id (+ Co-authored-by) trailer
 *   POST /repos/{o}/{r}/git/refs                   refs/heads/contrib/<question|answer>/<slug>-<id>
 *   POST /repos/{o}/{r}/pulls
 *   POST /repos/{o}/{r}/issues/{n}/labels
 * once per process: GET /repos/{o}/{r} (default branch), POST labels (422 already_exists is fine).
 *
 * Every step saves its result in the progress store, and every "already
 * exists" answer is resolved by reading back what exists, so a retry after a
 * timeout, a lost response or a crash never opens a second pull request.
 */
import { Octokit, RequestError } from "octokit";
import { branchName, commitCarriesProposal, githubNoreplyEmail, NEUTRAL_CONTRIBUTOR_EMAIL, proposalArea, proposalTrailer } from "./branch";
import type { GitHubForgeConfig } from "./config.server";
import { parseProposalMarker } from "~/modules/contributions/pull-request";
import { ForgeError, RateLimitedError, rateLimitRetryAt } from "./errors";
import { octokitClient, reviewError } from "./github-auth.server";
import type {
  ChangedFile,
  ChangeRef,
  ChangeState,
  DeliverableProposal,
  DeliverOptions,
  DeliveryProgress,
  DeliveryResult,
  Forge,
  OpenChange,
  ProgressStore,
  ReviewForge,
} from "./types";
import { isolate } from "~/modules/bidi/isolate";

export const LABELS: Record<string, { color: string; description: string }> = {
  contribution: { color: "0e8a16", description: "Proposed on the Django Questions site" },
  question: { color: "1d76db", description: "A question: a new one, or an edit of one" },
  answer: { color: "5319e7", description: "An answer: a new one, or an edit of one" },
  edit: { color: "fbca04", description: "Changes an existing question or answer" },
};

export interface GitHubForgeDeps {
  /** Per-request timeout. Default 20 s. */
  requestTimeoutMs?: number;
  /** Rate-limit waits up to this long are retried in-process once; longer ones go back to the outbox. Default 10 s. */
  shortWaitSeconds?: number;
  /** Quick in-process retries of 5xx answers (the outbox retries later anyway). Default 2. */
  retries?: number;
  /** Milliseconds per unit of the retry plugins' waits (tests make it small). Default 1000. */
  retryAfterBaseValue?: number;
  /**
   * Bottleneck groups of the throttling plugin (tests pass groups without
   * the 1 s / 3 s spacing GitHub recommends between write requests).
   */
  throttleGroups?: { write?: unknown; notifications?: unknown };
  /** E-mail of the commit author when the contributor gave neither an e-mail nor a GitHub username that GitHub knows. */
  noreplyEmail?: string;
  /** Committer of the proposal commits. */
  committer?: { name: string; email: string };
  fetch?: typeof globalThis.fetch;
  log?: { warn(message: string): void; info(message: string): void };
  /**
   * Waits between polls while GitHub is still creating a contributor's fork
   * (it forks in the background: the fork's git data answers 409 "Git
   * Repository is empty." or 404 for seconds to minutes). When the fork is
   * still not ready after these, the attempt ends with a transient error and
   * the outbox tries again later. Default 1, 2, 4, 8 s (15 s in all).
   */
  forkReadyDelaysMs?: readonly number[];
  /** Sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** The labels of a proposal's pull request: `contribution`, what it is about, and `edit` for edits. */
export function proposalLabels(p: Pick<DeliverableProposal, "kind" | "files">): string[] {
  const area = proposalArea(p);
  return p.kind === "edit" ? ["contribution", area, "edit"] : ["contribution", area];
}

type Client = InstanceType<typeof Octokit>;

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

function responseData(error: unknown): { message?: string; errors?: Array<{ message?: string; code?: string; resource?: string }> } {
  const data = (error as { response?: { data?: unknown } })?.response?.data;
  return data && typeof data === "object" ? (data as never) : {};
}

function is422(error: unknown, pattern: RegExp): boolean {
  if (!(error instanceof RequestError) || error.status !== 422) return false;
  const data = responseData(error);
  const texts = [data.message ?? "", error.message, ...(data.errors ?? []).map((e) => `${e.message ?? ""} ${e.code ?? ""}`)];
  return texts.some((t) => pattern.test(t));
}

/** The contributor's GitHub account as resolved at delivery (`DeliveryProgress.githubUser`). */
type ResolvedGitHubUser = NonNullable<DeliveryProgress["githubUser"]>;

function commitMessage(p: DeliverableProposal, account: ResolvedGitHubUser | null | undefined): string {
  const subject =
    p.kind === "question"
      ? `Add question: ${isolate(p.questionTitle)}`
      : p.kind === "answer"
        ? `Add an answer to: ${isolate(p.questionTitle)}`
        : proposalArea(p) === "answer"
          ? `Edit an answer to: ${isolate(p.questionTitle)}`
          : `Edit question: ${isolate(p.questionTitle)}`;
  const lines = [
    subject.replace(/[\r\n]+/g, " "),
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

export function createGitHubForge(config: GitHubForgeConfig, deps: GitHubForgeDeps = {}): Forge {
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

  /** Turns an Octokit error into a ForgeError the outbox understands. */
  function toForgeError(error: unknown, step: string, who: "app" | "user"): ForgeError {
    if (error instanceof ForgeError) return error;
    const now = Date.now();
    if (!(error instanceof RequestError)) {
      const message = error instanceof Error ? error.message : String(error);
      return new ForgeError("transient", `Network error while ${step}: ${message}`, { cause: error });
    }
    const status = error.status;
    const headers = error.response?.headers;
    // GitHub's 5xx answers often carry no message: say so rather than end on a colon.
    const ghMessage = (responseData(error).message ?? error.message).trim() || "no message from GitHub";
    const retryAt = rateLimitRetryAt(headers, now);
    const credentials =
      who === "user"
        ? "the contributor's GitHub sign-in"
        : config.auth.type === "token"
          ? "GITHUB_TOKEN"
          : "the GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)";
    if (status === 429 || (status === 403 && (retryAt !== undefined || /rate limit/i.test(ghMessage)))) {
      const at = retryAt ?? now + 60_000;
      return new RateLimitedError(`GitHub rate limit reached while ${step} (${status}: ${ghMessage})`, at, { status, cause: error });
    }
    if (status === 401) {
      return new ForgeError(
        "config",
        `GitHub rejected the token (401 ${ghMessage}) while ${step}: check ${credentials}, then retry the proposal.`,
        { status, cause: error },
      );
    }
    if (status === 403) {
      return new ForgeError(
        "config",
        `GitHub refused access (403 ${ghMessage}) while ${step}: ${credentials} needs write access to ${slug} (contents and pull requests: read and write; the "repo" scope for a classic token). Fix it, then retry the proposal.`,
        { status, cause: error },
      );
    }
    if (status === 404) {
      return new ForgeError(
        "config",
        `GitHub answered 404 Not Found while ${step}: check GITHUB_REPOSITORY=${slug} (and GITHUB_BASE_BRANCH if set), and that ${credentials} can see the repository and write to it (GitHub answers 404 rather than 403 to a token without access), then retry the proposal.`,
        { status, cause: error },
      );
    }
    if (status === 409 && /empty/i.test(ghMessage)) {
      return new ForgeError("config", `The repository ${slug} is empty (409) while ${step}: push the content first.`, { status, cause: error });
    }
    if (status >= 500 || status === 408 || status === 409) {
      return new ForgeError("transient", `GitHub error ${status} while ${step}: ${ghMessage}`, { status, cause: error });
    }
    const details = (responseData(error).errors ?? []).map((e) => e.message ?? e.code).filter(Boolean).join("; ");
    return new ForgeError("rejected", `GitHub refused ${step} (${status} ${ghMessage}${details ? `: ${details}` : ""}).`, {
      status,
      cause: error,
    });
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
        body: p.body,
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
    name: "github",
    review: createGitHubReviewForge(config, deps),

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

// ---------------------------------------------------------------------------
// The maintainers' side (ReviewForge): list, inspect, merge, request changes,
// close. Reads and writes go to the upstream repository; `asUser(token)` gives
// the same operations as a signed-in maintainer, so GitHub shows who did them.

/** An open pull request that concerns the wiki (made by the form, or touching `content/`). */
export interface GitHubOpenChange extends OpenChange {
  headSha: string;
  /** The pull request changes files under `content/` (always true for proposals). */
  touchesContent: boolean;
}

export interface GitHubChangedFile extends ChangedFile {
  /** Blob SHA of the file at the head (absent for removed files). */
  sha?: string;
  /** A renamed file's path before the rename. */
  previousPath?: string;
}

export interface GitHubPull {
  number: number;
  title: string;
  body: string | null;
  url: string;
  state: "open" | "closed";
  merged: boolean;
  author?: string;
  headSha: string;
  headRef: string;
  /** The repository holding the head branch (a fork, or upstream). */
  headOwner: string;
  headRepo: string;
  baseRef: string;
  createdAt: string;
  proposalId?: string;
}

export interface CheckRunInfo {
  name: string;
  status: string;
  conclusion: string | null;
  url?: string;
}

export interface GitHubReviewForge extends ReviewForge {
  listOpen(): Promise<GitHubOpenChange[]>;
  diff(number: number): Promise<GitHubChangedFile[]>;
  /** The same operations with a user's token (a signed-in maintainer). */
  asUser(token: string): GitHubReviewForge;
  pull(number: number): Promise<GitHubPull>;
  /** The latest check runs of a commit. */
  checkRuns(ref: string): Promise<CheckRunInfo[]>;
  /** Text of a file at a ref of the given repository (default upstream); undefined when absent. */
  fileText(path: string, ref: string, repo?: { owner: string; repo: string }): Promise<string | undefined>;
  /**
   * Numbers of the questions on a branch: `content/questions/<slug>/question.md` → number.
   * `known(path, blobSha)` answers from the local copy when it has that very blob, so only
   * files the site does not have yet are fetched.
   */
  questionNumbers(ref: string, known?: (path: string, blobSha: string) => number | undefined): Promise<Map<string, number>>;
  /** Commits a new version of a file to the pull request's head branch; returns the new head commit SHA. */
  updateFile(number: number, file: { path: string; content: string; sha?: string; message: string }): Promise<string>;
  /** Squash-merges; `sha` makes GitHub refuse when the head moved. Returns the merge commit SHA. */
  squashMerge(number: number, options?: { message?: string; title?: string; sha?: string }): Promise<{ sha: string }>;
}

const CHANGE_STATUS: Record<string, ChangedFile["status"]> = { added: "added", removed: "removed", renamed: "renamed", modified: "modified" };

export function createGitHubReviewForge(
  config: GitHubForgeConfig,
  deps: GitHubForgeDeps = {},
  token?: string,
  /** Shared by the forge and every `asUser` copy of it (a new copy is made for each request). */
  touches: Map<string, boolean> = new Map(),
): GitHubReviewForge {
  const upstream = { owner: config.owner, repo: config.repo };
  const octokit = octokitClient(config, token ? { token } : "app", deps);
  // `touches`: `${number}:${headSha}` → touches content/ (a head SHA's files never change, whoever asks).

  async function call<T>(step: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw reviewError(error, step);
    }
  }

  async function listFiles(number: number): Promise<GitHubChangedFile[]> {
    const files = await call(`listing the files of #${number}`, () =>
      octokit.paginate(octokit.rest.pulls.listFiles, { ...upstream, pull_number: number, per_page: 100 }),
    );
    return files.map((f) => ({
      path: f.filename,
      status: CHANGE_STATUS[f.status] ?? "modified",
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.status !== "removed" && f.sha ? { sha: f.sha } : {}),
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    }));
  }

  const forge: GitHubReviewForge = {
    asUser(userToken: string) {
      return createGitHubReviewForge(config, deps, userToken, touches);
    },

    async listOpen() {
      const pulls = await call("listing the open pull requests", () =>
        octokit.paginate(octokit.rest.pulls.list, { ...upstream, state: "open", per_page: 100 }),
      );
      const out: GitHubOpenChange[] = [];
      for (const pr of pulls.slice(0, 300)) {
        const marker = parseProposalMarker(pr.body);
        let touchesContent = marker !== undefined;
        if (!touchesContent) {
          const key = `${pr.number}:${pr.head.sha}`;
          let known = touches.get(key);
          if (known === undefined) {
            known = (await listFiles(pr.number)).some((f) => f.path.startsWith("content/"));
            touches.set(key, known);
            if (touches.size > 2000) touches.delete(touches.keys().next().value!);
          }
          touchesContent = known;
        }
        if (!touchesContent) continue;
        out.push({
          number: pr.number,
          title: pr.title,
          url: pr.html_url,
          branch: pr.head.ref,
          ...(pr.user?.login ? { author: pr.user.login } : {}),
          ...(marker ? { proposalId: marker.id } : {}),
          createdAt: pr.created_at,
          headSha: pr.head.sha,
          touchesContent,
        });
      }
      return out;
    },

    diff: listFiles,

    async pull(number) {
      const { data } = await call(`reading pull request #${number}`, () => octokit.rest.pulls.get({ ...upstream, pull_number: number }));
      const marker = parseProposalMarker(data.body);
      return {
        number: data.number,
        title: data.title,
        body: data.body,
        url: data.html_url,
        state: data.state === "closed" ? "closed" : "open",
        merged: Boolean(data.merged || data.merged_at),
        ...(data.user?.login ? { author: data.user.login } : {}),
        headSha: data.head.sha,
        headRef: data.head.ref,
        headOwner: data.head.repo?.owner.login ?? upstream.owner,
        headRepo: data.head.repo?.name ?? upstream.repo,
        baseRef: data.base.ref,
        createdAt: data.created_at,
        ...(marker ? { proposalId: marker.id } : {}),
      };
    },

    async checkRuns(ref) {
      const { data } = await call(`reading the checks of ${ref.slice(0, 12)}`, () =>
        octokit.rest.checks.listForRef({ ...upstream, ref, per_page: 100 }),
      );
      return data.check_runs.map((r) => ({
        name: r.name,
        status: r.status,
        conclusion: r.conclusion ?? null,
        ...(r.html_url ? { url: r.html_url } : {}),
      }));
    },

    async fileText(path, ref, repo = upstream) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
        return Buffer.from(data.content, "base64").toString("utf8");
      } catch (error) {
        if (error instanceof RequestError && error.status === 404) return undefined;
        throw reviewError(error, `reading ${path}`);
      }
    },

    async questionNumbers(ref, known) {
      const { data } = await call(`listing the files of ${ref}`, () =>
        octokit.rest.git.getTree({ ...upstream, tree_sha: ref, recursive: "1" }),
      );
      const out = new Map<string, number>();
      for (const entry of data.tree) {
        if (entry.type !== "blob" || !entry.path || !entry.sha || !/^content\/questions\/[^/]+\/question\.md$/.test(entry.path)) continue;
        let number = known?.(entry.path, entry.sha);
        if (number === undefined) {
          const { data: blob } = await call(`reading ${entry.path}`, () => octokit.rest.git.getBlob({ ...upstream, file_sha: entry.sha! }));
          const m = /^---\r?\n[^]*?^number:[ \t]*(\d+)[ \t]*$/m.exec(Buffer.from(blob.content, "base64").toString("utf8"));
          if (m) number = Number(m[1]);
        }
        if (number !== undefined) out.set(entry.path, number);
      }
      return out;
    },

    async updateFile(number, file) {
      const pr = await forge.pull(number);
      const { data } = await call(`committing ${file.path} to #${number}`, () =>
        octokit.rest.repos.createOrUpdateFileContents({
          owner: pr.headOwner,
          repo: pr.headRepo,
          path: file.path,
          branch: pr.headRef,
          message: file.message,
          content: Buffer.from(file.content, "utf8").toString("base64"),
          ...(file.sha ? { sha: file.sha } : {}),
        }),
      );
      if (!data.commit.sha) throw new ForgeError("transient", `GitHub did not say which commit it made for ${file.path}.`);
      return data.commit.sha;
    },

    async merge(number, options = {}) {
      await forge.squashMerge(number, options);
    },

    async squashMerge(number, options = {}) {
      const { data } = await call(`merging #${number}`, () =>
        octokit.rest.pulls.merge({
          ...upstream,
          pull_number: number,
          merge_method: "squash",
          ...(options.title ? { commit_title: options.title } : {}),
          ...(options.message !== undefined ? { commit_message: options.message } : {}),
          ...(options.sha ? { sha: options.sha } : {}),
        }),
      );
      return { sha: data.sha };
    },

    async requestChanges(number, message) {
      await call(`requesting changes on #${number}`, () =>
        octokit.rest.pulls.createReview({ ...upstream, pull_number: number, event: "REQUEST_CHANGES", body: message }),
      );
    },

    async close(number, message) {
      if (message?.trim()) {
        await call(`commenting on #${number}`, () => octokit.rest.issues.createComment({ ...upstream, issue_number: number, body: message }));
      }
      await call(`closing #${number}`, () => octokit.rest.pulls.update({ ...upstream, pull_number: number, state: "closed" }));
    },
  };
  return forge;
}
