/**
 * The maintainers' side of the local queue. Merging writes the proposal's
 * files into the content folder — only `content/questions/...` files of the
 * content contract, never outside the folder — and, when the folder is in a
 * git work tree, commits exactly those files with the contributor as author
 * (through the app's one git runner). Then the content store re-reads them,
 * so the site shows them at once. When the checkout follows a remote
 * (`CONTENT_REMOTE`), it is fast-forwarded before a merge and the merge
 * commit pushed after it, so the two never diverge. The proposal's status
 * and timeline are kept by the review module.
 */
import fs from "node:fs";
import path from "node:path";
import { ContractPathError, contractFileOf, parseRepoPath, questionPath, toContentPath } from "~/modules/contract";
import { runGit as defaultRunGit, type GitRunner } from "~/modules/git/run.server";
import { NEUTRAL_CONTRIBUTOR_EMAIL } from "../branch";
import { ForgeError } from "../errors";
import type { ChangeDetail, Checkout, OpenChange, ProposalRecords, QueueEntry, ReviewForge } from "../types";
import { changeState } from "./delivery.server";

export interface LocalReviewDeps {
  records: ProposalRecords;
  /** The content folder (`CONTENT_DIR`): repository paths `content/...` map into it. */
  contentDir: string;
  /** Re-reads changed files (paths relative to the content folder): `store.reload`. */
  reload(relPaths: string[]): Promise<void>;
  /** The checkout's git sync: when it follows a remote, fast-forward before a merge and push after it. */
  checkout?: Checkout;
  runGit?: GitRunner;
  /** E-mail of the commit author when the contributor gave neither an e-mail nor a GitHub username. */
  noreplyEmail?: string;
  /** Committer when git has no user configured. */
  committer?: { name: string; email: string };
}

const OPEN_STATUSES = ["opened", "changes_requested"];

/** Repository path → absolute path inside the content folder; throws for anything outside `content/questions/`. */
export function contentTarget(contentDir: string, repoPath: string): { rel: string; abs: string } {
  try {
    parseRepoPath(repoPath); // only content/questions/<slug>/question.md and .../answers/<id>.md
  } catch (error) {
    if (error instanceof ContractPathError) throw new Error(`Not a file of the content contract (${error.reason}): ${repoPath}`);
    throw error;
  }
  const rel = toContentPath(repoPath);
  const root = path.resolve(contentDir);
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(root + path.sep)) throw new Error(`Refusing to write outside the content folder: ${repoPath}`);
  // No symbolic link on the way may lead out of the folder.
  const realRoot = fs.realpathSync(root);
  let probe = path.dirname(abs);
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const real = fs.realpathSync(probe);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new Error(`Refusing to write through a link out of the content folder: ${repoPath}`);
  if (fs.existsSync(abs) && fs.lstatSync(abs).isSymbolicLink()) throw new Error(`Refusing to overwrite a symbolic link: ${repoPath}`);
  return { rel, abs };
}

/**
 * The local merge commit's author. Without GitHub the username cannot be resolved to an account
 * id, so the GitHub forge's `<id>+<login>@users.noreply.github.com` is out of reach: a username
 * without an e-mail keeps the older `<login>@users.noreply.github.com` form (linked by GitHub
 * only for accounts made before July 2017), and there is no Co-authored-by trailer.
 */
function authorLine(entry: QueueEntry, noreply: string): string {
  const c = entry.contributor;
  const name = c.name.replace(/[<>\r\n]/g, "").trim() || "Contributor";
  const email = c.email ?? (c.github ? `${c.github}@users.noreply.github.com` : noreply);
  return `${name} <${email.replace(/[<>\s]/g, "")}>`;
}

export function createLocalReview(deps: LocalReviewDeps): ReviewForge {
  const { records } = deps;
  const runGit = deps.runGit ?? defaultRunGit;
  const noreply = deps.noreplyEmail ?? NEUTRAL_CONTRIBUTOR_EMAIL;
  const committer = deps.committer ?? { name: "Django Questions", email: noreply };
  const dir = path.resolve(deps.contentDir);

  async function entryOf(number: number): Promise<QueueEntry> {
    const entry = await records.byNumber("local", number);
    if (!entry) throw new ForgeError("rejected", `There is no local proposal #${number}.`);
    return entry;
  }

  async function openEntry(number: number): Promise<QueueEntry> {
    const entry = await entryOf(number);
    if (!OPEN_STATUSES.includes(entry.status)) throw new ForgeError("rejected", `Local proposal #${number} is ${entry.status}, not open for review.`);
    return entry;
  }

  const exists = (repoPath: string) => fs.existsSync(path.resolve(dir, toContentPath(repoPath)));

  /** Why a proposal can no longer be merged as it is (something changed in the content folder meanwhile). */
  function conflict(entry: QueueEntry): string | undefined {
    for (const f of entry.files) {
      const file = contractFileOf(f.path);
      if (!file) return `${f.path} is not a file of the content contract.`;
      if (entry.kind === "question" && exists(questionPath(file.slug))) {
        return `A question in the folder "${file.slug}" was merged meanwhile: close this proposal, or ask the contributor to propose it again.`;
      }
      if (entry.kind === "answer" && exists(f.path)) return `${f.path} exists already: an answer with the same name was merged meanwhile.`;
      if (entry.kind === "edit" && !exists(f.path)) return `${f.path} no longer exists: the edited file was removed meanwhile.`;
    }
    return undefined;
  }

  async function commit(entry: QueueEntry, abs: string[], message: string): Promise<string | undefined> {
    const git = (args: string[], env?: Record<string, string>) => runGit(args, { cwd: dir, timeoutMs: 30_000, ...(env ? { env } : {}) });
    const top = await git(["rev-parse", "--show-toplevel"]).then(
      (out) => out.trim() || undefined,
      () => undefined,
    );
    if (!top) return undefined;
    let env: Record<string, string> | undefined;
    const configured = await git(["config", "user.email"]).catch(() => "");
    if (!configured.trim()) env = { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
    await git(["add", "--", ...abs]);
    try {
      await git(
        ["-c", "commit.gpgsign=false", "commit", "--quiet", `--author=${authorLine(entry, noreply)}`, `--date=${entry.createdAt}`, "-m", message, "--only", "--", ...abs],
        env,
      );
    } catch (error) {
      await git(["reset", "--quiet", "--", ...abs]).catch(() => undefined);
      throw error;
    }
    return (await git(["rev-parse", "HEAD"])).trim();
  }

  /** Writes the files (each through a temporary file), commits them; puts everything back when that fails. */
  async function write(entry: QueueEntry, files: { path: string; content: string }[], message: string): Promise<{ paths: string[]; commit?: string }> {
    const targets = files.map((f) => ({ ...contentTarget(dir, f.path), content: f.content }));
    const previous = targets.map((t) => (fs.existsSync(t.abs) ? fs.readFileSync(t.abs) : undefined));
    const restore = () => {
      targets.forEach((t, i) => {
        const before = previous[i];
        if (before === undefined) {
          // A write that never happened leaves nothing to remove (its folder may not even be reachable).
          if (fs.existsSync(t.abs)) fs.rmSync(t.abs, { force: true });
        } else fs.writeFileSync(t.abs, before);
      });
    };
    let sha: string | undefined;
    try {
      for (const t of targets) {
        fs.mkdirSync(path.dirname(t.abs), { recursive: true });
        const tmp = `${t.abs}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, t.content, "utf8");
        fs.renameSync(tmp, t.abs);
      }
      sha = await commit(entry, targets.map((t) => t.abs), message);
    } catch (error) {
      restore();
      throw new ForgeError("rejected", `The files could not be merged: ${(error as Error).message}`, { cause: error });
    }
    return { paths: targets.map((t) => t.rel.split(path.sep).join("/")), ...(sha ? { commit: sha } : {}) };
  }

  const forge: ReviewForge = {
    foreignChanges: false,

    as() {
      return forge;
    },

    async listOpen() {
      return (await records.open("local")).flatMap((entry): OpenChange[] =>
        entry.number === null
          ? []
          : [
              {
                number: entry.number,
                title: entry.title,
                branch: entry.branch ?? "",
                author: entry.contributor.name,
                proposalId: entry.id,
                createdAt: entry.createdAt,
                head: entry.id,
              },
            ],
      );
    },

    async change(number) {
      const entry = await entryOf(number);
      const blocked = conflict(entry);
      const detail: ChangeDetail = {
        number,
        title: entry.title,
        author: entry.contributor.name,
        createdAt: entry.createdAt,
        state: changeState(entry.status),
        head: entry.id,
        files: entry.files.map((f) => ({ path: f.path, status: exists(f.path) ? "modified" : "added" })),
        contents: entry.files,
        ...(blocked ? { blocked } : {}),
      };
      return detail;
    },

    async beforeMerge() {
      // Merge on top of what the remote has, so the merge commit can be pushed as a fast-forward.
      if (deps.checkout?.enabled) await deps.checkout.sync("before a merge in the review queue");
    },

    async merge(number, options) {
      const entry = await openEntry(number);
      const renumbered = new Map(options.renumbered.map((r) => [r.path, r.content]));
      const files = entry.files.map((f) => ({ path: f.path, content: renumbered.get(f.path) ?? f.content }));
      const result = await write(entry, files, options.title);
      await deps.reload(result.paths);
      let published: string | undefined;
      if (deps.checkout?.enabled && result.commit) {
        const push = await deps.checkout.push(`merged #${number} in the review queue`);
        published = push.pushed ? " Pushed to the content remote." : ` Not pushed to the content remote (${push.error}): push it by hand.`;
      }
      return { ...(result.commit ? { commit: result.commit } : {}), live: true, ...(published ? { published } : {}) };
    },

    async requestChanges(number) {
      // The local queue keeps no copy of its own: the proposal's timeline is the record (review module).
      await openEntry(number);
    },

    async close(number) {
      await openEntry(number);
    },
  };
  return forge;
}
