/**
 * The one way the app runs git: the content sync (fetch, fast-forward, push)
 * and the local review queue's merge commits. No shell (execFile), a timeout
 * that kills, and an environment scrubbed of whatever would point git at
 * another repository or make it ask a question.
 */
import { execFile } from "node:child_process";

export interface GitOptions {
  /** Working directory (`git -C` works too). */
  cwd?: string;
  /** Kill the command after this long. Default 60 s. */
  timeoutMs?: number;
  /** Variables added to the scrubbed environment (e.g. the committer). */
  env?: Record<string, string>;
}

/** Runs one git command; resolves with its stdout. Tests wrap it to watch or fail commands. */
export type GitRunner = (args: readonly string[], options?: GitOptions) => Promise<string>;

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | string | null,
    readonly timedOut: boolean,
  ) {
    super(timedOut ? `git ${shown(args)} timed out` : `git ${subcommand(args)} failed: ${stderr || `exit code ${String(exitCode)}`}`);
    this.name = "GitCommandError";
  }
}

/** The command's name: the first argument that is neither an option nor the value of `-C` / `-c`. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-C" || a === "-c") i++;
    else if (!a.startsWith("-")) return a;
  }
  return args[0] ?? "";
}

function shown(args: readonly string[]): string {
  return args.filter((a, i) => a !== "-C" && args[i - 1] !== "-C").join(" ");
}

/** Variables that would point git at another repository than the one we ask about. */
const GIT_LOCATION_VARS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_NAMESPACE"];

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  for (const name of GIT_LOCATION_VARS) delete env[name];
  return { ...env, ...extra };
}

export const runGit: GitRunner = (args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      "git",
      [...args],
      {
        ...(options.cwd ? { cwd: options.cwd } : {}),
        timeout: options.timeoutMs ?? 60_000,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        env: gitEnv(options.env),
        encoding: "utf8",
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        if (e.code === "ENOENT") return reject(new Error("git is not installed (or not on the PATH)"));
        const timedOut = e.killed === true && e.signal === "SIGKILL";
        reject(new GitCommandError(args, String(stderr).trim(), e.code ?? null, timedOut));
      },
    );
  });
