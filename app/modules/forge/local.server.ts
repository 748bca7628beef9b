/**
 * The embedded default forge: no GitHub. Delivering a proposal puts it in the
 * local review queue — status `opened`, a local number from a sequence, the
 * review page `/review/<id>` as its url. Maintainers review it on the site.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseEditPath } from "~/modules/contributions/files";
import { sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import type { Database } from "~/modules/db/index.server";
import { nextSequenceValue } from "~/modules/db/sequences.server";
import { branchName, NEUTRAL_CONTRIBUTOR_EMAIL } from "./branch";
import { ForgeError } from "./errors";
import type {
  ChangeRef,
  ChangeState,
  DeliverableProposal,
  DeliveryResult,
  Forge,
  ProgressStore,
  ProposalFile,
  ReviewForge,
} from "./types";

export const LOCAL_SEQUENCE = "local-review-number";

export function reviewPath(id: string): string {
  return `/review/${encodeURIComponent(id)}`;
}

export function createLocalForge(deps: { db: Database; /** Where the numbers come from; default: the SQLite `db`. */ data?: Pick<DataLayer, "db"> }): Forge {
  const { db } = deps;
  const numbers = deps.data ?? sqliteDataLayer(db);
  return {
    name: "local",
    async deliver(proposal: DeliverableProposal, progress: ProgressStore): Promise<DeliveryResult> {
      const done = progress.current;
      if (done.prNumber !== undefined && done.prUrl && done.branch) {
        return { number: done.prNumber, url: done.prUrl, branch: done.branch };
      }
      const branch = branchName(proposal);
      const url = reviewPath(proposal.id);
      // A number is never repeated; a crash between taking it and saving it skips it (one gap). Issue 11
      // part B puts both in one transaction once the proposals are on the data layer too.
      const number = await nextSequenceValue(numbers, LOCAL_SEQUENCE);
      progress.save({ prNumber: number, prUrl: url, branch });
      progress.note("queued-for-review", `In the local review queue as #${number}.`);
      return { number, url, branch };
    },
    async getState(ref: ChangeRef): Promise<ChangeState> {
      const row = (
        ref.proposalId
          ? db.prepare("SELECT status FROM proposals WHERE id = ?").get(ref.proposalId)
          : db.prepare("SELECT status FROM proposals WHERE forge = 'local' AND pr_number = ?").get(ref.number)
      ) as { status: string } | undefined;
      if (!row) throw new Error(`No local proposal #${ref.number}`);
      if (row.status === "merged") return "merged";
      if (row.status === "closed") return "closed";
      return "open";
    },
  };
}

// ---------------------------------------------------------------------------
// The maintainers' side of the local queue (ReviewForge). Merging writes the
// proposal's files into the content folder — only `content/questions/...`
// files of the content contract, never outside the folder — and, when the
// folder is in a git work tree, commits exactly those files with the
// contributor as author. Then the content store re-reads them, so the site
// shows them at once. The proposal's status and timeline are kept by the
// review module (app/modules/review).

export type GitRunner = (args: readonly string[], cwd: string, env?: Record<string, string>) => Promise<string>;

export const runGitCommand: GitRunner = (args, cwd, env) =>
  new Promise((resolve, reject) => {
    execFile(
      "git",
      [...args],
      { cwd, timeout: 30_000, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...env } },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(new Error(`git ${args[0]}: ${String(stderr || error.message).trim()}`), { cause: error }));
        else resolve(String(stdout));
      },
    );
  });

export interface LocalReviewDeps {
  db: Database;
  /** The content folder (`CONTENT_DIR`): repository paths `content/...` map into it. */
  contentDir: string;
  /** Re-reads changed files (paths relative to the content folder): `store.reload`. */
  reload(relPaths: string[]): Promise<void>;
  runGit?: GitRunner;
  /** E-mail of the commit author when the contributor gave neither an e-mail nor a GitHub username. */
  noreplyEmail?: string;
  /** Committer when git has no user configured. */
  committer?: { name: string; email: string };
}

export interface LocalMergeResult {
  /** Content-relative paths written. */
  paths: string[];
  /** The commit, when the content folder is in a git work tree. */
  commit?: string;
}

export interface LocalReviewForge extends ReviewForge {
  /** Writes the files of local change `number`, commits them when in git, reloads the store. */
  mergeLocal(number: number, options?: { message?: string }): Promise<LocalMergeResult>;
}

interface LocalRow {
  id: string;
  pr_number: number;
  pr_title: string;
  branch: string | null;
  contributor_name: string;
  contributor_github: string | null;
  contributor_email: string | null;
  files: string;
  status: string;
  created_at: string;
}

const OPEN_STATUSES = ["opened", "changes_requested"];

/** Repository path → absolute path inside the content folder; throws for anything outside `content/questions/`. */
export function contentTarget(contentDir: string, repoPath: string): { rel: string; abs: string } {
  parseEditPath(repoPath); // only content/questions/<slug>/question.md and .../answers/<id>.md
  const rel = repoPath.slice("content/".length);
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
function authorLine(row: LocalRow, noreply: string): string {
  const name = row.contributor_name.replace(/[<>\r\n]/g, "").trim() || "Contributor";
  const email = row.contributor_email ?? (row.contributor_github ? `${row.contributor_github}@users.noreply.github.com` : noreply);
  return `${name} <${email.replace(/[<>\s]/g, "")}>`;
}

export function createLocalReviewForge(deps: LocalReviewDeps): LocalReviewForge {
  const { db } = deps;
  const runGit = deps.runGit ?? runGitCommand;
  const noreply = deps.noreplyEmail ?? NEUTRAL_CONTRIBUTOR_EMAIL;
  const committer = deps.committer ?? { name: "Django Questions", email: noreply };

  function openRow(number: number): LocalRow {
    const row = db.prepare("SELECT * FROM proposals WHERE forge = 'local' AND pr_number = ?").get(number) as LocalRow | undefined;
    if (!row) throw new ForgeError("rejected", `There is no local proposal #${number}.`);
    if (!OPEN_STATUSES.includes(row.status)) throw new ForgeError("rejected", `Local proposal #${number} is ${row.status}, not open for review.`);
    return row;
  }

  async function gitTopLevel(dir: string): Promise<string | undefined> {
    try {
      return (await runGit(["rev-parse", "--show-toplevel"], dir)).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async function commit(row: LocalRow, abs: string[], message: string): Promise<string | undefined> {
    const dir = path.resolve(deps.contentDir);
    const top = await gitTopLevel(dir);
    if (!top) return undefined;
    let env: Record<string, string> | undefined;
    const configured = await runGit(["config", "user.email"], dir).catch(() => "");
    if (!configured.trim()) env = { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
    await runGit(["add", "--", ...abs], dir);
    try {
      await runGit(
        ["-c", "commit.gpgsign=false", "commit", "--quiet", `--author=${authorLine(row, noreply)}`, `--date=${row.created_at}`, "-m", message, "--only", "--", ...abs],
        dir,
        env,
      );
    } catch (error) {
      await runGit(["reset", "--quiet", "--", ...abs], dir).catch(() => undefined);
      throw error;
    }
    return (await runGit(["rev-parse", "HEAD"], dir)).trim();
  }

  const forge: LocalReviewForge = {
    async listOpen() {
      const rows = db
        .prepare(
          `SELECT * FROM proposals WHERE forge = 'local' AND pr_number IS NOT NULL AND status IN ('opened', 'changes_requested')
           ORDER BY created_at DESC, id DESC`,
        )
        .all() as LocalRow[];
      return rows.map((r) => ({
        number: r.pr_number,
        title: r.pr_title,
        url: reviewPath(r.id),
        branch: r.branch ?? "",
        author: r.contributor_name,
        proposalId: r.id,
        createdAt: r.created_at,
      }));
    },

    async diff(number) {
      const row = db.prepare("SELECT * FROM proposals WHERE forge = 'local' AND pr_number = ?").get(number) as LocalRow | undefined;
      if (!row) throw new ForgeError("rejected", `There is no local proposal #${number}.`);
      return (JSON.parse(row.files) as ProposalFile[]).map((f) => {
        const abs = path.resolve(deps.contentDir, f.path.replace(/^content\//, ""));
        const before = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined;
        return { path: f.path, status: before === undefined ? ("added" as const) : ("modified" as const) };
      });
    },

    async merge(number, options) {
      await forge.mergeLocal(number, options);
    },

    async mergeLocal(number, options = {}) {
      const row = openRow(number);
      const files = JSON.parse(row.files) as ProposalFile[];
      const targets = files.map((f) => ({ ...contentTarget(deps.contentDir, f.path), content: f.content }));
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
        sha = await commit(row, targets.map((t) => t.abs), options.message ?? `${row.pr_title} (#${number})`);
      } catch (error) {
        restore();
        throw new ForgeError("rejected", `The files could not be merged: ${(error as Error).message}`, { cause: error });
      }
      const paths = targets.map((t) => t.rel.split(path.sep).join("/"));
      await deps.reload(paths);
      return { paths, ...(sha ? { commit: sha } : {}) };
    },

    async requestChanges(number) {
      // The local queue keeps no copy of its own: the proposal's timeline is the record (review module).
      openRow(number);
    },

    async close(number) {
      openRow(number);
    },
  };
  return forge;
}
