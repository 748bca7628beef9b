// Spawns the CLI (scripts/validate-content.ts) on the fixtures, as CI and contributors run it.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const SCRIPT = "scripts/validate-content.ts";
const FIX = "tests/fixtures/content-check";

/** The environment without the runner's GITHUB_* variables (they change paths and links), plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", npm_config_yes: "false" };
  for (const name of Object.keys(env)) if (name.startsWith("GITHUB_")) delete env[name];
  return { ...env, ...extra };
}

function exec(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(extraEnv) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npx tsx scripts/validate-content.ts ARGS` from the repository root. */
const run = (args: string[], env: Record<string, string> = {}) => exec(path.join(ROOT, "node_modules/.bin/tsx"), [SCRIPT, ...args], ROOT, env);
/** The same from another working directory (tsx and the script by absolute path). */
const runIn = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  exec(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, SCRIPT), ...args], cwd, env);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "validate-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.concurrent("validate-content CLI", { timeout: 90_000 }, () => {
  it("text: exit 0 and a clean summary on the valid fixture", async () => {
    const { code, stdout } = await run([`${FIX}/valid/content`]);
    expect(stdout).toBe("No problems in 7 files\n");
    expect(code).toBe(0);
  });

  it("text: exit 1 with one line per finding, paths relative to the checked folder's parent", async () => {
    const { code, stdout } = await run([`${FIX}/question-tags/content`, "--format", "text"]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("4 errors, 0 warnings in 6 files");
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^content\/questions\/[a-z-]+\/question\.md:\d+:\d+: error: .+ \(question-tags\)$/);
    expect(stdout).toContain(`\ncontent/questions/what-is-the-orm/question.md:4:1: error: "tags" must list 1 to 5 tag ids; found 7 (question-tags)\n`);
  });

  it("text and json: the same paths wherever the command runs from", async () => {
    const fromRoot = await run([`${FIX}/question-tags/content`]);
    const elsewhere = await runIn(tmp, [path.join(ROOT, FIX, "question-tags/content")]);
    expect(elsewhere.stdout).toBe(fromRoot.stdout);
    expect(elsewhere.stdout).toMatch(/^content\/questions\/no-tags\/question\.md:4:1: error: /);
    const json = JSON.parse((await runIn(tmp, [path.join(ROOT, FIX, "question-tags/content"), "--format", "json"])).stdout);
    expect(json.findings[0]).toMatchObject({ file: "content/questions/no-tags/question.md", path: "questions/no-tags/question.md" });
  });

  it("warnings alone do not fail", async () => {
    const { code, stdout } = await run([`${FIX}/unknown-field/content`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 errors, 3 warnings in 4 files\n$/);
  });

  it("github: workflow commands with paths from the repository root, which GitHub resolves", async () => {
    const { code, stdout } = await run([`${FIX}/raw-html/content`, "--format=github"]);
    expect(code).toBe(1);
    const commands = stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(commands).toHaveLength(3);
    expect(commands[0]).toMatch(
      /^::error file=tests\/fixtures\/content-check\/raw-html\/content\/questions\/what-is-the-orm\/question\.md,line=8,col=13,title=raw-html::raw HTML /,
    );
    // On a runner the root is GITHUB_WORKSPACE, even when the step runs in another folder.
    const elsewhere = await runIn(tmp, [path.join(ROOT, FIX, "raw-html/content"), "--format", "github"], { GITHUB_WORKSPACE: ROOT });
    expect(elsewhere.stdout).toBe(stdout);
  });

  it("--summary links both possible duplicates to their files on GitHub", async () => {
    const summary = path.join(tmp, "duplicates.md");
    const github = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "octo/questions", GITHUB_SHA: "0123abc" };
    const { code } = await run([`${FIX}/possible-duplicate/content`, "--summary", summary], github);
    expect(code).toBe(0);
    const base = `https://github.com/octo/questions/blob/0123abc/${FIX}/possible-duplicate/content/questions`;
    const item = (await readFile(summary, "utf8")).split("\n").find((l) => l.startsWith("- "));
    expect(item).toBe(
      `- [\`${FIX}/possible-duplicate/content/questions/select-related-and-prefetch-related/question.md\`](${base}/select-related-and-prefetch-related/question.md)` +
        ` is very close to [\`${FIX}/possible-duplicate/content/questions/select-vs-prefetch/question.md\`](${base}/select-vs-prefetch/question.md): title is very similar (1.00) to question #4 ` +
        '"What is the difference between select_related and prefetch_related?" (questions/select-vs-prefetch/question.md); if it asks the same thing, add an answer there instead',
    );

    // --link-base wins over the runner's variables (the workflow passes the pull request's head).
    const head = path.join(tmp, "head.md");
    await run([`${FIX}/possible-duplicate/content`, "--summary", head, "--link-base", "https://github.example/o/r/blob/feed"], github);
    expect(await readFile(head, "utf8")).toContain(`(https://github.example/o/r/blob/feed/${FIX}/possible-duplicate/content/questions/select-vs-prefetch/question.md)`);

    const bad = await run([`${FIX}/valid/content`, "--link-base", "javascript:alert(1)"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--link-base must be an http(s) URL");
  });

  it("json: a parseable document with counts", async () => {
    const { code, stdout } = await run([`${FIX}/possible-duplicate/content`, "--format", "json"]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ files: 6, errors: 0, warnings: 1 });
    expect(doc.findings[0]).toMatchObject({
      rule: "possible-duplicate",
      severity: "warning",
      line: 3,
      path: "questions/select-related-and-prefetch-related/question.md",
      file: "content/questions/select-related-and-prefetch-related/question.md",
    });
  });

  it("--summary appends a Markdown summary to the file", async () => {
    const summary = path.join(tmp, "summary.md");
    await writeFile(summary, "# Earlier step\n");
    const { code } = await run([`${FIX}/duplicate-number/content`, "--summary", summary]);
    expect(code).toBe(1);
    const md = await readFile(summary, "utf8");
    expect(md.startsWith("# Earlier step\n")).toBe(true);
    expect(md).toContain("| 5 | 2 | 0 |");
    expect(md).toContain("`duplicate-number`");
  });

  it("checks content/ in the working directory by default", async () => {
    const cwd = path.join(tmp, "repo");
    await cp(path.join(ROOT, FIX, "orphan-answer/content"), path.join(cwd, "content"), { recursive: true });
    // tsx by path: npx would look for tsx from the temporary folder
    const res = await runIn(cwd, []);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("content/questions/ghost-question/answers/ada.md:1:1: error:");
  });

  it("exit 2 with a message on stderr for usage errors", async () => {
    const unknown = await run(["--fromat", "json"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--fromat"');
    expect(unknown.stdout).toBe("");

    const badFormat = await run([`${FIX}/valid/content`, "--format", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown format "xml"');

    const missing = await run(["no/such/folder"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such folder: no/such/folder");
  });
});
