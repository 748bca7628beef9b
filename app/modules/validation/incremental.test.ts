import fc from "fast-check";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { toContentPath } from "~/modules/contract";
import { proposalArbitrary } from "../../../tests/contributions/proposal-arbitrary";
import { applyOp, INITIAL, opArbitrary, type Files } from "../../../tests/support/content-ops";
import { checkContent } from "./check";
import { analyseFiles, IncrementalCheck } from "./incremental";
import type { ContentFile, Finding } from "./types";

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

/** Everything the check holds (a deep copy): the index — its caches read through their getters — and every finding. */
function checkState(check: IncrementalCheck) {
  const { maxNumberCache: _max, vocabularyCache: _vocabulary, ...index } = check.index as unknown as Record<string, unknown>;
  const inner = check as unknown as { fileFindings: unknown; folderFindings: unknown };
  return structuredClone({
    index,
    maxNumber: check.index.maxNumber,
    vocabulary: check.index.vocabulary,
    fileFindings: inner.fileFindings,
    folderFindings: inner.folderFindings,
    findings: check.findings(),
  });
}

function byPath(findings: readonly Finding[], paths: Iterable<string>): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const p of paths) out.set(p, []);
  for (const f of findings) out.get(f.path)?.push(f);
  return out;
}

describe("IncrementalCheck.whatIf", () => {
  it("says what any change would do and leaves the check exactly as it was", () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 12 }), opArbitrary, (ops, probe) => {
        const files: Files = new Map(INITIAL);
        const check = new IncrementalCheck();
        check.apply(analyseFiles(asFiles(files)).analyses, []);
        for (const op of ops) {
          const { written, deleted } = applyOp(files, op);
          check.apply(analyseFiles(asFiles(files, written)).analyses, deleted);
        }
        const now = checkContent(asFiles(files));
        const sorted = check.findings();
        const state = checkState(check);
        const paths = [...new Set([...files.keys(), "tags.yml", "LICENSE"])];
        const errors = paths.map((p) => check.hasError(p));

        const changed: Files = new Map(files);
        const { written, deleted } = applyOp(changed, probe);
        const result = check.whatIf(analyseFiles(asFiles(changed, written)).analyses, deleted);

        // The answer: the findings before and after on the files it names, and no other file changes.
        const then = checkContent(asFiles(changed));
        const named = new Set(result.after.keys());
        expect([...result.before.keys()].sort()).toEqual([...named].sort());
        expect(result.before).toEqual(byPath(now, named));
        expect(result.after).toEqual(byPath(then, named));
        const unnamed = (list: Finding[]) => list.filter((f) => !named.has(f.path));
        expect(unnamed(then), JSON.stringify(probe)).toEqual(unnamed(now));

        // The check as it was.
        expect(check.findings()).toBe(sorted);
        expect(checkState(check)).toEqual(state);
        expect(paths.map((p) => check.hasError(p))).toEqual(errors);
        // … and it goes on working: the same change, applied for real.
        check.apply(analyseFiles(asFiles(changed, written)).analyses, deleted);
        expect(check.findings()).toEqual(then);
      }),
      { numRuns: 150 },
    );
  });

  describe("on the real content folder", () => {
    let files: ContentFile[];
    let check: IncrementalCheck;
    beforeAll(async () => {
      files = await readContentFolder(path.resolve("content"));
      check = new IncrementalCheck();
      check.apply(analyseFiles(files).analyses, []);
    });

    it("leaves the check as it was after any proposal", () => {
      const state = checkState(check);
      const findings = check.findings();
      fc.assert(
        fc.property(proposalArbitrary(files), (proposal) => {
          const own = proposal.files.map((f) => ({ path: toContentPath(f.path), bytes: new TextEncoder().encode(f.content) }));
          const result = check.whatIf(analyseFiles(own).analyses, []);
          for (const f of own) expect(result.after.has(f.path)).toBe(true);
          expect(check.findings()).toBe(findings);
        }),
        { numRuns: 200 },
      );
      expect(checkState(check)).toEqual(state);
      expect(check.findings()).toEqual(checkContent(files));
    });
  });
});
