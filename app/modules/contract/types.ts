/**
 * The parsed, valid content the site serves (see CONTRIBUTING.md and
 * docs/decisions/015-one-content-contract.md). Pure types.
 */

export interface Tag {
  id: string;
  label: string;
  description: string;
}

export interface Answer {
  /** File name without `.md`, unique within the question's answers folder. */
  id: string;
  questionSlug: string;
  author: string;
  github?: string;
  /** ISO date, `YYYY-MM-DD`: when the answer was written or last revised. */
  date: string;
  /** The Django versions (`X.Y`) the answer was checked against, as declared in its front matter. */
  django?: string[];
  /** The answer in Markdown (front matter removed). */
  body: string;
  /** Path relative to the content folder, e.g. `questions/foo/answers/bar.md`. */
  path: string;
}

export interface Question {
  slug: string;
  number: number;
  title: string;
  tags: string[];
  /** ISO date, `YYYY-MM-DD`. */
  added: string;
  credit?: string;
  /** The full question in Markdown (front matter removed). */
  body: string;
  /** Path relative to the content folder, e.g. `questions/foo/question.md`. */
  path: string;
  /** Sorted by date, then id. */
  answers: Answer[];
}

/** The front matter and body of a question file: what a proposal writes and an edit form shows. */
export type QuestionFields = Pick<Question, "number" | "title" | "added" | "credit" | "body"> & { tags: readonly string[] };

/** The front matter and body of an answer file. */
export type AnswerFields = Pick<Answer, "author" | "github" | "date" | "body"> & { django?: readonly string[] };

/** What a proposal needs to know of the content: the questions' fields and their answers' ids and fields. */
export interface ContentIndex {
  questions: ReadonlyArray<QuestionFields & Pick<Question, "slug"> & { answers: ReadonlyArray<AnswerFields & Pick<Answer, "id">> }>;
}

export interface ContentSnapshot {
  /** Changes whenever any file of the content changes (hash of all file hashes). */
  version: string;
  /** Sorted by number. */
  questions: Question[];
  tags: Tag[];
  bySlug: Map<string, Question>;
  byNumber: Map<number, Question>;
}
