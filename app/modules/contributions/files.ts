/**
 * Proposal → the exact files of the content contract. Pure.
 *
 *   content/questions/<slug>/question.md       number, title, tags, added, credit?
 *   content/questions/<slug>/answers/<id>.md   author, github?, date, django?
 *
 * Front matter keys always come in that order; YAML quoting is left to the
 * `yaml` package; tags are a flow sequence (`tags: [orm, models]`); the body
 * follows the closing `---` line directly and ends with one newline.
 */
import { Document, isSeq } from "yaml";
import {
  answerPath,
  ContractPathError,
  isSlug,
  parseRepoPath,
  questionPath,
  SLUG_MAX,
  SLUG_MIN,
  type AnswerFields,
  type ContentIndex,
  type ContractFile,
  type QuestionFields,
} from "~/modules/contract";
import type { ProposalFile, ProposalKind } from "~/modules/forge/types";
import type { AnswerProposalInput, EditProposalInput, ProposalInput, QuestionProposalInput } from "./schema";

export type { ContentIndex } from "~/modules/contract";

export interface ProposalFiles {
  kind: ProposalKind;
  files: ProposalFile[];
  /** The question's slug (new, answered or edited). */
  slug: string;
  /** Number of a new question. */
  number?: number;
  /** Id of a new answer (file name without `.md`). */
  answerId?: string;
  /** The question's title (after the edit, for an edit of the question). */
  questionTitle: string;
  /** What the proposal is about: new slug, answered slug, or edited repository path. */
  target: string;
}

/** A proposal that cannot become files; `field` is the form field to blame. */
export class ProposalRefused extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "ProposalRefused";
    this.field = field;
  }
}

export interface FilesOptions {
  /** ISO date (`YYYY-MM-DD`) of the proposal; today (UTC) by default. */
  today?: string;
  /** A draft (the form's preview while typing): an edit that changes nothing yet, or has no tags chosen, is built anyway. */
  draft?: boolean;
}

/** Today as `YYYY-MM-DD` (UTC). */
export function isoDate(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

/** Lower-case ASCII kebab-case: accents folded, everything else a hyphen. */
export function kebab(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .replace(/[Ææ]/g, "ae")
    .replace(/[Øø]/g, "o")
    .replace(/[Łł]/g, "l")
    .replace(/ı/g, "i")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Cuts a kebab-case string to `max` characters, at a hyphen when there is one. */
function cut(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const head = slug.slice(0, max + 1);
  const at = head.lastIndexOf("-");
  const out = at >= SLUG_MIN ? head.slice(0, at) : slug.slice(0, max);
  return out.replace(/-+$/, "");
}

/** Adds `-2`, `-3`, ... until `taken` says no, keeping within `max` characters. */
function unique(base: string, taken: (candidate: string) => boolean, max: number): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${cut(base, max - suffix.length)}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Title → slug: kebab-case, at most 60 characters, at least 3
 * (`question-<n>` when the title has too few letters), unique against
 * `existing` (`-2`, `-3` appended).
 */
export function slugify(title: string, existing: Iterable<string> = [], fallbackNumber?: number): string {
  const taken = new Set(existing);
  let base = cut(kebab(title), SLUG_MAX);
  if (base.length < SLUG_MIN) base = fallbackNumber === undefined ? "question" : `question-${fallbackNumber}`;
  return unique(base, (s) => taken.has(s), SLUG_MAX);
}

/** The next free question number: the highest existing number + 1. */
export function nextQuestionNumber(content: ContentIndex): number {
  let max = 0;
  for (const q of content.questions) if (q.number > max) max = q.number;
  return max + 1;
}

/** `2026-11-25-jane-doe`, `-2`, `-3` when taken in that answers folder. */
export function answerId(date: string, author: string, existingIds: Iterable<string> = [], github?: string): string {
  const taken = new Set(existingIds);
  const who = cut(kebab(author), 40) || (github ? cut(kebab(github), 40) : "") || "anonymous";
  return unique(`${date}-${who}`, (s) => taken.has(s), SLUG_MAX);
}

function frontMatter(data: Record<string, unknown>): string {
  const doc = new Document(data);
  for (const key of ["tags", "django"]) {
    const seq = doc.get(key, true);
    if (isSeq(seq)) seq.flow = true;
  }
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n`;
}

/** Normalises a Markdown body: LF line ends, no leading blank lines, no trailing spaces at the end, one final newline. */
export function normaliseBody(body: string): string {
  const lf = body.replace(/\r\n?/g, "\n").replace(/^\uFEFF/, "");
  return `${lf.replace(/^(?:[ \t]*\n)+/, "").replace(/\s+$/, "")}\n`;
}

export function questionFileText(q: QuestionFields): string {
  const data: Record<string, unknown> = { number: q.number, title: q.title, tags: [...q.tags], added: q.added };
  if (q.credit) data.credit = q.credit;
  return frontMatter(data) + normaliseBody(q.body);
}

export function answerFileText(a: AnswerFields): string {
  const data: Record<string, unknown> = { author: a.author };
  if (a.github) data.github = a.github;
  data.date = a.date;
  if (a.django?.length) data.django = [...a.django];
  return frontMatter(data) + normaliseBody(a.body);
}

export { answerPath, questionPath } from "~/modules/contract";

export type EditTarget = ContractFile;

/** The repository path of a file to edit ({@link parseRepoPath}); a path outside the contract is refused, blaming the `path` field. */
export function parseEditPath(path: string): EditTarget {
  try {
    return parseRepoPath(path);
  } catch (error) {
    if (error instanceof ContractPathError) throw new ProposalRefused("path", `This file cannot be edited here: ${error.reason}.`);
    throw error;
  }
}

function findQuestion(content: ContentIndex, slug: string) {
  return content.questions.find((q) => q.slug === slug);
}

function newQuestion(input: QuestionProposalInput, content: ContentIndex, today: string): ProposalFiles {
  const number = nextQuestionNumber(content);
  const slug = slugify(input.title, content.questions.map((q) => q.slug), number);
  // `credit` says who wrote the question: the contributor, unless the form named someone else.
  const credit = input.credit ?? input.name;
  const text = questionFileText({ number, title: input.title, tags: input.tags, added: today, credit, body: input.body });
  return {
    kind: "question",
    files: [{ path: questionPath(slug), content: text }],
    slug,
    number,
    questionTitle: input.title,
    target: slug,
  };
}

function newAnswer(input: AnswerProposalInput, content: ContentIndex, today: string): ProposalFiles {
  const slug = input.questionSlug;
  if (!isSlug(slug)) {
    throw new ProposalRefused("questionSlug", "This is not a question of the site.");
  }
  const question = findQuestion(content, slug);
  if (!question) throw new ProposalRefused("questionSlug", "This question does not exist (any more?): reload the page.");
  const id = answerId(today, input.name, question.answers.map((a) => a.id), input.github);
  const text = answerFileText({ author: input.name, github: input.github, date: today, body: input.body });
  return {
    kind: "answer",
    files: [{ path: answerPath(slug, id), content: text }],
    slug,
    answerId: id,
    questionTitle: question.title,
    target: slug,
  };
}

/**
 * The edited tags in the question's own order: the form's checkboxes come in the vocabulary's order, so
 * taking them as sent would reorder the tags of every edit (a change nobody made). Tags the question
 * keeps stay where they were; tags added go after them, in the order sent.
 */
export function keptOrder(before: readonly string[], sent: readonly string[]): string[] {
  const chosen = new Set(sent);
  const kept = before.filter((t) => chosen.has(t));
  const was = new Set(before);
  return [...kept, ...[...chosen].filter((t) => !was.has(t))];
}

function edit(input: EditProposalInput, content: ContentIndex, today: string, draft: boolean): ProposalFiles {
  const target = parseEditPath(input.path);
  const question = findQuestion(content, target.slug);
  if (!question) throw new ProposalRefused("path", "This question does not exist (any more?): reload the page.");
  if (target.kind === "question") {
    if (input.title === undefined) throw new ProposalRefused("title", "Enter the title.");
    if (!draft && (input.tags === undefined || input.tags.length === 0)) throw new ProposalRefused("tags", "Choose at least one tag.");
    const before = questionFileText(question);
    const after = questionFileText({
      number: question.number,
      title: input.title,
      tags: keptOrder(question.tags, input.tags ?? []),
      added: question.added,
      credit: input.credit,
      body: input.body,
    });
    if (after === before && !draft) throw new ProposalRefused("body", "Nothing has changed: edit the question before proposing it.");
    return {
      kind: "edit",
      files: [{ path: questionPath(question.slug), content: after }],
      slug: question.slug,
      questionTitle: input.title,
      target: questionPath(question.slug),
    };
  }
  const answer = question.answers.find((a) => a.id === target.answerId);
  if (!answer) throw new ProposalRefused("path", "This answer does not exist (any more?): reload the page.");
  // The answer's date says when it was last revised: an edit moves it to today.
  const kept = { author: answer.author, github: answer.github, django: answer.django };
  if (!draft && answerFileText({ ...kept, date: answer.date, body: input.body }) === answerFileText(answer)) {
    throw new ProposalRefused("body", "Nothing has changed: edit the answer before proposing it.");
  }
  const after = answerFileText({ ...kept, date: today, body: input.body });
  const path = answerPath(question.slug, answer.id);
  return { kind: "edit", files: [{ path, content: after }], slug: question.slug, answerId: answer.id, questionTitle: question.title, target: path };
}

/**
 * Turns a validated proposal into the files of the content contract.
 * Throws {@link ProposalRefused} (with the form field to blame) when the
 * proposal points at something that does not exist or outside the content.
 */
export function proposalToFiles(input: ProposalInput, content: ContentIndex, options: FilesOptions = {}): ProposalFiles {
  const today = options.today ?? isoDate();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be an ISO date, got ${today}`);
  switch (input.kind) {
    case "question":
      return newQuestion(input, content, today);
    case "answer":
      return newAnswer(input, content, today);
    case "edit":
      return edit(input, content, today, options.draft === true);
  }
}

/** The current form values of an edit: fills the edit form from the file. */
export function editFormValues(
  content: ContentIndex,
  path: string,
): { path: string; title?: string; tags?: string[]; credit?: string; body: string } {
  const target = parseEditPath(path);
  const question = findQuestion(content, target.slug);
  if (!question) throw new ProposalRefused("path", "This question does not exist (any more?).");
  if (target.kind === "question") {
    return { path, title: question.title, tags: [...question.tags], credit: question.credit, body: question.body };
  }
  const answer = question.answers.find((a) => a.id === target.answerId);
  if (!answer) throw new ProposalRefused("path", "This answer does not exist (any more?).");
  return { path, body: answer.body };
}
