/**
 * Every fixture folder in tests/fixtures/content-check/<case>/ holds a small
 * content folder (content/) and expected.json listing exactly the findings
 * the check must report: rule id, path, line and severity (plus, where given,
 * column and a fragment of the message).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { checkContent, parseContent } from "./index";
import { RULES } from "./rules";
import type { Finding } from "./types";

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/content-check");

interface Expected {
  description: string;
  options?: { maxFileBytes?: number };
  findings: Array<{ rule: string; path: string; line: number; severity: string; column?: number; message?: string }>;
}

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const load = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name, "expected.json"), "utf8")) as Expected;

const key = (f: { rule: string; path: string; line: number; severity: string }) => `${f.path}:${f.line} ${f.severity} ${f.rule}`;

describe("content check fixtures", () => {
  it("has the clean fixture and a failing fixture for every rule", () => {
    expect(cases).toContain("valid");
    expect(load("valid").findings).toEqual([]);
    const covered = new Set(cases.flatMap((c) => load(c).findings.map((f) => f.rule)));
    for (const rule of RULES) expect(covered, `no failing fixture for ${rule.id}`).toContain(rule.id);
  });

  it.each(cases)("%s", async (name) => {
    const expected = load(name);
    const files = await readContentFolder(path.join(FIXTURES, name, "content"));
    const findings = checkContent(files, expected.options);

    expect(findings.map(key).sort()).toEqual(expected.findings.map(key).sort());

    for (const want of expected.findings) {
      const got = findings.find((f) => key(f) === key(want) && (want.column === undefined || f.column === want.column));
      expect(got, `${key(want)} at column ${want.column}`).toBeDefined();
      if (want.message) expect((got as Finding).message).toContain(want.message);
    }

    // parseContent reports the same findings as checkContent.
    expect(parseContent(files, expected.options).findings).toEqual(findings);
  });

  it("documents every rule with its severity in README.md", () => {
    const readme = readFileSync(path.join(__dirname, "README.md"), "utf8");
    for (const rule of RULES) expect(readme).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  });

  it("reports findings sorted by path, line and column", async () => {
    const files = await readContentFolder(path.join(FIXTURES, "code-language", "content"));
    const files2 = await readContentFolder(path.join(FIXTURES, "raw-html", "content"));
    const findings = checkContent([...files2.map((f) => ({ ...f, path: f.path.replace("what-is-the-orm", "a-first") })), ...files]);
    const order = findings.map((f) => [f.path, f.line, f.column] as const);
    const sorted = [...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(order).toEqual(sorted);
    expect(findings[0]!.path).toBe("questions/a-first/question.md");
  });
});
