/**
 * Where a proposal's branch goes: the upstream repository (the site's
 * credentials, or a contributor who can push), or the signed-in
 * contributor's fork — made on demand, waited for while GitHub creates it in
 * the background, and synced with upstream. See ../README.md, *Forks are made
 * in the background*.
 */
import { ForgeError } from "../errors";
import type { ProgressStore } from "../types";
import { RequestError, responseData, type OctokitClient } from "./client.server";
import type { DeliveryContext, Head, Repo } from "./context.server";

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createHeadResolver(ctx: DeliveryContext): (progress: ProgressStore, user: OctokitClient | undefined) => Promise<Head> {
  const { upstream, slug, deps, toForgeError, step, upstreamBase } = ctx;
  type Client = OctokitClient;

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
      if (inFork) await progress.save({ headOwner: undefined, headRepo: undefined, headBase: undefined, forkReady: undefined, commitSha: undefined });
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
        await progress.save({ headOwner: upstream.owner, headRepo: upstream.repo });
        return { ...upstream, base };
      }
      // GitHub answers 202 at once and copies the git data in the background.
      const created = await step("forking the repository for the contributor", "user", () =>
        user.rest.repos.createFork({ ...upstream, default_branch_only: true }),
      );
      fork = { owner: created.data.owner.login, repo: created.data.name };
      forkBase = created.data.default_branch || base;
      await progress.save({ headOwner: fork.owner, headRepo: fork.repo, headBase: forkBase });
      await progress.note("forked", `Forked ${slug} to ${fork.owner}/${fork.repo} (the contributor cannot push to ${slug}).`);
    }
    let parent: string | undefined = await waitForFork(fork, forkBase, user);
    // Bring the fork's branch up to date with upstream; a diverged fork still works (the PR diff is against its merge base).
    try {
      const { data } = await user.rest.repos.mergeUpstream({ ...fork, branch: forkBase });
      if (data.merge_type !== "none") parent = undefined; // moved: read it again
    } catch (error) {
      const e = toForgeError(error, "syncing the fork", "user");
      if (e.kind === "transient" || e.kind === "rate-limited") throw e;
      await progress.note("fork-not-synced", `The fork could not be synced with ${slug}: ${e.message}`);
    }
    await progress.save({ forkReady: true });
    return { ...fork, base: forkBase, ...(parent ? { parent } : {}) };
  }

  return headRepo;
}
