/**
 * Live updates from git: fast-forwards the checkout that holds the content
 * folder to the remote branch and re-reads only the content files that
 * changed between the old and the new HEAD.
 *
 *   git -C <content> rev-parse --show-toplevel      the work tree
 *   git fetch --no-tags <remote> refs/heads/<branch>
 *   git merge --ff-only <fetched sha>               never a merge commit
 *   git diff --name-only --no-renames -z old new    → store.reload(paths)
 *
 * Every command runs through `runGit` (app/modules/git: no shell, a timeout, a
 * scrubbed environment), as the local review queue's commits do. Syncs run
 * one at a time: a trigger while one runs schedules exactly one more (any
 * number of triggers during a run coalesce into that one). A failure (not a
 * checkout, network, diverged history, local changes in the way) is logged
 * with a clear message and the store keeps serving the previous content.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { GitCommandError, runGit } from "~/modules/git/run.server";
import { consoleLog, errorMessage, type SyncLog } from "./log";

export interface GitSyncResult {
  /** HEAD moved (the checkout was fast-forwarded). */
  updated: boolean;
  /** HEAD before the sync (null when it could not be read). */
  from: string | null;
  /** HEAD after the sync. */
  to: string | null;
  /** Content-relative paths that changed and were re-read. */
  changed: string[];
  /** What went wrong; the site keeps serving the content it had. */
  error?: string;
  /** Why this sync ran (webhook, poll, ...). */
  reason: string;
  /** ISO time the sync finished. */
  at: string;
}

/** The part of the content store the sync needs. */
export interface ReloadableStore {
  readonly dir: string;
  reload(relPaths: string[]): Promise<void>;
}

export interface GitSyncOptions {
  store: ReloadableStore;
  /**
   * Off: `sync()` does nothing (no git command) and says why in the result's `error`; the poller and
   * the webhook leave content alone. See {@link contentSyncSetting}. Default on.
   */
  enabled?: boolean;
  /** The content folder; default `store.dir`. */
  contentDir?: string;
  /** Remote to fetch from. Default `origin`. */
  remote?: string;
  /** Branch to follow. Default: the checkout's current branch. */
  branch?: string;
  /** Timeout of each git command. Default 60 s. */
  timeoutMs?: number;
  log?: SyncLog;
  /**
   * Called when the checkout moved: a sync fast-forwarded it, or a push published its HEAD (a local merge).
   * The composition root tells the other instances (NOTIFY), which sync too.
   */
  onMoved?: (event: { head: string; reason: string; via: "sync" | "push" }) => void;
  /** Runs one git command (default: `runGit` of app/modules/git); tests wrap it to watch the commands. */
  runGit?: (args: readonly string[], timeoutMs: number) => Promise<string>;
}

export interface GitSync {
  /**
   * Runs a sync now, or — when one is running — once more right after it.
   * Never rejects: failures are in the result's `error`.
   */
  sync(reason?: string): Promise<GitSyncResult>;
  /** Resolves when no sync is running or scheduled (tests, shutdown); with a timeout, at the latest after it. */
  whenIdle(timeoutMs?: number): Promise<void>;
  readonly busy: boolean;
  readonly enabled: boolean;
  readonly lastResult: GitSyncResult | undefined;
  /**
   * Publishes the checkout's commits (a merge in the local review queue): `git push <remote>
   * HEAD:refs/heads/<branch>`, never forced, one at a time with the syncs. Never rejects.
   */
  push(reason?: string): Promise<{ pushed: boolean; error?: string }>;
  /** The branch that is followed (configured, or the checkout's current one once known). */
  readonly branch: string | undefined;
  /**
   * The branch that is followed — configured, or else the checkout's current branch (read once) —
   * or undefined when the content folder is not on a branch of a git checkout. The webhook asks this
   * too, so a push is acted on exactly when it is to the branch the sync fast-forwards to.
   */
  followedBranch(): Promise<string | undefined>;
}

/** `git merge-base --is-ancestor a b`: exit 0 yes, 1 no, anything else an error. */
async function isAncestor(g: (args: string[]) => Promise<string>, top: string, a: string, b: string): Promise<boolean> {
  try {
    await g(["-C", top, "merge-base", "--is-ancestor", a, b]);
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return false;
    throw error;
  }
}

class SyncFailure extends Error {}

/**
 * Whether the content checkout follows a remote at all, and which one.
 *
 * A remote forge (GitHub): always (`CONTENT_REMOTE`, default `origin`) — merges happen there and reach
 * the site by fast-forward. The local review queue: merges are commits made in the checkout
 * itself, so it follows a remote only when `CONTENT_REMOTE` is set explicitly — and then each local
 * merge is pushed there, so the checkout never falls behind-and-ahead (diverges) of it. Without it,
 * a fresh clone's `origin` (e.g. the upstream project) is left alone: no polling, no warnings.
 */
export function contentSyncSetting(options: { remoteForge: boolean; remote: string | undefined }): { enabled: boolean; remote: string } {
  return { enabled: options.remoteForge || options.remote !== undefined, remote: options.remote ?? "origin" };
}

export function createGitSync(options: GitSyncOptions): GitSync {
  const log = options.log ?? consoleLog;
  const remote = options.remote ?? "origin";
  const timeoutMs = options.timeoutMs ?? 60_000;
  let branch = options.branch;

  let active: Promise<void> | undefined;
  let next: { reason: string; resolve: (r: GitSyncResult) => void; promise: Promise<GitSyncResult> } | undefined;
  let lastResult: GitSyncResult | undefined;
  let lastLoggedError: string | undefined;
  /** The "checkout is ahead" note is said once per local HEAD, not at every poll. */
  let lastAheadNote: string | undefined;
  /** Paths whose reload failed: retried by the next sync even if HEAD does not move. */
  const unreloaded = new Set<string>();

  const exec = options.runGit ?? ((args: readonly string[], ms: number) => runGit(args, { timeoutMs: ms }));
  const g = (args: string[]) => exec(args, timeoutMs);
  const enabled = options.enabled ?? true;
  /** Syncs and pushes never run at the same time. */
  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  async function locate(): Promise<{ top: string; prefix: string }> {
    const configured = options.contentDir ?? options.store.dir;
    let dir: string;
    try {
      dir = await realpath(configured);
    } catch {
      throw new SyncFailure(`the content folder ${configured} does not exist`);
    }
    let top: string;
    try {
      top = await realpath((await g(["-C", dir, "rev-parse", "--show-toplevel"])).trim());
    } catch (error) {
      throw new SyncFailure(`the content folder ${dir} is not inside a git checkout (${errorMessage(error)})`);
    }
    const prefix = path.relative(top, dir).split(path.sep).join("/");
    if (prefix.startsWith("..")) throw new SyncFailure(`the content folder ${dir} is outside the checkout ${top}`);
    return { top, prefix };
  }

  async function currentBranch(top: string): Promise<string> {
    try {
      return (await g(["-C", top, "symbolic-ref", "--quiet", "--short", "HEAD"])).trim();
    } catch {
      throw new SyncFailure(`the checkout ${top} is not on a branch (detached HEAD): set CONTENT_BRANCH to the branch to follow`);
    }
  }

  async function pushOnce(reason: string): Promise<{ pushed: boolean; error?: string }> {
    if (!enabled) return { pushed: false, error: "content sync is off" };
    let target = remote;
    try {
      const { top } = await locate();
      branch ??= await currentBranch(top);
      target = `${remote}/${branch}`;
      try {
        await g(["-C", top, "push", "--quiet", remote, `HEAD:refs/heads/${branch}`]);
      } catch (error) {
        throw new SyncFailure(`pushing to ${target} failed: ${errorMessage(error)}`);
      }
      lastAheadNote = undefined;
      log.info(`content sync (${reason}): pushed the checkout's HEAD to ${target}.`);
      if (options.onMoved) {
        const head = (await g(["-C", top, "rev-parse", "HEAD"]).catch(() => "")).trim();
        if (head) notify({ head, reason, via: "push" });
      }
      return { pushed: true };
    } catch (error) {
      const message = errorMessage(error);
      log.error(`content sync (${reason}): ${message}. The commit stays in the checkout; push it by hand (git push ${remote} HEAD:${branch ?? "<branch>"}).`);
      return { pushed: false, error: message };
    }
  }

  async function runOnce(reason: string): Promise<GitSyncResult> {
    if (!enabled) {
      return { updated: false, from: null, to: null, changed: [], reason, at: new Date().toISOString(), error: "content sync is off (local review queue without CONTENT_REMOTE)" };
    }
    let from: string | null = null;
    let to: string | null = null;
    let changed: string[] = [];
    const result = (extra: Partial<GitSyncResult> = {}): GitSyncResult => ({
      updated: from !== null && to !== null && from !== to,
      from,
      to,
      changed,
      reason,
      at: new Date().toISOString(),
      ...extra,
    });
    try {
      const { top, prefix } = await locate();
      branch ??= await currentBranch(top);
      const target = `${remote}/${branch}`;
      from = (await g(["-C", top, "rev-parse", "--verify", "HEAD^{commit}"])).trim();
      to = from;
      try {
        await g(["-C", top, "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", remote, `refs/heads/${branch}`]);
      } catch (error) {
        throw new SyncFailure(`fetching ${target} failed: ${errorMessage(error)}`);
      }
      const fetched = (await g(["-C", top, "rev-parse", "--verify", "FETCH_HEAD^{commit}"])).trim();
      if (fetched !== from) {
        if (!(await isAncestor(g, top, from, fetched))) {
          if (await isAncestor(g, top, fetched, from)) {
            // Local commits (e.g. merges in the local review queue) not pushed yet: nothing to do, and said once.
            if (lastAheadNote !== from) {
              log.warn(
                `content sync: the checkout ${top} has commits that ${target} does not have; nothing to fast-forward. ` +
                  `Push them (git push ${remote} HEAD:${branch}) before anything else lands on ${target}, or the checkout diverges.`,
              );
              lastAheadNote = from;
            }
          } else {
            throw new SyncFailure(
              `the checkout ${top} has diverged from ${target} (local ${from.slice(0, 7)}, remote ${fetched.slice(0, 7)}): ` +
                `a fast-forward is impossible, so the site keeps serving the current content. ` +
                `Bring the checkout back in line by hand (e.g. git reset --hard ${target}).`,
            );
          }
        } else {
          try {
            await g(["-C", top, "merge", "--ff-only", "--quiet", fetched]);
          } catch (error) {
            throw new SyncFailure(`fast-forwarding the checkout ${top} to ${target} failed: ${errorMessage(error)}`);
          }
          to = (await g(["-C", top, "rev-parse", "--verify", "HEAD^{commit}"])).trim();
        }
      }
      if (to !== from) {
        const names = (await g(["-C", top, "diff", "--name-only", "--no-renames", "-z", from, to])).split("\0").filter(Boolean);
        for (const name of names) {
          if (prefix === "") unreloaded.add(name);
          else if (name.startsWith(`${prefix}/`)) unreloaded.add(name.slice(prefix.length + 1));
        }
      }
      changed = [...unreloaded].sort();
      if (changed.length > 0) {
        try {
          await options.store.reload(changed);
        } catch (error) {
          throw new SyncFailure(`re-reading ${changed.length} changed content file(s) failed: ${errorMessage(error)}`);
        }
        unreloaded.clear();
      }
      if (to !== from) {
        log.info(`content sync (${reason}): ${from.slice(0, 7)}..${to.slice(0, 7)} on ${target}, ${changed.length} content file(s) re-read.`);
      }
      lastLoggedError = undefined;
      return result();
    } catch (error) {
      const message = errorMessage(error);
      // A poll every few minutes against the same broken checkout: say it once, until it recovers.
      if (message !== lastLoggedError) {
        log.error(`content sync (${reason}) failed: ${message}. The site keeps serving the previous content.`);
        lastLoggedError = message;
      }
      return result({ error: message });
    }
  }

  function notify(event: { head: string; reason: string; via: "sync" | "push" }): void {
    try {
      options.onMoved?.(event);
    } catch (error) {
      log.warn(`content sync: telling the other instances failed: ${errorMessage(error)}`);
    }
  }

  async function drain(): Promise<void> {
    try {
      while (next) {
        const job = next;
        next = undefined;
        const r = await exclusive(() => runOnce(job.reason));
        lastResult = r;
        job.resolve(r);
        if (r.updated && r.to) notify({ head: r.to, reason: r.reason, via: "sync" });
      }
    } finally {
      active = undefined;
    }
  }

  return {
    sync(reason = "manual") {
      if (!next) {
        let resolve!: (r: GitSyncResult) => void;
        const promise = new Promise<GitSyncResult>((r) => (resolve = r));
        next = { reason, resolve, promise };
      }
      const { promise } = next;
      active ??= drain();
      return promise;
    },
    async whenIdle(timeoutMs?: number) {
      const idle = (async () => {
        while (active) await active;
      })();
      if (timeoutMs === undefined) return idle;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([idle, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
    get busy() {
      return active !== undefined;
    },
    enabled,
    push(reason = "push") {
      return exclusive(() => pushOnce(reason));
    },
    get lastResult() {
      return lastResult;
    },
    get branch() {
      return branch;
    },
    async followedBranch() {
      if (branch) return branch;
      if (!enabled) return undefined;
      try {
        const { top } = await locate();
        branch ??= await currentBranch(top);
        return branch;
      } catch {
        return undefined;
      }
    },
  };
}
