import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyOp, INITIAL, opArbitrary, type Files } from "../../../tests/support/content-ops";
import { checkContent } from "./check";
import { analyseFiles, IncrementalCheck } from "./incremental";
import type { ContentFile } from "./types";

const encoder = new TextEncoder();
const asFiles = (files: Files, paths?: string[]): ContentFile[] =>
  (paths ?? [...files.keys()]).map((p) => ({ path: p, bytes: encoder.encode(files.get(p)!) }));

describe("IncrementalCheck", () => {
  it("reports what checkContent reports after any sequence of adds, edits, deletes and renames", () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 25 }), (ops) => {
        const files: Files = new Map(INITIAL);
        const check = new IncrementalCheck();
        check.apply(analyseFiles(asFiles(files)).analyses, []);
        expect(check.findings()).toEqual(checkContent(asFiles(files)));
        for (const op of ops) {
          const { written, deleted } = applyOp(files, op);
          check.apply(analyseFiles(asFiles(files, written)).analyses, deleted);
          expect(check.findings(), JSON.stringify(op)).toEqual(checkContent(asFiles(files)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("re-checks a changed title against similar titles only and says which files changed", () => {
    const files: Files = new Map(INITIAL);
    files.set("questions/first-question/question.md", "---\nnumber: 1\ntitle: How Django migrations work\ntags: [orm]\nadded: 2026-01-01\n---\nHow?\n");
    files.set("questions/second-question/question.md", "---\nnumber: 2\ntitle: Caching with Redis\ntags: [orm]\nadded: 2026-01-01\n---\nHow?\n");
    const check = new IncrementalCheck();
    check.apply(analyseFiles(asFiles(files)).analyses, []);
    expect(check.findings()).toEqual([]);
    files.set("questions/second-question/question.md", "---\nnumber: 2\ntitle: How do Django migrations work?\ntags: [orm]\nadded: 2026-01-01\n---\nHow?\n");
    const change = check.apply(analyseFiles(asFiles(files, ["questions/second-question/question.md"])).analyses, []);
    expect(check.findings().map((f) => [f.rule, f.path, f.related])).toEqual([
      ["possible-duplicate", "questions/second-question/question.md", "questions/first-question/question.md"],
    ]);
    expect([...change.findingsChanged]).toEqual(["questions/second-question/question.md"]);
    expect(change.errorChanged.size).toBe(0);
  });
});
