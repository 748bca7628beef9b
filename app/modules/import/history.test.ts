/**
 * The importer on every version of the original list's readme
 * (tests/fixtures/import/readme-history/, BSD 3-Clause, Şuayip Üzülmez): each
 * imports cleanly, and a question keeps its number, text, title and slug from
 * the version that added it to the latest, through the 2024 reformat.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkContent } from "~/modules/validation";
import { importReadme, parseReadmeQuestions } from "./readme";

const HISTORY = path.resolve(__dirname, "../../../tests/fixtures/import/readme-history");
const LICENSE = readFileSync(path.resolve(HISTORY, "../django-questions-LICENSE.txt"), "utf8");
const versions = readdirSync(HISTORY)
  .filter((f) => /^\d\d-.*\.md$/.test(f))
  .sort()
  .map((file) => ({ file, markdown: readFileSync(path.join(HISTORY, file), "utf8") }));
const counts: Record<string, number> = { "01": 20, "02": 30, "03": 33, "04": 41, "05": 46, "06": 51, "07": 69, "08": 78, "09": 78, "10": 81 };
const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

describe("importing every version of the original readme", () => {
  it("has the ten versions, from the first commit to the latest", () => {
    expect(versions.map((v) => v.file.slice(0, 2))).toEqual(Object.keys(counts).sort());
  });

  it.each(versions.map((v) => [v.file, v.markdown] as const))("%s: questions 1..N, no warnings, a clean check", (file, markdown) => {
    const { files, warnings } = importReadme(markdown, { date: "2026-12-04", credit: "Şuayip Üzülmez", license: LICENSE });
    expect(warnings).toEqual([]);
    const numbers = files.filter((f) => f.path.endsWith("/question.md")).map((f) => Number(/^number: (\d+)$/m.exec(f.content)![1]));
    const n = counts[file.slice(0, 2)]!;
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const errors = checkContent(files.map((f) => ({ path: f.path, bytes: new TextEncoder().encode(f.content) }))).filter((f) => f.severity === "error");
    expect(errors).toEqual([]);
  });

  it("gives a question the same text, title and slug in every version that has it", () => {
    const seen = new Map<number, { text: string; title: string; slug: string; from: string }>();
    const drift: string[] = [];
    for (const { file, markdown } of versions) {
      for (const q of parseReadmeQuestions(markdown).questions) {
        const now = { text: normalise(q.body), title: q.title, slug: q.slug, from: file };
        const before = seen.get(q.number);
        if (!before) seen.set(q.number, now);
        else if (before.text !== now.text || before.title !== now.title || before.slug !== now.slug) {
          drift.push(`question ${q.number}: ${before.from} → ${file}`);
        }
      }
    }
    expect(drift).toEqual([]);
    expect(seen.size).toBe(81);
  });

  it("keeps code blocks as code through the reformat (its misaligned closing fence too)", () => {
    for (const { markdown } of versions) {
      const q4 = parseReadmeQuestions(markdown).questions.find((q) => q.number === 4)!;
      expect(q4.body).toContain("```python\n@transaction.atomic\ndef commit(instance, data):\n");
      expect(q4.body.trimEnd()).toMatch(/\n\s{0,3}```$/);
    }
  });

  it("keeps the inline code of questions 70-81 and their order", () => {
    const latest = versions.at(-1)!.markdown;
    const { questions } = parseReadmeQuestions(latest, { numbers: Array.from({ length: 12 }, (_, i) => 70 + i) });
    expect(questions.map((q) => q.number)).toEqual([70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);
    const body = (n: number) => questions.find((q) => q.number === n)!.body;
    expect(body(71)).toContain("`transaction.on_commit`");
    expect(body(72)).toContain("`functools.lru_cache`");
    expect(body(79)).toContain("`RunPython`");
    expect(body(80)).toContain("`SeparateDatabaseAndState`");
    expect(body(81)).toContain("`RunSQL`");
  });
});

describe("adding questions to an existing content folder", () => {
  const latest = versions.at(-1)!.markdown;

  it("writes only the selected questions, with tags of the folder's vocabulary, skipping numbers it has", () => {
    const { files, warnings } = importReadme(latest, {
      date: "2026-12-04",
      credit: "Şuayip Üzülmez",
      numbers: [69, 70, 79],
      into: { tags: ["migrations", "database", "tasks"], slugs: ["what-does-runpython-migration-operation-do-and-in-which"], numbers: [69] },
    });
    expect(files.map((f) => f.path)).toEqual([
      "questions/how-do-django-signals-compare-to-database-triggers/question.md",
      "questions/what-does-runpython-migration-operation-do-and-in-which-2/question.md",
    ]);
    expect(files[1]!.content).toMatch(/^tags: \[migrations\]$/m);
    expect(files[0]!.content).toMatch(/^tags: \[database\]$/m);
    expect(warnings).toEqual([expect.stringMatching(/^question 69 \(line \d+\): the folder already has a question 69; not imported$/)]);
  });

  it("says which selected numbers the readme lacks", () => {
    const { warnings } = importReadme(latest, { date: "2026-12-04", numbers: [81, 82] });
    expect(warnings).toContain("no question numbered 82 in the README");
  });
});
