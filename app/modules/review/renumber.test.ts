import { describe, expect, it } from "vitest";
import { applyRenumbering, isQuestionFile, planRenumbering, questionNumberOf, withQuestionNumber } from "./renumber";

const question = (n: number | string, title = "What is WSGI?") =>
  `---\nnumber: ${n}\ntitle: ${title}\ntags: [deployment]\nadded: 2026-11-25\n---\nExplain WSGI.\n\nnumber: 5 in the body stays.\n`;

describe("question numbers", () => {
  it("reads the number of a question file", () => {
    expect(questionNumberOf(question(70))).toBe(70);
    expect(questionNumberOf(question("seventy"))).toBeUndefined();
    expect(questionNumberOf("no front matter")).toBeUndefined();
  });

  it("rewrites only the front matter's number line", () => {
    const before = question(70);
    const after = withQuestionNumber(before, 71);
    expect(questionNumberOf(after)).toBe(71);
    expect(after).toBe(before.replace("number: 70", "number: 71"));
    expect(after).toContain("number: 5 in the body stays.");
  });

  it("refuses a file without front matter or without a number", () => {
    expect(() => withQuestionNumber("Explain WSGI.\n", 3)).toThrow(/front matter/);
    expect(() => withQuestionNumber("---\ntitle: x\n---\nBody\n", 3)).toThrow(/no number/);
  });

  it("recognises question files only", () => {
    expect(isQuestionFile("content/questions/what-is-wsgi/question.md")).toBe(true);
    expect(isQuestionFile("content/questions/what-is-wsgi/answers/2026-01-01-ann.md")).toBe(false);
    expect(isQuestionFile("questions/what-is-wsgi/question.md")).toBe(false);
  });
});

describe("planRenumbering", () => {
  const existing = new Map([
    ["content/questions/a/question.md", 1],
    ["content/questions/b/question.md", 2],
    ["content/questions/c/question.md", 70],
  ]);

  it("leaves a new question whose number is still free alone", () => {
    expect(planRenumbering([{ path: "content/questions/new/question.md", content: question(71) }], existing)).toEqual([]);
  });

  it("gives a new question whose number was taken the next free number", () => {
    const file = { path: "content/questions/new/question.md", content: question(70) };
    const plan = planRenumbering([file], existing);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ path: file.path, from: 70, to: 71 });
    expect(questionNumberOf(plan[0]!.content)).toBe(71);
    const [merged] = applyRenumbering([file], plan);
    expect(questionNumberOf(merged!.content)).toBe(71);
  });

  it("takes the highest number + 1 even when lower numbers are free", () => {
    const plan = planRenumbering([{ path: "content/questions/new/question.md", content: question(2) }], existing);
    expect(plan[0]).toMatchObject({ from: 2, to: 71 });
  });

  it("never gives two new questions of one change the same number", () => {
    const plan = planRenumbering(
      [
        { path: "content/questions/x/question.md", content: question(71) },
        { path: "content/questions/y/question.md", content: question(71) },
      ],
      existing,
    );
    expect(plan.map((r) => [r.path, r.to])).toEqual([["content/questions/y/question.md", 72]]);
  });

  it("never renumbers an edit of an existing question, nor answers", () => {
    const plan = planRenumbering(
      [
        { path: "content/questions/c/question.md", content: question(1) },
        { path: "content/questions/c/answers/2026-01-01-ann.md", content: "---\nauthor: Ann\ndate: 2026-01-01\n---\nText\n" },
      ],
      existing,
    );
    expect(plan).toEqual([]);
  });
});
