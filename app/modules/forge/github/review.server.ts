/**
 * The GitHub forge's review side: the open pull requests that concern the
 * wiki (made by the form, or touching `content/`), one pull request with its
 * files and their text at the head, check runs, the base branch's question
 * numbers, and the actions — squash-merge (after renumbering commits), a
 * REQUEST_CHANGES review, close with a comment. `as(actor)` gives the same
 * operations with a signed-in maintainer's own token, so GitHub shows who
 * did them; a maintainer signed in with the token acts as the site.
 */
import { inContent, isQuestionFile } from "~/modules/contract";
import { githubNoreplyEmail, NEUTRAL_CONTRIBUTOR_EMAIL } from "../branch";
import type { GitHubForgeConfig } from "../config.server";
import { ForgeError } from "../errors";
import { parseProposalMarker } from "../marker";
import type {
  ActingAs,
  ChangedFile,
  ChangeDetail,
  Checkout,
  MergeOptions,
  OpenChange,
  ProposalFile,
  ReviewForge,
} from "../types";
import { isNotFound, octokitClient, reviewCall, reviewError, type GitHubForgeDeps } from "./client.server";

const CHANGE_STATUS: Record<string, ChangedFile["status"]> = { added: "added", removed: "removed", renamed: "renamed", modified: "modified" };

/**
 * The squash commit's message for a proposal: GitHub makes the pull request's
 * author (the site's bot) the commit author, so the contributor is credited as
 * co-author: by the e-mail they gave, or by the no-reply address of the GitHub
 * account the delivery resolved (`progress.githubUser`, `ID+login@…`, the
 * form GitHub links to the account). A username GitHub did not know credits
 * no account: the trailer then names them with a neutral address.
 */
export function squashMessage(p: NonNullable<MergeOptions["proposal"]>, noreply = NEUTRAL_CONTRIBUTOR_EMAIL): string {
  const name = p.contributor.name.replace(/[<>\r\n]/g, "").trim();
  const account = p.progress.githubUser;
  const email = p.contributor.email ?? (account ? githubNoreplyEmail(account) : noreply);
  return [`Proposed by ${name} on the Django Questions site.`, "", `Proposal-Id: ${p.id}`, `Co-authored-by: ${name} <${email}>`].join("\n");
}

/** The site merges content only: a pull request that also changes other files is merged on GitHub, by a person. */
function outsideContent(changed: readonly ChangedFile[]): string | undefined {
  const outside = [...new Set(changed.flatMap((f) => [f.path, ...(f.previousPath ? [f.previousPath] : [])]).filter((p) => !inContent(p)))];
  if (outside.length === 0) return undefined;
  const shown = outside.slice(0, 3).join(", ") + (outside.length > 3 ? ` and ${outside.length - 3} more` : "");
  return `This pull request changes files outside content/ (${shown}): the site only merges content. Review and merge it on GitHub.`;
}

export interface GitHubReviewDeps extends GitHubForgeDeps {
  /** The content checkout: after a merge it fast-forwards (the push webhook would too). */
  checkout?: Pick<Checkout, "sync">;
}

/**
 * `token`: act as that user; `touches` (`number:headSha` → the pull request changes content/) is
 * shared by the forge and every `as()` copy of it, since a head SHA's files never change whoever asks.
 */
export function createGitHubReview(
  config: GitHubForgeConfig,
  deps: GitHubReviewDeps = {},
  token?: string,
  touches: Map<string, boolean> = new Map(),
): ReviewForge & { actingAs?: ActingAs } {
  const upstream = { owner: config.owner, repo: config.repo };
  const octokit = octokitClient(config, token ? { token } : "app", deps);

  async function listFiles(number: number): Promise<ChangedFile[]> {
    const files = await reviewCall(`listing the files of #${number}`, () =>
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

  /** Text of a file at a ref of the given repository; undefined when absent. */
  async function fileText(path: string, ref: string, repo: { owner: string; repo: string }): Promise<string | undefined> {
    try {
      const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return Buffer.from(data.content, "base64").toString("utf8");
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw reviewError(error, `reading ${path}`);
    }
  }

  async function pull(number: number) {
    const { data } = await reviewCall(`reading pull request #${number}`, () => octokit.rest.pulls.get({ ...upstream, pull_number: number }));
    return data;
  }

  async function squashMerge(number: number, options: { title: string; message?: string; sha: string }): Promise<string> {
    const { data } = await reviewCall(`merging #${number}`, () =>
      octokit.rest.pulls.merge({
        ...upstream,
        pull_number: number,
        merge_method: "squash",
        commit_title: options.title,
        ...(options.message !== undefined ? { commit_message: options.message } : {}),
        sha: options.sha,
      }),
    );
    return data.sha;
  }

  const forge: ReviewForge & { actingAs?: ActingAs } = {
    foreignChanges: true,
    ...(token ? { actingAs: "maintainer" as const } : {}),

    as(actor) {
      if (actor.via === "forge" && actor.forgeToken) return createGitHubReview(config, deps, actor.forgeToken, touches);
      return { ...forge, actingAs: "site" };
    },

    async listOpen() {
      const pulls = await reviewCall("listing the open pull requests", () =>
        octokit.paginate(octokit.rest.pulls.list, { ...upstream, state: "open", per_page: 100 }),
      );
      const out: OpenChange[] = [];
      for (const pr of pulls.slice(0, 300)) {
        const marker = parseProposalMarker(pr.body);
        let touchesContent = marker !== undefined;
        if (!touchesContent) {
          const key = `${pr.number}:${pr.head.sha}`;
          let known = touches.get(key);
          if (known === undefined) {
            known = (await listFiles(pr.number)).some((f) => inContent(f.path));
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
          head: pr.head.sha,
        });
      }
      return out;
    },

    async change(number) {
      const data = await pull(number);
      const files = await listFiles(number);
      // The changed content files as they are at the head, read from the repository holding it (a fork, or upstream).
      const headRepo = { owner: data.head.repo?.owner.login ?? upstream.owner, repo: data.head.repo?.name ?? upstream.repo };
      const wanted = files.filter((f) => f.status !== "removed" && inContent(f.path));
      const texts: (string | undefined)[] = [];
      for (let i = 0; i < wanted.length; i += 4) {
        texts.push(...(await Promise.all(wanted.slice(i, i + 4).map((f) => fileText(f.path, data.head.sha, headRepo)))));
      }
      const contents: ProposalFile[] = wanted.flatMap((f, i) => (texts[i] === undefined ? [] : [{ path: f.path, content: texts[i]! }]));
      const blocked = outsideContent(files);
      const detail: ChangeDetail = {
        number: data.number,
        title: data.title,
        url: data.html_url,
        ...(data.user?.login ? { author: data.user.login } : {}),
        createdAt: data.created_at,
        state: data.merged || data.merged_at ? "merged" : data.state === "closed" ? "closed" : "open",
        head: data.head.sha,
        baseRef: data.base.ref,
        files,
        contents,
        ...(blocked ? { blocked } : {}),
      };
      return detail;
    },

    async checkRuns(ref) {
      const { data } = await reviewCall(`reading the checks of ${ref.slice(0, 12)}`, () =>
        octokit.rest.checks.listForRef({ ...upstream, ref, per_page: 100 }),
      );
      return data.check_runs.map((r) => ({
        name: r.name,
        status: r.status,
        conclusion: r.conclusion ?? null,
        ...(r.html_url ? { url: r.html_url } : {}),
      }));
    },

    async questionNumbers(change, known) {
      const ref = change.baseRef ?? change.head;
      const { data } = await reviewCall(`listing the files of ${ref}`, () => octokit.rest.git.getTree({ ...upstream, tree_sha: ref, recursive: "1" }));
      const out = new Map<string, number>();
      for (const entry of data.tree) {
        if (entry.type !== "blob" || !entry.path || !entry.sha || !isQuestionFile(entry.path)) continue;
        let number = known(entry.path, entry.sha);
        if (number === undefined) {
          const { data: blob } = await reviewCall(`reading ${entry.path}`, () => octokit.rest.git.getBlob({ ...upstream, file_sha: entry.sha! }));
          const m = /^---\r?\n[^]*?^number:[ \t]*(\d+)[ \t]*$/m.exec(Buffer.from(blob.content, "base64").toString("utf8"));
          if (m) number = Number(m[1]);
        }
        if (number !== undefined) out.set(entry.path, number);
      }
      return out;
    },

    async merge(number, options) {
      let head = options.head;
      if (options.renumbered.length > 0) {
        // The renumbered files go to the pull request's head branch first, one commit each.
        const data = await pull(number);
        for (const file of options.renumbered) {
          const { data: made } = await reviewCall(`committing ${file.path} to #${number}`, () =>
            octokit.rest.repos.createOrUpdateFileContents({
              owner: data.head.repo?.owner.login ?? upstream.owner,
              repo: data.head.repo?.name ?? upstream.repo,
              path: file.path,
              branch: data.head.ref,
              message: file.message,
              content: Buffer.from(file.content, "utf8").toString("base64"),
              ...(file.sha ? { sha: file.sha } : {}),
            }),
          );
          if (!made.commit.sha) throw new ForgeError("transient", `GitHub did not say which commit it made for ${file.path}.`);
          head = made.commit.sha;
        }
      }
      const message = options.proposal ? squashMessage(options.proposal, deps.noreplyEmail) : undefined;
      let sha: string | undefined;
      for (let attempt = 1; !sha; attempt++) {
        try {
          sha = await squashMerge(number, { title: options.title, sha: head, ...(message ? { message } : {}) });
        } catch (error) {
          // Right after the renumbering commit GitHub may not have caught up with the new head yet.
          const status = error instanceof ForgeError ? error.status : undefined;
          if (options.renumbered.length === 0 || attempt >= 4 || (status !== 405 && status !== 409)) throw error;
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
      // The site shows the merge once the checkout has it: fast-forward now rather than wait for the webhook.
      deps.checkout?.sync("merged in the review queue").catch(() => undefined);
      return { commit: sha, live: false };
    },

    async requestChanges(number, message) {
      await reviewCall(`requesting changes on #${number}`, () =>
        octokit.rest.pulls.createReview({ ...upstream, pull_number: number, event: "REQUEST_CHANGES", body: message }),
      );
    },

    async close(number, message) {
      if (message.trim()) {
        await reviewCall(`commenting on #${number}`, () => octokit.rest.issues.createComment({ ...upstream, issue_number: number, body: message }));
      }
      await reviewCall(`closing #${number}`, () => octokit.rest.pulls.update({ ...upstream, pull_number: number, state: "closed" }));
    },
  };
  return forge;
}
