/**
 * The proposal check against the site's live check (only the proposal's files
 * parsed) gives what the check of the whole folder gives, on the real content.
 */
import fc from "fast-check";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { checkContent } from "~/modules/validation";
import { analyseFiles, IncrementalCheck } from "~/modules/validation/incremental";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { proposalArbitrary, type Proposal } from "../../../tests/contributions/proposal-arbitrary";
import { checkProposal } from "./check";

let files: ContentFile[];
let live: IncrementalCheck;
let baseline: Finding[];
const decoder = new TextDecoder();

beforeAll(async () => {
  files = await readContentFolder(path.resolve("content"));
  live = new IncrementalCheck();
  live.apply(analyseFiles(files).analyses, []);
  baseline = checkContent(files);
});

function text(p: string): string {
  return decoder.decode(files.find((f) => f.path === p)!.bytes);
}

/** The two ways give the same result; returns it. */
function bothWays(proposal: Proposal) {
  const whole = checkProposal(files, proposal.files, proposal.kind, { baseline });
  const incremental = checkProposal(live, proposal.files, proposal.kind);
  expect(incremental, JSON.stringify(proposal)).toEqual(whole);
  return incremental;
}

describe("checkProposal against the live check", () => {
  it("gives the same result as checking the whole folder, for any proposal", () => {
    fc.assert(fc.property(proposalArbitrary(files), (proposal) => void bothWays(proposal)), { numRuns: 120 });
    expect(live.findings()).toEqual(baseline);
  });

  it("gives the same result in each case a contributor meets", () => {
    const questions = files.filter((f) => f.path.endsWith("/question.md")).map((f) => f.path).sort();
    const [firstPath, secondPath] = [questions[0]!, questions[1]!];
    const first = text(firstPath);
    const second = text(secondPath);
    const titleOf = (t: string) => /^title: (.*)$/m.exec(t)![1]!;
    const numberOf = (t: string) => /^number: (.*)$/m.exec(t)![1]!;
    const answerPath = files.map((f) => f.path).find((p) => p.includes("/answers/"))!;
    const slugOf = (p: string) => p.split("/")[1]!;
    const q = (slug: string, front: string, body = "What does it do?") => ({
      kind: "question" as const,
      files: [{ path: `content/questions/${slug}/question.md`, content: `---\n${front}---\n${body}\n` }],
    });
    const fresh = "number: 999\ntitle: What is a context processor for?\ntags: [views]\nadded: 2026-12-04\n";
    const rulesOf = (r: ReturnType<typeof bothWays>) => r.findings.map((f) => f.rule);

    // A new question, a new answer, edits of a question and of an answer: accepted.
    expect(bothWays(q("what-is-a-context-processor", fresh)).ok).toBe(true);
    const answer = `---\nauthor: Ann Example\ndate: 2026-12-04\n---\nIt runs on every request.\n`;
    expect(bothWays({ kind: "answer", files: [{ path: `content/questions/${slugOf(firstPath)}/answers/2026-12-04-ann.md`, content: answer }] }).ok).toBe(true);
    expect(bothWays({ kind: "edit", files: [{ path: `content/${firstPath}`, content: `${first.trimEnd()}\n\nAnd why?\n` }] }).ok).toBe(true);
    expect(bothWays({ kind: "edit", files: [{ path: `content/${answerPath}`, content: `${text(answerPath).trimEnd()}\n\nOne more line.\n` }] }).ok).toBe(true);

    // The number of another question: an error on the number, found on both files.
    const sameNumber = bothWays(q("a-new-question", fresh.replace("999", numberOf(first))));
    expect(sameNumber.ok).toBe(false);
    expect(rulesOf(sameNumber)).toContain("duplicate-number");
    // An existing folder by another case; the same title as another question; an edit taking another's title.
    expect(rulesOf(bothWays(q(slugOf(firstPath).toUpperCase(), fresh)))).toContain("duplicate-slug");
    const sameTitle = bothWays(q("a-new-question", fresh.replace(/title: .*/, `title: ${titleOf(first)}`)));
    expect(sameTitle.fieldWarnings.title?.length).toBeGreaterThan(0);
    expect(rulesOf(sameTitle)).toContain("possible-duplicate");
    expect(rulesOf(bothWays({ kind: "edit", files: [{ path: `content/${secondPath}`, content: second.replace(/^title: .*$/m, `title: ${titleOf(first)}`) }] }))).toContain(
      "possible-duplicate",
    );
    // Invalid front matter; an unknown tag.
    expect(bothWays(q("a-new-question", "title: [unclosed\n")).ok).toBe(false);
    const unknownTag = bothWays(q("a-new-question", fresh.replace("[views]", "[views, no-such-tag]")));
    expect(rulesOf(unknownTag)).toContain("unknown-tag");
    expect(unknownTag.fieldErrors.tags?.length).toBeGreaterThan(0);
    expect(live.findings()).toEqual(baseline);
  });
});
