/**
 * Content check from the command line, in CI and before a commit.
 *
 *   npm run validate:content -- [DIR] [--format text|github|json] [--summary FILE]
 *
 * DIR defaults to content/ (relative to the working directory). Paths:
 *  - text and json: relative to DIR's parent, e.g. content/questions/x/question.md,
 *    wherever the command runs from;
 *  - github annotations and the --summary: relative to the repository root
 *    ($GITHUB_WORKSPACE, else the working directory), because GitHub resolves
 *    annotation paths from there; an absolute path when DIR lies outside it.
 * The summary links files under --link-base (default, when all three are set:
 * $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA).
 *
 * Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.
 */
import { appendFile, stat } from "node:fs/promises";
import path from "node:path";
import { readContentFolder } from "../app/modules/content/read-folder.server";
import { checkContent, formatFindings, formatMarkdownSummary, OUTPUT_FORMATS, type OutputFormat } from "../app/modules/validation";

const USAGE = `Usage: validate-content [DIR] [--format text|github|json] [--summary FILE] [--link-base URL]

Checks a content folder (default: content/) against the content contract.
text and json print paths relative to DIR's parent (content/questions/...);
github and the summary print them relative to the repository root
($GITHUB_WORKSPACE, else the working directory).

  --format FORMAT   text (default), github (workflow annotations) or json
  --summary FILE    append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")
  --link-base URL   in the summary, link files as URL/<path from the repository root>,
                    e.g. https://github.com/OWNER/REPO/blob/SHA (default from
                    $GITHUB_SERVER_URL, $GITHUB_REPOSITORY and $GITHUB_SHA when set)
  --max-file-bytes N  size limit per file (default 20000)
  -h, --help        show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.`;

class UsageError extends Error {}

interface Args {
  dir: string;
  format: OutputFormat;
  summary?: string;
  linkBase?: string;
  maxFileBytes?: number;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: "content", format: "text", help: false };
  let dirSeen = false;
  const value = (name: string, inline: string | undefined, i: number): [string, number] => {
    if (inline !== undefined) return [inline, i];
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) throw new UsageError(`${name} needs a value`);
    return [next, i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "-h" || arg === "--help") {
      args.help = true;
      continue;
    }
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (name === "--format") {
        const [v, j] = value(name, inline, i);
        i = j;
        if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) {
          throw new UsageError(`unknown format "${v}"; use one of ${OUTPUT_FORMATS.join(", ")}`);
        }
        args.format = v as OutputFormat;
      } else if (name === "--summary") {
        const [v, j] = value(name, inline, i);
        i = j;
        args.summary = v;
      } else if (name === "--link-base") {
        const [v, j] = value(name, inline, i);
        i = j;
        if (!/^https?:\/\/[^\s]+$/.test(v)) throw new UsageError(`--link-base must be an http(s) URL; got "${v}"`);
        args.linkBase = v;
      } else if (name === "--max-file-bytes") {
        const [v, j] = value(name, inline, i);
        i = j;
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-file-bytes must be a positive whole number; got "${v}"`);
        args.maxFileBytes = n;
      } else {
        throw new UsageError(`unknown option "${arg}"`);
      }
      continue;
    }
    if (dirSeen) throw new UsageError(`only one folder can be checked; got "${args.dir}" and "${arg}"`);
    args.dir = arg;
    dirSeen = true;
  }
  return args;
}

const slashes = (p: string) => p.split(path.sep).join("/");

/** Prefix of text and json paths: the folder's own name, so paths read from its parent. */
function folderPrefix(dir: string): string {
  return path.basename(path.resolve(dir));
}

/**
 * Prefix of annotation and summary paths: the folder relative to the
 * repository root (GITHUB_WORKSPACE, else the working directory), absolute
 * when it lies outside.
 */
function repositoryPrefix(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const abs = path.resolve(dir);
  const rel = path.relative(path.resolve(env.GITHUB_WORKSPACE || process.cwd()), abs);
  if (rel === "") return ".";
  return slashes(rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel);
}

/** --link-base, else the pull request's commit on GitHub when the runner's variables are set. */
function linkBase(args: Args, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (args.linkBase) return args.linkBase;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server.replace(/\/+$/, "")}/${repo}/blob/${sha}` : undefined;
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`validate-content: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const info = await stat(args.dir).catch(() => null);
  if (!info?.isDirectory()) {
    process.stderr.write(
      `validate-content: ${info ? "not a folder" : "no such folder"}: ${args.dir}\n` +
        "Pass the content folder to check, e.g. npm run validate:content -- content\n",
    );
    return 2;
  }

  const files = await readContentFolder(args.dir);
  const findings = checkContent(files, args.maxFileBytes ? { maxFileBytes: args.maxFileBytes } : {});
  const inRepository = { prefix: repositoryPrefix(args.dir), files: files.length };
  const options = args.format === "github" ? inRepository : { prefix: folderPrefix(args.dir), files: files.length };
  process.stdout.write(formatFindings(findings, args.format, options));

  if (args.summary) {
    try {
      await appendFile(args.summary, formatMarkdownSummary(findings, { ...inRepository, linkBase: linkBase(args) }));
    } catch (e) {
      process.stderr.write(`validate-content: cannot write the summary to ${args.summary}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`validate-content: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
