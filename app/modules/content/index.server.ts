import { contentDir, getEnv } from "~/modules/config/env.server";
import { renderMarkdown } from "~/modules/markdown/render";
import { excerpt } from "~/modules/markdown/text";
import { getContentStore, type LoadedContent } from "./store.server";
import type { Question, Tag } from "./types";

export type { LoadedContent } from "./store.server";

/** The current content snapshot (loads the folder on first use). */
export async function loadContent(): Promise<LoadedContent> {
  return (await getStore()).content;
}

/** The process-wide content store, configured from the environment. */
export async function getStore() {
  const env = getEnv();
  return getContentStore({ dir: contentDir(env), watch: env.CONTENT_WATCH });
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

export function summarise(content: LoadedContent, q: Question): QuestionSummary {
  const tags = tagMap(content);
  return {
    slug: q.slug,
    number: q.number,
    title: q.title,
    tags: q.tags.map((id) => tags.get(id) ?? { id, label: id, description: "" }),
    answerCount: q.answers.length,
    excerpt: excerpt(q.body, 180),
  };
}

export function listQuestions(content: LoadedContent, tag?: string): QuestionSummary[] {
  return content.questions.filter((q) => !tag || q.tags.includes(tag)).map((q) => summarise(content, q));
}

export function tagCounts(content: LoadedContent): (Tag & { count: number })[] {
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
      description: excerpt(q.body, 160),
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
