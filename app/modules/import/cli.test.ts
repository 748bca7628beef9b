/**
 * The command line: `npx tsx scripts/import-readme.ts FILE --out DIR ...`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const FIXTURES = path.join(ROOT, "tests/fixtures/import");
const README = path.join(FIXTURES, "django-questions-readme.md");
const LICENSE = path.join(FIXTURES, "django-questions-LICENSE.txt");

const temp = mkdtempSync(path.join(tmpdir(), "import-readme-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(args: string[]) {
  // tsx straight from node_modules: npx adds most of a second per run
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/import-readme.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scripts/import-readme.ts", { timeout: 120_000 }, () => {
  it("imports the README into an empty folder, prints a summary and a clean check", () => {
    const out = path.join(temp, "content");
    const r = run([
      README,
      "--out",
      out,
      "--date",
      "2024-05-01",
      "--credit",
      "Şuayip Üzülmez",
      "--source",
      "realsuayip/django-questions",
      "--license",
      LICENSE,
    ]);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Imported 69 questions (numbers 1–69)");
    expect(r.stdout).toMatch(/Tags used: .*orm \(\d+\)/);
    expect(r.stdout).toContain(`Content check of ${out}:\nNo problems in 71 files\n`);
    expect(readdirSync(path.join(out, "questions"))).toHaveLength(69);
    expect(readFileSync(path.join(out, "LICENSE"), "utf8")).toBe(readFileSync(LICENSE, "utf8"));
    const q4 = readFileSync(
      path.join(out, "questions/in-the-following-code-what-might-be-the-reason-for-the-usage/question.md"),
      "utf8",
    );
    expect(q4).toMatch(/^---\nnumber: 4\n/);
    expect(q4).toContain("added: 2024-05-01\ncredit: Şuayip Üzülmez\n---\n");
    expect(q4).toContain("```python\n@transaction.atomic\ndef commit(instance, data):\n");
    expect(existsSync(path.join(out, "tags.yml"))).toBe(true);
  });

  it("refuses a non-empty folder unless --force, and leaves it untouched", () => {
    const out = path.join(temp, "busy");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "keep.txt"), "mine");
    const refused = run([README, "--out", out, "--date", "2024-05-01", "--license", LICENSE]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not empty.*--force/);
    expect(readdirSync(out)).toEqual(["keep.txt"]);

    const forced = run([README, "--out", out, "--date", "2024-05-01", "--license", LICENSE, "--force"]);
    expect(forced.stdout).toContain("Imported 69 questions");
    expect(readFileSync(path.join(out, "keep.txt"), "utf8")).toBe("mine");
    expect(readdirSync(path.join(out, "questions"))).toHaveLength(69);
  });

  it("exits 1 and prints the finding when the folder then fails the check", () => {
    const out = path.join(temp, "broken");
    mkdirSync(path.join(out, "questions/broken-question"), { recursive: true });
    writeFileSync(path.join(out, "questions/broken-question/question.md"), "no front matter at all\n");
    const r = run([README, "--out", out, "--date", "2024-05-01", "--license", LICENSE, "--force"]);
    expect(r.code).toBe(1);
    // The content check's own format: path from the folder's parent, "(rule)" at the end, then its summary line.
    expect(r.stdout).toContain(
      "\nbroken/questions/broken-question/question.md:1:1: error: the file has no front matter;",
    );
    expect(r.stdout).toMatch(/^broken\/questions\/broken-question\/question\.md:1:1: error: .+ \(front-matter-missing\)$/m);
    expect(r.stdout).not.toMatch(/\[front-matter-missing\]/);
    expect(r.stdout).toMatch(/\n1 error, 0 warnings in 72 files\n$/);
  });

  it("writes a LICENSE notice when no licence is given or found next to the README", () => {
    const out = path.join(temp, "notice");
    const r = run([README, "--out", out, "--date", "2024-05-01", "--source", "realsuayip/django-questions"]);
    expect(r.stdout).toContain("Imported 69 questions");
    const notice = readFileSync(path.join(out, "LICENSE"), "utf8");
    expect(notice).toContain("realsuayip/django-questions");
    expect(notice).toMatch(/must be added/);
  });

  it("uses a LICENSE file next to the README by default and warns about raw HTML on stderr", () => {
    const dir = path.join(temp, "repo");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "readme.md"), "Intro.\n\n1. What is WSGI?\n2. What is <b>ASGI</b>?\n");
    writeFileSync(path.join(dir, "LICENSE"), "Copyright (c) 2022 Someone\n");
    const out = path.join(temp, "from-repo");
    const r = run([path.join(dir, "readme.md"), "--out", out, "--date", "2024-05-01"]);
    expect(r.stdout).toContain("Imported 2 questions (numbers 1–2)");
    expect(readFileSync(path.join(out, "LICENSE"), "utf8")).toBe("Copyright (c) 2022 Someone\n");
    expect(r.stderr).toContain("warning: question 2 (line 4): escaped raw HTML: <b>");
    expect(readFileSync(path.join(out, "questions/what-is-asgi/question.md"), "utf8")).toContain(
      "What is \\<b>ASGI\\</b>?",
    );
    expect(r.code).toBe(0);
  });

  it("adds selected questions to an existing content folder, keeping its tags.yml and LICENSE", () => {
    const out = path.join(temp, "existing");
    cpSync(path.join(ROOT, "tests/fixtures/content-check/valid/content"), out, { recursive: true });
    const tagsBefore = readFileSync(path.join(out, "tags.yml"), "utf8");
    const licenseBefore = readFileSync(path.join(out, "LICENSE"), "utf8");
    const latest = path.join(FIXTURES, "readme-history/10-2024-03-07-e4776e7.md");
    const r = run([latest, "--out", out, "--numbers", "79-81", "--date", "2026-12-04", "--credit", "Şuayip Üzülmez"]);
    expect(r.stdout).toContain("Adding to the content folder");
    expect(r.stdout).toContain("Imported 3 questions (numbers 79–81)");
    expect(r.stdout).toContain("tags.yml and LICENSE: kept as they are");
    expect(readFileSync(path.join(out, "tags.yml"), "utf8")).toBe(tagsBefore);
    expect(readFileSync(path.join(out, "LICENSE"), "utf8")).toBe(licenseBefore);
    expect(readdirSync(path.join(out, "questions")).sort()).toEqual(
      [
        "explain-csrf-protection",
        "template-inheritance",
        "what-does-runpython-migration-operation-do-and-in-which",
        "what-does-runsql-migration-operation-do-and-in-which-cases",
        "what-does-separatedatabaseandstate-migration-operation-do",
        "what-is-the-orm",
      ].sort(),
    );
    // The valid fixture has no "migrations" tag: the importer says to retag, and the check reports it.
    expect(r.stderr).toContain("retag it by hand");
    expect(r.code).toBe(1);

    const again = run([latest, "--out", out, "--numbers", "81", "--date", "2026-12-04"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/question 81 \(line \d+\): the folder already has a question 81; not imported/);
  });

  it("rejects bad arguments with a usage message and exit code 2", () => {
    const noOut = run([README]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out DIR is required[\s\S]*Usage:/);
    const badNumbers = run([README, "--out", path.join(temp, "x"), "--numbers", "70-"]);
    expect(badNumbers.code).toBe(2);
    expect(badNumbers.stderr).toMatch(/--numbers must look like 70-81/);
    const badDate = run([README, "--out", path.join(temp, "x"), "--date", "2024-02-30"]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--date must be a date/);
    expect(existsSync(path.join(temp, "x"))).toBe(false);
  });

  it("fails without writing anything when the README has no numbered list", () => {
    const file = path.join(temp, "empty.md");
    writeFileSync(file, "# Nothing\n\nJust prose.\n");
    const out = path.join(temp, "nothing");
    const r = run([file, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no questions found/);
    expect(existsSync(out)).toBe(false);
  });
});
