import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { contentDir, getEnv } from "~/modules/config/env.server";
import { processAnalyser } from "./analyse-worker.server";
import { AnalysisCache, SearchIndexCache } from "./analysis-cache.server";
import { renderMarkdown } from "~/modules/markdown/render";
import { markdownToProse, proseExcerpt } from "~/modules/markdown/text";
import { questionProse } from "./state.server";
import { getContentStore, type LoadedContent } from "./store.server";
import type { Question, Tag } from "./types";

export type { LoadedContent } from "./store.server";
export { pageVersion } from "./versions";

/** Running from the production bundle (build/server/index.js), not from sources (development, tests). */
function fromBundle(): boolean {
  return import.meta.url.startsWith("file:") && import.meta.url.endsWith(".js");
}

/**
 * The analysis and search-index caches of the production build: under DATA_DIR, valid for this
 * very server bundle (its hash), so a new build never reads an old build's
 * findings. None in development and tests, whose code changes under them.
 */
function caches(dataDir: string): { cache: AnalysisCache; searchCache: SearchIndexCache } | undefined {
  if (!fromBundle()) return undefined;
  try {
    const bundle = readFileSync(fileURLToPath(import.meta.url));
    const key = createHash("sha1").update(bundle).digest("hex").slice(0, 16);
    return {
      cache: new AnalysisCache(path.resolve(dataDir, "content-cache", "analyses.jsonl"), key),
      searchCache: new SearchIndexCache(path.resolve(dataDir, "content-cache", "search-index.json"), key),
    };
  } catch {
    return undefined;
  }
}

/**
 * The process-wide content store, configured from the environment: made by the composition root
 * (app/modules/server/services.server.ts); routes read it as `context.services.store`.
 */
export async function getStore() {
  const env = getEnv();
  const onDisk = caches(env.DATA_DIR);
  return getContentStore({
    dir: contentDir(env),
    watch: env.CONTENT_WATCH,
    deferFrom: env.CONTENT_DEFER_FROM,
    textsDir: path.resolve(env.DATA_DIR, "content-cache"),
    ...onDisk,
    // Many files at once are parsed in helper processes running this same bundle (analyse-worker.server.ts).
    ...(fromBundle() ? { analyse: processAnalyser(import.meta.url) } : {}),
  });
}

export interface QuestionSummary {
  slug: string;
  number: number;
  title: string;
  tags: Tag[];
  answerCount: number;
  excerpt: string;
}

function tagMap(content: LoadedContent): Map<string, Tag> {
  return new Map(content.tags.map((t) => [t.id, t]));
}

const summaries = new WeakMap<Question, { tags: Tag[]; summary: QuestionSummary }>();

/** A question as lists show it. Memoised per question and tag vocabulary: its excerpt is computed once. */
export function summarise(content: LoadedContent, q: Question): QuestionSummary {
  const hit = summaries.get(q);
  if (hit && hit.tags === content.tags) return hit.summary;
  const tags = tagMap(content);
  const summary: QuestionSummary = {
    slug: q.slug,
    number: q.number,
    title: q.title,
    tags: q.tags.map((id) => tags.get(id) ?? { id, label: id, description: "" }),
    answerCount: q.answers.length,
    excerpt: proseExcerpt(questionProse(q) ?? markdownToProse(q.body), 180),
  };
  summaries.set(q, { tags: content.tags, summary });
  return summary;
}

export function listQuestions(content: LoadedContent, tag?: string): QuestionSummary[] {
  return content.questions.filter((q) => !tag || q.tags.includes(tag)).map((q) => summarise(content, q));
}

/** How a list of questions is ordered. */
export const SORTS = {
  number: "Number",
  newest: "Newest",
  answers: "Most answered",
} as const;
export type Sort = keyof typeof SORTS;
export const PAGE_SIZE = 50;

export interface QuestionListPage {
  questions: QuestionSummary[];
  /** Questions in the whole list (every page). */
  total: number;
  page: number;
  pages: number;
  sort: Sort;
}

/** Reads `?page=` and `?sort=`; anything odd falls back to the first page, by number. */
export function listParams(params: URLSearchParams): { page: number; sort: Sort } {
  const sortParam = params.get("sort") ?? "";
  const sort: Sort = Object.prototype.hasOwnProperty.call(SORTS, sortParam) ? (sortParam as Sort) : "number";
  const n = Number(params.get("page") ?? "1");
  return { page: Number.isInteger(n) && n >= 1 ? n : 1, sort };
}

const sortedLists = new WeakMap<LoadedContent, Map<string, Question[]>>();

/** The questions of a list (all, or one tag's), in the asked order; once per snapshot. */
function sortedQuestions(content: LoadedContent, sort: Sort, tag?: string): Question[] {
  let lists = sortedLists.get(content);
  if (!lists) sortedLists.set(content, (lists = new Map()));
  const key = `${sort} ${tag ?? ""}`;
  let list = lists.get(key);
  if (!list) {
    list = content.questions.filter((q) => !tag || q.tags.includes(tag));
    if (sort === "newest") list = [...list].sort((a, b) => (a.added < b.added ? 1 : a.added > b.added ? -1 : b.number - a.number));
    else if (sort === "answers") list = [...list].sort((a, b) => b.answers.length - a.answers.length || a.number - b.number);
    lists.set(key, list);
  }
  return list;
}

/**
 * One page of a list of questions. Only the page's questions are summarised
 * (their excerpts are computed once per question and reused). A page past the
 * end is the last page.
 */
export function listPage(content: LoadedContent, options: { page: number; sort: Sort; tag?: string; pageSize?: number }): QuestionListPage {
  const size = options.pageSize ?? PAGE_SIZE;
  const all = sortedQuestions(content, options.sort, options.tag);
  const pages = Math.max(1, Math.ceil(all.length / size));
  const page = Math.min(Math.max(1, options.page), pages);
  return {
    questions: all.slice((page - 1) * size, page * size).map((q) => summarise(content, q)),
    total: all.length,
    page,
    pages,
    sort: options.sort,
  };
}

const tagCountMemo = new WeakMap<LoadedContent, (Tag & { count: number })[]>();

/** Every tag with how many questions carry it (once per snapshot). */
export function tagCounts(content: LoadedContent): (Tag & { count: number })[] {
  const hit = tagCountMemo.get(content);
  if (hit) return hit;
  const result = countTags(content);
  tagCountMemo.set(content, result);
  return result;
}

function countTags(content: LoadedContent): (Tag & { count: number })[] {
  const counts = new Map<string, number>();
  for (const q of content.questions) for (const t of q.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return content.tags.map((t) => ({ ...t, count: counts.get(t.id) ?? 0 }));
}

export type QuestionLookup =
  | { kind: "found"; question: Question }
  | { kind: "redirect"; slug: string }
  | { kind: "missing" };

/** `/q/<slug>` or `/q/<number>` (readers cite "question 42"). */
export function findQuestion(content: LoadedContent, slugOrNumber: string): QuestionLookup {
  const q = content.bySlug.get(slugOrNumber);
  if (q) return { kind: "found", question: q };
  const m = /^#?(\d{1,6})$/.exec(slugOrNumber);
  if (m) {
    const byNumber = content.byNumber.get(Number(m[1]));
    if (byNumber) return { kind: "redirect", slug: byNumber.slug };
  }
  return { kind: "missing" };
}

/** Answers sit under the question's h2 "answers" heading; their ids must not clash with the question's. */
export function renderAnswer(id: string, markdown: string): string {
  return renderMarkdown(markdown, { topHeadingLevel: 3, idPrefix: `answer-${id}-` });
}

export interface AnswerView {
  id: string;
  author: string;
  github?: string;
  /** When the answer was written or last revised. */
  date: string;
  /** The Django versions the answer was checked against. */
  django?: string[];
  html: string;
}

export interface QuestionPage {
  question: { slug: string; number: number; title: string; added: string; credit?: string; html: string; description: string };
  tags: Tag[];
  answers: AnswerView[];
  prev?: { slug: string; number: number; title: string };
  next?: { slug: string; number: number; title: string };
}

export function questionPage(content: LoadedContent, q: Question): QuestionPage {
  const tags = tagMap(content);
  const i = content.questions.indexOf(q);
  const link = (x: Question | undefined) => (x ? { slug: x.slug, number: x.number, title: x.title } : undefined);
  return {
    question: {
      slug: q.slug,
      number: q.number,
      title: q.title,
      added: q.added,
      credit: q.credit,
      html: renderMarkdown(q.body),
      description: proseExcerpt(questionProse(q) ?? markdownToProse(q.body), 160),
    },
    tags: q.tags.map((id) => tags.get(id) ?? { id, label: id, description: "" }),
    answers: q.answers.map((a) => ({
      id: a.id,
      author: a.author,
      github: a.github,
      date: a.date,
      ...(a.django ? { django: a.django } : {}),
      html: renderAnswer(a.id, a.body),
    })),
    prev: link(content.questions[i - 1]),
    next: link(content.questions[i + 1]),
  };
}

/**
 * Practice mode: the catalogue for building rounds, and one question card.
 * `slug` picks the card; otherwise it is a random one from the pool, never
 * `skip` (the card the reader just saw) unless it is the pool's only question.
 */
export function practiceData(
  content: LoadedContent,
  options: { tags: string[]; slug?: string; skip?: string; random: () => number },
) {
  const known = new Set(content.tags.map((t) => t.id));
  const tags = options.tags.filter((t) => known.has(t));
  const pool = content.questions.filter((q) => tags.length === 0 || q.tags.some((t) => tags.includes(t)));
  const others = pool.filter((q) => q.slug !== options.skip);
  const candidates = others.length > 0 ? others : pool;
  const chosen =
    (options.slug ? content.bySlug.get(options.slug) : undefined) ??
    candidates[Math.min(Math.floor(options.random() * candidates.length), candidates.length - 1)];
  return {
    selectedTags: tags,
    tags: tagCounts(content),
    catalogue: content.questions.map((q) => ({ slug: q.slug, number: q.number, title: q.title, tags: q.tags })),
    pool: pool.map((q) => q.slug),
    card: chosen ? questionPage(content, chosen) : null,
  };
}
