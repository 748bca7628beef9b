import path from "node:path";
import { describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { checkContent, parseContent } from "./index";
import type { ContentFile, Finding } from "./types";

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/content-check");
const enc = new TextEncoder();

function files(map: Record<string, string | Uint8Array>): ContentFile[] {
  return Object.entries(map).map(([p, v]) => ({ path: p, bytes: typeof v === "string" ? enc.encode(v) : v }));
}

const TAGS = "- id: orm\n  label: ORM\n  description: The ORM.\n- id: views\n  label: Views\n  description: Views.\n";
const LICENSE = "CC BY-SA 4.0\n";
const question = (n: number, title: string, tags = "[orm]") =>
  `---\nnumber: ${n}\ntitle: ${title}\ntags: ${tags}\nadded: 2026-11-25\n---\n\n${title}\n`;
const answer = (author: string, date: string, extra = "") => `---\nauthor: ${author}\n${extra}date: ${date}\n---\n\nBecause.\n`;
const rules = (findings: Finding[]) => findings.map((f) => `${f.path} ${f.rule}`);

describe("parseContent", () => {
  it("builds the typed model of the valid fixture", async () => {
    const { questions, tags, findings } = parseContent(await readContentFolder(path.join(FIXTURES, "valid", "content")));
    expect(findings).toEqual([]);
    expect(tags.map((t) => t.id)).toEqual(["orm", "models", "views", "security", "templates"]);
    expect(tags[0]).toEqual({ id: "orm", label: "ORM", description: "The object-relational mapper, querysets and managers." });

    expect(questions.map((q) => [q.number, q.slug])).toEqual([
      [1, "what-is-the-orm"],
      [2, "explain-csrf-protection"],
      [3, "template-inheritance"],
    ]);
    const [orm, csrf, templates] = questions;
    expect(orm).toMatchObject({
      title: "What is the Django ORM and why would you use it?",
      tags: ["orm", "models"],
      added: "2026-11-20",
      credit: "Seed list, question 1",
      path: "questions/what-is-the-orm/question.md",
    });
    expect(orm!.body).not.toContain("---");
    expect(orm!.body).toContain("What is the ORM?");
    // answers sorted by date: Grace (2026-11-21) before Ada (2026-11-22)
    expect(orm!.answers.map((a) => [a.id, a.date, a.github])).toEqual([
      ["grace-hopper", "2026-11-21", undefined],
      ["ada-lovelace", "2026-11-22", "ada-lovelace"],
    ]);
    expect(orm!.answers[0]).not.toHaveProperty("github");
    expect(orm!.answers[1]).toMatchObject({ questionSlug: "what-is-the-orm", author: "Ada Lovelace", path: "questions/what-is-the-orm/answers/ada-lovelace.md" });
    expect(csrf).not.toHaveProperty("credit");
    expect(csrf!.answers).toEqual([]);
    expect(templates!.added).toBe("2026-11-25"); // quoted in the file
  });

  it("sorts answers of the same date by id", () => {
    const { questions } = parseContent(
      files({
        "tags.yml": TAGS,
        LICENSE,
        "questions/what-is-the-orm/question.md": question(1, "What is the ORM?"),
        "questions/what-is-the-orm/answers/zed.md": answer("Zed", "2026-11-20"),
        "questions/what-is-the-orm/answers/amy.md": answer("Amy", "2026-11-20"),
        "questions/what-is-the-orm/answers/old.md": answer("Old", "2025-01-01"),
      }),
    );
    expect(questions[0]!.answers.map((a) => a.id)).toEqual(["old", "amy", "zed"]);
  });

  it("leaves out files with errors (and answers of a left-out question) but keeps files with warnings", () => {
    const input = files({
      "tags.yml": TAGS,
      LICENSE,
      "questions/good/question.md": question(1, "What is the ORM?"),
      "questions/good/answers/fine.md": answer("Ada", "2026-11-25", "nickname: ada\n"), // warning only
      "questions/good/answers/broken.md": answer("Bob", "2026-02-30"), // error
      "questions/bad-tag/question.md": question(2, "What is a view?", "[vews]"), // error
      "questions/bad-tag/answers/orphaned-by-error.md": answer("Cy", "2026-11-25"),
      "questions/statement/question.md": "---\nnumber: 3\ntitle: How views return responses\ntags: [views]\nadded: 2026-11-25\n---\n\nViews return responses.\n", // warning
    });
    const { questions, findings } = parseContent(input);
    expect(questions.map((q) => q.slug)).toEqual(["good", "statement"]);
    expect(questions[0]!.answers.map((a) => a.id)).toEqual(["fine"]);
    expect(rules(findings)).toEqual([
      "questions/bad-tag/question.md unknown-tag",
      "questions/good/answers/broken.md answer-date",
      "questions/good/answers/fine.md unknown-field",
      "questions/statement/question.md question-form",
    ]);
    expect(findings).toEqual(checkContent(input));
  });

  it("keeps the valid tags of a tags.yml with a broken entry, and still knows the broken entry's id", () => {
    const { tags, findings } = parseContent(
      files({
        "tags.yml": TAGS + "- id: forms\n  label: Forms\n",
        LICENSE,
        "questions/forms-q/question.md": question(1, "What is a form?", "[forms]"),
      }),
    );
    expect(tags.map((t) => t.id)).toEqual(["orm", "views"]);
    expect(rules(findings)).toEqual(["tags.yml tags-file"]);
  });
});

describe("checkContent details", () => {
  const base = { "tags.yml": TAGS, LICENSE };

  it("reports folder names that differ only by letter case", () => {
    const findings = checkContent(
      files({ ...base, "questions/what-is-wsgi/question.md": question(1, "What is WSGI?", "[views]"), "questions/What-Is-WSGI/question.md": question(2, "How does WSGI serve requests?", "[views]") }),
    );
    expect(rules(findings).sort()).toEqual([
      "questions/What-Is-WSGI/question.md duplicate-slug",
      "questions/What-Is-WSGI/question.md slug-format",
      "questions/what-is-wsgi/question.md duplicate-slug",
    ]);
  });

  it("reports answer ids that differ only by letter case", () => {
    const findings = checkContent(
      files({
        ...base,
        "questions/orm/question.md": question(1, "What is the ORM?"),
        "questions/orm/answers/ada.md": answer("Ada", "2026-11-25"),
        "questions/orm/answers/ADA.md": answer("Ada", "2026-11-25"),
      }),
    );
    const clash = findings.filter((f) => f.rule === "answer-id");
    expect(clash.map((f) => f.path)).toEqual(["questions/orm/answers/ADA.md", "questions/orm/answers/ada.md"]);
    expect(clash.map((f) => f.message).join("\n")).toMatch(/clashes with questions\/orm\/answers\/ADA\.md/);
  });

  it("accepts NOTICE instead of LICENSE but not an empty one", () => {
    const q = { "tags.yml": TAGS, "questions/orm/question.md": question(1, "What is the ORM?") };
    expect(checkContent(files({ ...q, NOTICE: "Credit: the seed list.\n" }))).toEqual([]);
    expect(rules(checkContent(files({ ...q, LICENSE: "  \n" })))).toEqual(["LICENSE license-missing"]);
  });

  it("applies the default 20,000-byte limit", () => {
    const q = question(1, "What is the ORM?");
    const padded = (size: number) => q + "x".repeat(size - enc.encode(q).length);
    expect(checkContent(files({ ...base, "questions/orm/question.md": padded(20_000) }))).toEqual([]);
    const over = checkContent(files({ ...base, "questions/orm/question.md": padded(20_001) }));
    expect(over).toMatchObject([{ rule: "file-size", message: expect.stringContaining("20,001 bytes; the limit is 20,000") }]);
  });

  it("reads Windows line endings and normalises ./ and backslash paths", () => {
    const findings = checkContent(
      files({ "./tags.yml": TAGS.replace(/\n/g, "\r\n"), LICENSE, "questions\\orm\\question.md": question(1, "What is the ORM?").replace(/\n/g, "\r\n") }),
    );
    expect(findings).toEqual([]);
  });

  it("reports the line of a problem after a multi-line front matter correctly with CRLF", () => {
    const text = "---\r\nnumber: 1\r\ntitle: What is the ORM?\r\ntags: [orm]\r\nadded: 2026-11-25\r\n---\r\n\r\nWhat?\r\n\r\n```\r\nx\r\n```\r\n";
    const findings = checkContent(files({ ...base, "questions/orm/question.md": text }));
    expect(findings).toMatchObject([{ rule: "code-language", line: 10, column: 1 }]);
  });
});
