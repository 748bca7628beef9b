import { describe, expect, it } from "vitest";
import { contentFiles, snapshot } from "../../../tests/contributions/fixtures";
import { checkProposal } from "./check";
import { proposalToFiles } from "./files";

const existing = contentFiles();
const content = snapshot();
const who = { name: "Ann Example", licence: true as const, website: "" };

function question(title: string, body: string, tags = ["orm"]) {
  return proposalToFiles({ kind: "question", title, body, tags, ...who }, content, { today: "2026-12-01" }).files;
}

describe("checkProposal", () => {
  it("passes a clean question with no findings", () => {
    const r = checkProposal(existing, question("How do F expressions avoid race conditions?", "Explain F() expressions."), "question");
    expect(r).toMatchObject({ ok: true, findings: [], fieldErrors: {}, fieldWarnings: {} });
  });

  it("maps a body problem to the body field, with the line inside the body", () => {
    const r = checkProposal(existing, question("What is a context processor?", "What is it?\n\nSee <b>this</b> example."), "question");
    expect(r.ok).toBe(false);
    expect(r.findings.map((f) => f.rule)).toContain("raw-html");
    expect(r.fieldErrors.body?.[0]).toMatch(/^Line 3: Raw HTML\b.*<b>/i);
    expect(r.fieldErrors.title).toBeUndefined();
  });

  it("maps a front matter problem to its field", () => {
    const r = checkProposal(existing, question("What is <em>middleware</em> ordering?", "Why does order matter?"), "question");
    expect(r.ok).toBe(false);
    expect(r.fieldErrors.title?.[0]).toMatch(/plain text/);
    expect(Object.keys(r.fieldErrors)).toEqual(["title"]);
  });

  it("warns about a possible duplicate on the title without blocking", () => {
    const r = checkProposal(existing, question("Why are QuerySets lazy?", "Why are they lazy?"), "question");
    expect(r.ok).toBe(true);
    expect(r.fieldWarnings.title?.[0]).toMatch(/very similar .* "Why QuerySets are lazy"/);
  });

  it("maps an answer's body problems to body and leaves other files' problems out", () => {
    const broken = [...existing, { path: "questions/broken/question.md", bytes: new TextEncoder().encode("no front matter\n") }];
    const files = proposalToFiles(
      { kind: "answer", questionSlug: "querysets-are-lazy", body: "Use this:\n\n```\nqs = Model.objects.all()\n```", ...who },
      content,
      { today: "2026-12-01" },
    ).files;
    const r = checkProposal(broken, files, "answer");
    expect(r.findings.every((f) => f.path === "questions/querysets-are-lazy/answers/2026-12-01-ann-example.md")).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.fieldErrors.body?.[0]).toMatch(/^Line 3: /);
  });

  it("maps a problem with the contributor's name on an answer to the name field", () => {
    const files = proposalToFiles(
      { kind: "answer", questionSlug: "querysets-are-lazy", body: "Because evaluation is deferred.", ...who, name: "<script>x</script>" },
      content,
      { today: "2026-12-01" },
    ).files;
    const r = checkProposal(existing, files, "answer");
    expect(r.ok).toBe(false);
    expect(r.fieldErrors.name?.[0]).toMatch(/plain text/);
  });
});
