/**
 * The "Content check" workflow (.github/workflows/content.yml): its triggers
 * and permissions, and its check step run for real — the exact `run:` command
 * from the workflow, in bash as GitHub runs it, against the real content folder
 * and against broken copies of it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const workflowPath = path.join(root, ".github/workflows/content.yml");

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function dict(v: unknown, what: string): Dict {
  if (!isDict(v)) throw new Error(`content.yml: ${what} should be a mapping`);
  return v;
}

function stringEnv(v: unknown, what: string): Record<string, string> {
  if (v === undefined) return {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(dict(v, what))) out[k] = String(value);
  return out;
}

const workflow = dict(parse(readFileSync(workflowPath, "utf8")), "the workflow");
const jobs = dict(workflow.jobs, "jobs");

/** The job maintainers see in the review screen, and its content-check step. */
function findCheckStep() {
  const found = Object.entries(jobs).filter(([, job]) => isDict(job) && job.name === "Content check");
  expect(found, 'exactly one job named "Content check"').toHaveLength(1);
  const job = dict(found[0]![1], "the Content check job");
  const steps = Array.isArray(job.steps) ? job.steps.filter(isDict) : [];
  const checks = steps.filter((s) => typeof s.run === "string" && s.run.includes("validate:content"));
  expect(checks, "exactly one step running validate:content").toHaveLength(1);
  const step = checks[0]!;
  return {
    job,
    step,
    run: step.run as string,
    /** Workflow, job and step env, merged the way GitHub merges them. */
    env: { ...stringEnv(workflow.env, "env"), ...stringEnv(job.env, "job env"), ...stringEnv(step.env, "step env") },
  };
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string | null;
}

let tmp: string;

/** The runner's variables and expression values of a pull request run (GITHUB_SHA is the merge commit). */
const RUNNER = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "octo/django-questions",
  GITHUB_SHA: "1111111111111111111111111111111111111111",
};
const PR_HEAD_SHA = "2222222222222222222222222222222222222222";
const EXPRESSIONS: Record<string, string> = {
  "github.event.pull_request.head.sha || github.sha": PR_HEAD_SHA,
};

/** Evaluates the `${{ … }}` expressions the step's env uses; an unknown one fails the test. */
function evaluate(value: string): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const v = EXPRESSIONS[expr];
    if (v === undefined) throw new Error(`content-workflow.test.ts does not know the expression \${{ ${expr} }}`);
    return v;
  });
}

/** Runs the workflow's check command in bash (as `bash -e {0}` on the runner) from the repository root. */
function runCheck(contentDir: string | undefined, name: string, workspace = root): RunResult {
  const { run, env } = findCheckStep();
  const summaryFile = path.join(tmp, `${name}-summary.md`);
  // The runner's own GITHUB_* variables (when the tests run in CI) are replaced by RUNNER below.
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited)) if (k.startsWith("GITHUB_")) delete inherited[k];
  const result = spawnSync("bash", ["-e", "-c", run], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      ...inherited,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, evaluate(v)])),
      ...(contentDir === undefined ? {} : { CONTENT_DIR: contentDir }),
      ...RUNNER,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      FORCE_COLOR: "0",
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : null,
  };
}

/** A fresh copy of content/ to break. */
function copyContent(name: string): string {
  const dir = path.join(tmp, name, "content");
  cpSync(path.join(root, "content"), dir, { recursive: true });
  return dir;
}

/** The first question folder (by name) of a content folder, with its question.md lines. */
function firstQuestion(contentDir: string): { slug: string; file: string; lines: string[] } {
  const slug = readdirSync(path.join(contentDir, "questions")).sort()[0]!;
  const file = path.join(contentDir, "questions", slug, "question.md");
  return { slug, file, lines: readFileSync(file, "utf8").split("\n") };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "dq-content-workflow-"));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("content.yml: triggers and permissions", () => {
  it("runs on pull requests that change content/ and can be started by hand", () => {
    const on = dict(workflow.on, "on");
    const pr = dict(on.pull_request, "on.pull_request");
    expect(pr.paths).toEqual(expect.arrayContaining(["content/**"]));
    expect(pr["paths-ignore"]).toBeUndefined();
    expect(Object.keys(on)).toContain("workflow_dispatch");
    // No trigger that would run pull-request code with a write token.
    expect(Object.keys(on)).not.toContain("pull_request_target");
  });

  it("only reads the repository", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(jobs)) {
      const perms = dict(job, id).permissions;
      if (perms === undefined) continue;
      for (const value of Object.values(dict(perms, `${id}.permissions`))) expect(["read", "none"]).toContain(value);
    }
  });

  it("cancels superseded runs of the same pull request", () => {
    const concurrency = dict(workflow.concurrency, "concurrency");
    expect(String(concurrency.group)).toContain("github.event.pull_request.number");
    expect(concurrency["cancel-in-progress"]).toBe(true);
  });

  it("uses pinned major versions of checkout and setup-node (Node 24, npm cache)", () => {
    const { job } = findCheckStep();
    const steps = (job.steps as unknown[]).filter(isDict);
    const uses = steps.map((s) => s.uses).filter((u): u is string => typeof u === "string");
    expect(uses).toEqual(expect.arrayContaining(["actions/checkout@v4", "actions/setup-node@v4"]));
    const setupNode = steps.find((s) => s.uses === "actions/setup-node@v4")!;
    expect(dict(setupNode.with, "setup-node with")).toMatchObject({ "node-version": 24, cache: "npm" });
    expect(steps.some((s) => s.run === "npm ci")).toBe(true);
  });

  it("lets the check fail the job: annotations and summary in one run, no continue-on-error", () => {
    const { step, run, env } = findCheckStep();
    expect(step["continue-on-error"]).toBeUndefined();
    expect(run).toContain("--format github");
    expect(run).toContain('--summary "$GITHUB_STEP_SUMMARY"');
    // The summary links files in the pull request's head commit, not the merge commit.
    expect(run).toContain('--link-base "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$HEAD_SHA"');
    expect(env.HEAD_SHA).toBe("${{ github.event.pull_request.head.sha || github.sha }}");
    expect(run).toContain('"$CONTENT_DIR"');
    expect(env.CONTENT_DIR).toBe("content");
  });
});

describe("content.yml: the check step, run as the workflow runs it", { timeout: 60_000 }, () => {
  it("passes on the real content folder and writes the job summary", () => {
    const r = runCheck(undefined, "real");
    expect(r.stdout).not.toContain("::error");
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/in \d+ files/);
    expect(r.summary).not.toBeNull();
    expect(r.summary).toContain("## Content check");
    expect(r.summary).toContain("passed");
  });

  it("fails on a broken copy with an error annotation on the broken file and line", () => {
    const dir = copyContent("broken");
    const q = firstQuestion(dir);
    const tagsLine = q.lines.findIndex((l) => l.startsWith("tags:"));
    expect(tagsLine, `${q.file} has a tags: line`).toBeGreaterThan(0);
    q.lines[tagsLine] = "tags: [no-such-tag]";
    writeFileSync(q.file, q.lines.join("\n"));

    const r = runCheck(dir, "broken");
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const annotation = `::error file=${dir}/questions/${q.slug}/question.md,line=${tagsLine + 1},`;
    expect(r.stdout).toContain(annotation);
    const line = r.stdout.split("\n").find((l) => l.startsWith(annotation))!;
    expect(line).toContain("title=unknown-tag::");
    expect(line).toContain("no-such-tag");
    // Only the broken file is reported.
    expect(r.stdout.split("\n").filter((l) => l.startsWith("::error"))).toHaveLength(1);
    expect(r.summary).toContain("failed");
    expect(r.summary).toContain(`questions/${q.slug}/question.md`);
  });

  it("passes with warnings only: a warning annotation, exit 0", () => {
    const dir = copyContent("warning");
    const q = firstQuestion(dir);
    // An unknown front-matter field is a warning (unknown-field), not an error.
    q.lines.splice(1, 0, "difficulty: hard");
    writeFileSync(q.file, q.lines.join("\n"));

    const r = runCheck(dir, "warning");
    expect(r.stdout).not.toContain("::error");
    expect(r.stdout).toContain(`::warning file=${dir}/questions/${q.slug}/question.md,line=2,`);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.summary).toContain("passed with warnings");
  });

  it("links both questions of a possible duplicate in the summary to the pull request's head", () => {
    // A checkout of the repository with one more question whose title repeats the first one's.
    const workspace = path.join(tmp, "duplicate-workspace");
    const dir = path.join(workspace, "content");
    cpSync(path.join(root, "content"), dir, { recursive: true });
    const q = firstQuestion(dir);
    const numbers = readdirSync(path.join(dir, "questions")).map((slug) => {
      const m = /^number: (\d+)$/m.exec(readFileSync(path.join(dir, "questions", slug, "question.md"), "utf8"));
      return Number(m?.[1] ?? 0);
    });
    const copy = q.lines.join("\n").replace(/^number: \d+$/m, `number: ${Math.max(...numbers) + 1}`);
    mkdirSync(path.join(dir, "questions/asked-again"));
    writeFileSync(path.join(dir, "questions/asked-again/question.md"), copy);

    const r = runCheck(dir, "duplicate", workspace);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("::warning file=content/questions/asked-again/question.md,line=3,col=1,title=possible-duplicate::");
    const blob = `https://github.com/octo/django-questions/blob/${PR_HEAD_SHA}`;
    const item = r.summary!.split("\n").find((l) => l.startsWith("- "));
    expect(item).toContain(`[\`content/questions/asked-again/question.md\`](${blob}/content/questions/asked-again/question.md)`);
    expect(item).toContain(`[\`content/questions/${q.slug}/question.md\`](${blob}/content/questions/${q.slug}/question.md)`);
  });

  it("fails when the content folder is missing instead of passing silently", () => {
    const r = runCheck(path.join(tmp, "no-such-folder"), "missing");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("no such folder");
  });
});
