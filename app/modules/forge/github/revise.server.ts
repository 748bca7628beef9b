/**
 * A revision of a delivered proposal on GitHub: a new commit on the same
 * branch, so the same pull request shows it (GitHub fires `synchronize`), and
 * the pull request's title and body follow the revision.
 *
 *   GET   /repos/{head}/git/ref/heads/{branch}     the branch's head (the parent)
 *   GET   /repos/{head}/git/commits/{sha}          its tree
 *   POST  /repos/{head}/git/trees                  the revised files inline on that tree (a file no longer proposed: sha null)
 *   POST  /repos/{head}/git/commits                author = the contributor, `Proposal-Id` trailer, parent = the head
 *   PATCH /repos/{head}/git/refs/heads/{branch}    fast-forward only: a branch someone else moved meanwhile is never overwritten
 *   PATCH /repos/{o}/{r}/pulls/{n}                 title and body (with the proposal marker)
 *
 * The branch lives in the repository (the site's credentials) or in the
 * contributor's fork: a fork is written only with the contributor's own
 * sign-in, the site cannot push there.
 */
import { isolate } from "~/modules/bidi/isolate";
import { NEUTRAL_CONTRIBUTOR_EMAIL, proposalTrailer } from "../branch";
import { ForgeError } from "../errors";
import { withProposalMarker } from "../marker";
import type { DeliverableProposal, ProgressStore, RevisionOptions, RevisionResult } from "../types";
import type { GitHubForgeDeps } from "./client.server";
import type { DeliveryContext, Repo, Who } from "./context.server";
import { authorEmail, commitSubject } from "./delivery.server";

export function createGitHubRevision(ctx: DeliveryContext, deps: GitHubForgeDeps) {
  const { upstream, app, client, step } = ctx;
  const noreply = deps.noreplyEmail ?? NEUTRAL_CONTRIBUTOR_EMAIL;
  const committer = deps.committer ?? {
    name: "Django Questions",
    email: noreply,
  };

  return async function revise(p: DeliverableProposal, progress: ProgressStore, options: RevisionOptions): Promise<RevisionResult> {
    const done = progress.current;
    if (!done.branch || done.prNumber === undefined) {
      throw new ForgeError("rejected", "This proposal has no pull request yet: it can be revised once it is in review.");
    }
    const head: Repo = done.headOwner && done.headRepo ? { owner: done.headOwner, repo: done.headRepo } : upstream;
    const inFork = head.owner !== upstream.owner || head.repo !== upstream.repo;
    if (inFork && !options.userToken) {
      throw new ForgeError(
        "rejected",
        `The pull request's branch is in ${head.owner}/${head.repo}, the contributor's fork: sign in with GitHub as ${head.owner} to revise it here, or push the change to the branch ${done.branch} on GitHub.`
      );
    }
    const actor = inFork && options.userToken ? client({ token: options.userToken }) : app;
    const who: Who = actor === app ? "app" : "user";
    const branch = done.branch;

    const { data: ref } = await step(`reading the branch ${branch}`, who, () => actor.rest.git.getRef({ ...head, ref: `heads/${branch}` }));
    const parent = ref.object.sha;
    const { data: parentCommit } = await step("reading the branch's head commit", who, () =>
      actor.rest.git.getCommit({ ...head, commit_sha: parent })
    );
    const kept = new Set(p.files.map((f) => f.path));
    const removed = options.previousFiles
      .filter((f) => !kept.has(f.path))
      .map((f) => ({
        path: f.path,
        mode: "100644" as const,
        type: "blob" as const,
        sha: null,
      }));
    const { data: tree } = await step("creating the tree", who, () =>
      actor.rest.git.createTree({
        ...head,
        base_tree: parentCommit.tree.sha,
        tree: [
          ...p.files.map((f) => ({
            path: f.path,
            mode: "100644" as const,
            type: "blob" as const,
            content: f.content,
          })),
          ...removed,
        ],
      })
    );
    if (tree.sha === parentCommit.tree.sha) return { commitSha: parent };
    const date = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const message = [
      `${commitSubject(p)} (revision ${options.version})`,
      "",
      `Revised by ${isolate(p.contributor.name.replace(/[\r\n]+/g, " "))} after review, on the Django Questions site.`,
      "",
      proposalTrailer(p.id),
      "",
    ].join("\n");
    const { data: commit } = await step("creating the commit", who, () =>
      actor.rest.git.createCommit({
        ...head,
        message,
        tree: tree.sha,
        parents: [parent],
        author: {
          name: p.contributor.name,
          email: authorEmail(p, done.githubUser, noreply),
          date,
        },
        committer: { ...committer, date },
      })
    );
    await step(`moving the branch ${branch}`, who, () =>
      actor.rest.git.updateRef({
        ...head,
        ref: `heads/${branch}`,
        sha: commit.sha,
        force: false,
      })
    );
    await progress.save({ commitSha: commit.sha });
    await progress.note("branch", `Revision ${options.version}: commit ${commit.sha.slice(0, 7)} on ${branch}.`);
    const prNumber = done.prNumber;
    await step(`updating pull request #${prNumber}`, "app", () =>
      app.rest.pulls.update({
        ...upstream,
        pull_number: prNumber,
        title: p.title,
        body: withProposalMarker(p.body, p),
      })
    );
    return { commitSha: commit.sha };
  };
}
