import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyOp, INITIAL, opArbitrary, type Files } from "../../../tests/support/content-ops";
import { buildSearchIndex, restoreSearchIndex, saveSearchIndex, searchQuestions, type SearchIndex } from "~/modules/search";
import { analyseContent, type HashedFile } from "./analyse";
import { listPage, questionPage, type LoadedContent } from "./index.server";
import { ContentState, searchDocumentKey } from "./state.server";
import { pageVersion } from "./versions";

const encoder = new TextEncoder();
const hashed = (files: Files, paths?: string[]): HashedFile[] =>
  (paths ?? [...files.keys()]).map((p) => {
    const bytes = encoder.encode(files.get(p)!);
    return { path: p, bytes, hash: createHash("sha1").update(bytes).digest("hex") };
  });

const QUERIES = ["orm", "csrf tokens", "title:save", "+signals -cache", "migrat~1", "select_related", "que*", "1", "2"];

/** Everything a reader can see of a snapshot. */
function visible(content: LoadedContent) {
  return {
    version: content.version,
    tags: content.tags,
    findings: content.findings,
    pages: content.questions.map((q) => questionPage(content, q)),
    lists: (["number", "newest", "answers"] as const).map((sort) => listPage(content, { page: 1, sort, pageSize: 3 })),
    search: QUERIES.map((q) => {
      const r = searchQuestions(content.search, q);
      return { slugs: r.results.map((x) => x.slug).sort(), total: r.total, message: r.message, html: r.results.map((x) => x.titleHtml).sort() };
    }),
  };
}

describe("ContentState (incremental snapshots)", () => {
  it("shows the same pages, lists, search results and findings as a full rebuild after any sequence of changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 15 }), async (ops) => {
        const files: Files = new Map(INITIAL);
        const live = new ContentState();
        await live.apply(analyseContent(hashed(files)), []);
        for (const op of ops) {
          const { written, deleted } = applyOp(files, op);
          const { content } = await live.apply(analyseContent(hashed(files, written)), deleted);
          const { content: full } = await new ContentState().apply(analyseContent(hashed(files)), []);
          expect(visible(content), JSON.stringify(op)).toEqual(visible(full));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("restores a search index saved from an earlier snapshot that searches exactly like one built from scratch", async () => {
    const results = (index: SearchIndex) =>
      QUERIES.map((q) => {
        const r = searchQuestions(index, q);
        return { results: r.results, total: r.total, message: r.message };
      });
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 11 }), async (ops, savedAfter) => {
        const files: Files = new Map(INITIAL);
        const live = new ContentState();
        let { content } = await live.apply(analyseContent(hashed(files)), []);
        // As it is kept on disk: plain JSON.
        let saved = JSON.parse(JSON.stringify(saveSearchIndex(content.search, searchDocumentKey)));
        for (const [i, op] of ops.entries()) {
          const { written, deleted } = applyOp(files, op);
          ({ content } = await live.apply(analyseContent(hashed(files, written)), deleted));
          if (i === savedAfter) saved = JSON.parse(JSON.stringify(saveSearchIndex(content.search, searchDocumentKey)));
        }
        const docs = [...content.search.docs.values()];
        const { index } = restoreSearchIndex(saved, docs, searchDocumentKey);
        expect(results(index), JSON.stringify(ops)).toEqual(results(buildSearchIndex(docs)));
      }),
      { numRuns: 40 },
    );
  });

  it("reuses unchanged questions and changes only the versions of the pages that show a change", async () => {
    const files: Files = new Map(INITIAL);
    const q = (n: number, title: string) => `---\nnumber: ${n}\ntitle: "${title}"\ntags: [orm]\nadded: 2026-01-01\n---\nWhat is it?\n`;
    files.set("questions/one-question/question.md", q(1, "How does the ORM work?"));
    files.set("questions/two-question/question.md", q(2, "What is CSRF?"));
    files.set("questions/three-question/question.md", q(3, "Why use signals?"));
    files.set("questions/five-question/question.md", q(5, "What does select_related do?"));
    const state = new ContentState();
    const { content: before } = await state.apply(analyseContent(hashed(files)), []);
    const answer = "questions/five-question/answers/first.md";
    files.set(answer, "---\nauthor: Ann\ndate: 2026-01-02\n---\nIt joins.\n");
    const { content: after, changedSlugs } = await state.apply(analyseContent(hashed(files, [answer])), []);
    expect([...changedSlugs]).toEqual(["five-question"]);
    expect(after.bySlug.get("one-question")).toBe(before.bySlug.get("one-question"));
    expect(pageVersion(after, "/q/one-question")).toBe(pageVersion(before, "/q/one-question"));
    expect(pageVersion(after, "/q/five-question")).not.toBe(pageVersion(before, "/q/five-question"));
    // The list shows answer counts: it changes; a list that does not show the question does not.
    expect(pageVersion(after, "/")).not.toBe(pageVersion(before, "/"));
    expect(pageVersion(after, "/search?q=x")).toBe(after.version);
  });
});
