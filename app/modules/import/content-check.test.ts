/**
 * Integration: what the importer writes passes the project's content check.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { checkContent } from "~/modules/validation";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { importReadme } from "./readme";

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/import");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const encoder = new TextEncoder();

function check(files: { path: string; content: string }[]): Finding[] {
  const content: ContentFile[] = files.map((f) => ({ path: f.path, bytes: encoder.encode(f.content) }));
  return checkContent(content);
}

const errors = (findings: Finding[]) =>
  findings.filter((f) => f.severity === "error").map((f) => `${f.path}:${f.line}: ${f.message} [${f.rule}]`);

describe("imported content passes checkContent", () => {
  it.each(["django-questions-readme.md", "wrapped-items.md", "indented-items.md"])("%s", (name) => {
    const license = fixture("django-questions-LICENSE.txt");
    const { files } = importReadme(fixture(name), {
      date: "2024-05-01",
      credit: "Şuayip Üzülmez",
      source: "realsuayip/django-questions",
      license,
    });
    expect(files.length).toBeGreaterThan(2);
    expect(errors(check(files))).toEqual([]);
  });

  it("the check is not vacuous: a broken import is reported", () => {
    const { files } = importReadme(fixture("indented-items.md"), { date: "2024-05-01", license: "x" });
    const broken = files.map((f) =>
      f.path.endsWith("question.md") ? { ...f, content: f.content.replace(/^number: \d+$/m, "number: seven") } : f,
    );
    expect(errors(check(broken)).length).toBeGreaterThan(0);
  });
});
