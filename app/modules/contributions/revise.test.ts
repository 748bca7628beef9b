import { describe, expect, it } from "vitest";
import { contentFiles, snapshot } from "../../../tests/contributions/fixtures";
import { answerForm, editForm, questionForm } from "../../../tests/contributions/helpers";
import { checkProposal } from "./check";
import { proposalToFiles } from "./files";
import { fixedRevisionValues, revisionFiles, sameFiles } from "./revise";
import { parseProposalInput, type ProposalInput } from "./schema";

const content = snapshot();
const tagIds = content.tags.map((t) => t.id);

function input(raw: Record<string, unknown>): ProposalInput {
  const parsed = parseProposalInput(raw, tagIds);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.input;
}

function stored(raw: Record<string, unknown>, createdAt = "2026-12-01T10:00:00Z") {
  const i = input(raw);
  const built = proposalToFiles(i, content, { today: createdAt.slice(0, 10) });
  const fields: Record<string, unknown> = { ...raw, ...(built.number !== undefined ? { number: built.number } : {}), ...(built.answerId ? { answerId: built.answerId } : {}) };
  return { kind: i.kind, files: built.files, fields, title: built.questionTitle, createdAt };
}

describe("a revision's files", () => {
  it("a new question keeps its folder, number and date when its title and text change", () => {
    const p = stored(questionForm);
    const revised = revisionFiles(p, input({ ...questionForm, title: "Why do F() expressions prevent lost updates?", body: "Explain it with a counter." }), content);
    expect(revised.files).toHaveLength(1);
    expect(revised.files[0]!.path).toBe(p.files[0]!.path);
    expect(revised.files[0]!.content).toContain("number: 3");
    expect(revised.files[0]!.content).toContain("added: 2026-12-01");
    expect(revised.files[0]!.content).toContain("title: Why do F() expressions prevent lost updates?");
    expect(revised.questionTitle).toBe("Why do F() expressions prevent lost updates?");
    expect(checkProposal(contentFiles(), revised.files, "question").ok).toBe(true);
  });

  it("a new question whose number was taken meanwhile takes the next free one", () => {
    const p = { ...stored(questionForm), fields: { ...stored(questionForm).fields, number: 2 } };
    const revised = revisionFiles(p, input(questionForm), content);
    expect(revised.generated.number).toBe(3);
  });

  it("an answer keeps its file name even when the name changes", () => {
    const p = stored(answerForm);
    const revised = revisionFiles(p, input({ ...answerForm, name: "Robert Builder", body: "Evaluated lazily: iteration, len(), list(), bool()." }), content);
    expect(revised.files[0]!.path).toBe(p.files[0]!.path);
    expect(revised.files[0]!.content).toContain("author: Robert Builder");
    expect(revised.questionTitle).toBe(p.title);
  });

  it("an edit is built again from the content as it is, and may not end up changing nothing", () => {
    const p = stored(editForm);
    const revised = revisionFiles(p, input({ ...editForm, body: "What is middleware? Name four middleware classes." }), content);
    expect(revised.files[0]!.path).toBe(editForm.path);
    expect(revised.files[0]!.content).toContain("Name four middleware classes.");
    const original = content.questions.find((q) => q.slug === "what-is-middleware")!;
    expect(() =>
      revisionFiles(p, input({ ...editForm, title: original.title, tags: original.tags, body: original.body }), content),
    ).toThrow(/Nothing has changed/);
  });

  it("what is revised is fixed by the stored proposal, not by the form", () => {
    expect(fixedRevisionValues({ kind: "answer", fields: { questionSlug: "querysets-are-lazy" } })).toEqual({ kind: "answer", questionSlug: "querysets-are-lazy" });
    expect(fixedRevisionValues({ kind: "edit", fields: { path: editForm.path, credit: "Someone" } })).toEqual({ kind: "edit", path: editForm.path, credit: "Someone" });
    const p = stored(questionForm);
    expect(() => revisionFiles(p, input(answerForm), content)).toThrow(/kind of proposal/);
  });

  it("sameFiles compares paths and texts", () => {
    const p = stored(questionForm);
    expect(sameFiles(p.files, [...p.files])).toBe(true);
    expect(sameFiles(p.files, [{ ...p.files[0]!, content: `${p.files[0]!.content}x` }])).toBe(false);
    expect(sameFiles(p.files, [])).toBe(false);
  });
});
