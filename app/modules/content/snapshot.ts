import type { ContentSnapshot, Question, Tag } from "./types";

/** A snapshot of questions and tags with its lookups (by slug, by number). Pure. */
export function contentSnapshot(version: string, questions: Question[], tags: Tag[]): ContentSnapshot {
  return {
    version,
    questions,
    tags,
    bySlug: new Map(questions.map((q) => [q.slug, q])),
    byNumber: new Map(questions.map((q) => [q.number, q])),
  };
}
