/**
 * The content contract (see CONTRIBUTING.md and docs/decisions/002-content-contract.md).
 *
 *   content/
 *     questions/<slug>/question.md        one question
 *     questions/<slug>/answers/<id>.md    its community answers
 *     tags.yml                            the tag vocabulary
 *     LICENSE                             licence and credit of the seed list
 *
 * These types describe the parsed, valid content the site serves.
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

export interface ContentSnapshot {
  /** Changes whenever any file of the content changes (hash of all file hashes). */
  version: string;
  /** Sorted by number. */
  questions: Question[];
  tags: Tag[];
  bySlug: Map<string, Question>;
  byNumber: Map<number, Question>;
}
