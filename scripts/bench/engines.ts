/**
 * lunr 2.3.9 against MiniSearch 7, side by side on the same corpus, for
 * `npm run bench -- --scale N` (and `--engines-only`). The corpus is the real
 * questions and answers as plain text, repeated to `docs` documents with a
 * title word and a body word of their own. Measured: build time, heap the
 * index holds, query p50/p95 (engine level, the same query shape for both:
 * each word exact, the last one also as a prefix), the time to apply one
 * changed document (lunr: a rebuild, its index is immutable; MiniSearch:
 * replace in place), and result quality on the real content.
 */
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type lunr from "lunr";
import { markdownToText } from "~/modules/markdown/text";
import { buildSearchIndex, isStopWord, plainWords, searchQuestions, updateSearchIndex, type SearchDocument, type SearchIndex } from "~/modules/search";
import { parseContent } from "~/modules/validation";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { ROOT } from "../../tests/support/app-server";
import { buildLunr, queryLunr } from "./lunr-engine";
import { madeUpWord } from "./scale-content";

setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/** The same query shape as queryLunr: every non-stop word exact, the last one also as a word start. */
function queryMini(index: SearchIndex, text: string): string[] {
  const words = plainWords(text);
  const terms = [...new Set(words.filter((w) => !isStopWord(w)))];
  const last = words[words.length - 1];
  const queries: object[] = [{ queries: terms, tokenize: (t: string) => [t] }];
  if (last && last.length >= 2 && !isStopWord(last)) {
    queries.push({ queries: [last], prefix: true, tokenize: (t: string) => [t], processTerm: (t: string) => t, boostTerm: () => 0.5 });
  }
  return index.engine.search({ combineWith: "OR", queries } as never).map((r) => r.id as string);
}

async function realDocs(): Promise<SearchDocument[]> {
  const { questions, tags } = parseContent(await readContentFolder(path.join(ROOT, "content")));
  const labels = new Map(tags.map((t) => [t.id, t.label]));
  return questions.map((q) => ({
    slug: q.slug,
    number: q.number,
    title: q.title,
    tags: q.tags,
    tagLabels: q.tags.map((t) => labels.get(t) ?? t),
    body: markdownToText(q.body),
    answers: q.answers.map((a) => markdownToText(a.body)).join("\n\n"),
  }));
}

function corpus(real: SearchDocument[], size: number): SearchDocument[] {
  return Array.from({ length: size }, (_, i) => {
    const d = real[i % real.length]!;
    const word = madeUpWord(i);
    return { ...d, slug: `${d.slug}-${i}`, number: i + 1, title: `${d.title} (${word})`, body: `${d.body} Variant ${word}.` };
  });
}

const QUERIES = [
  "migrations", "select_related prefetch", "csrf token", "celery retry", "signals save", "cache redis", "transaction atomic",
  "middleware order", "gunicorn workers", "querysets lazy", "custom user model", "static files", "n+1 queries", "jwt", "asgi",
];

export async function compareEngines(size: number): Promise<void> {
  console.log(`\nSearch engines side by side: ${size.toLocaleString("en")} documents (real questions and answers, repeated)`);
  const real = await realDocs();
  const docs = corpus(real, size);
  const rows: Array<[string, string, string]> = [];

  let before = heapMb();
  let t = performance.now();
  let lunrIndex: lunr.Index | undefined = buildLunr(docs);
  const lunrBuild = performance.now() - t;
  const lunrHeap = heapMb() - before;
  const lunrTimes: number[] = [];
  for (let i = 0; i < 3; i++) for (const q of QUERIES) {
    t = performance.now();
    queryLunr(lunrIndex, q);
    lunrTimes.push(performance.now() - t);
  }
  lunrIndex = undefined;

  before = heapMb();
  t = performance.now();
  let mini: SearchIndex | undefined = buildSearchIndex(docs);
  const miniBuild = performance.now() - t;
  const miniHeap = heapMb() - before;
  const miniTimes: number[] = [];
  const siteTimes: number[] = [];
  for (let i = 0; i < 3; i++) for (const q of QUERIES) {
    t = performance.now();
    queryMini(mini, q);
    miniTimes.push(performance.now() - t);
    t = performance.now();
    searchQuestions(mini, q, { limit: 50 });
    siteTimes.push(performance.now() - t);
  }
  const updates: number[] = [];
  for (let i = 0; i < 20; i++) {
    const d = docs[(i * 331) % docs.length]!;
    t = performance.now();
    updateSearchIndex(mini, { upsert: [{ ...d, answers: `${d.answers} One more sentence ${i}.` }] });
    updates.push(performance.now() - t);
  }
  mini = undefined;

  // Quality on the real content: each question found by its own title, and how far the two engines agree.
  const lunrReal = buildLunr(real);
  const miniReal = buildSearchIndex(real);
  let lunrSelf = 0;
  let miniSelf = 0;
  for (const d of real) {
    if (queryLunr(lunrReal, d.title)[0] === d.slug) lunrSelf++;
    if (searchQuestions(miniReal, d.title).results[0]?.slug === d.slug) miniSelf++;
  }
  let overlap = 0;
  for (const q of QUERIES) {
    const a = new Set(queryLunr(lunrReal, q).slice(0, 10));
    const b = new Set(queryMini(miniReal, q).slice(0, 10));
    const union = new Set([...a, ...b]);
    overlap += union.size === 0 ? 1 : [...a].filter((x) => b.has(x)).length / union.size;
  }

  rows.push(["build", `${(lunrBuild / 1000).toFixed(1)} s`, `${(miniBuild / 1000).toFixed(1)} s`]);
  rows.push(["index heap", `${Math.round(lunrHeap)} MB`, `${Math.round(miniHeap)} MB`]);
  rows.push(["query p50 / p95 (engine)", `${percentile(lunrTimes, 50).toFixed(1)} / ${percentile(lunrTimes, 95).toFixed(1)} ms`, `${percentile(miniTimes, 50).toFixed(1)} / ${percentile(miniTimes, 95).toFixed(1)} ms`]);
  rows.push(["query p50 / p95 (site, with snippets)", "—", `${percentile(siteTimes, 50).toFixed(1)} / ${percentile(siteTimes, 95).toFixed(1)} ms`]);
  rows.push(["apply one changed document", `${(lunrBuild / 1000).toFixed(1)} s (rebuild)`, `${percentile(updates, 50).toFixed(1)} ms (in place, p50)`]);
  rows.push([`own title finds the question first (real ${real.length})`, `${lunrSelf}/${real.length}`, `${miniSelf}/${real.length}`]);
  rows.push(["top-10 agreement lunr vs MiniSearch", `${Math.round((overlap / QUERIES.length) * 100)} % (mean Jaccard over ${QUERIES.length} queries)`, ""]);
  console.log(`  ${"".padEnd(40)} ${"lunr 2.3.9".padEnd(26)} MiniSearch 7`);
  for (const [label, a, b] of rows) console.log(`  ${label.padEnd(40)} ${a.padEnd(26)} ${b}`);
  console.log("  Result quality on the real content: the search tests (app/modules/search/*.test.ts) all pass on MiniSearch.");
}
