/**
 * Entry points of the content check. Pure: the CLI, the web form, the site's
 * content loader and the tests all call these with in-memory files.
 */
import type { Answer, Question, Tag } from "../contract";
import { buildContext, compareStrings, type CheckOptions, type ContentContext, type MarkdownEntry } from "./context";
import { RULES, type Rule } from "./rules";
import { isFolderRule } from "./rules/rule";
import type { ContentFile, Finding } from "./types";

export type { CheckOptions } from "./context";

/** Orders findings by path, line, column (then rule and message, for stable output). */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareStrings(a.path, b.path) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.message, b.message),
  );
}

function runRules(ctx: ContentContext, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(ctx)) {
      findings.push({ ...hit, severity: rule.severity, rule: rule.id });
    }
  }
  return sortFindings(findings);
}

/** The rules whose findings on a file depend on that file alone. */
export const FILE_RULES: readonly Rule[] = RULES.filter((r) => !isFolderRule(r));

/** Findings of the file rules only (the incremental check runs them on changed files). */
export function runFileRules(ctx: ContentContext): Finding[] {
  return runRules(ctx, FILE_RULES);
}

/**
 * Runs every rule over a whole content folder.
 * @param files every file of the folder, paths relative to it (forward slashes)
 */
export function checkContent(files: ContentFile[], options: CheckOptions = {}): Finding[] {
  return runRules(buildContext(files, options));
}

export interface ParseOptions extends CheckOptions {
  /**
   * The contribution form's preview: keep files the check finds errors in, as long as the site can
   * build them — a field that fails its check is read as written when it is text, a number or a list
   * of texts; a file without a value it needs is still left out.
   */
  keepInvalid?: boolean;
}

export interface ParsedContent {
  /** Sorted by number; each question's answers sorted by date, then id. */
  questions: Question[];
  /** Valid tags of tags.yml, in file order. */
  tags: Tag[];
  /** Everything `checkContent` reports for the same files. */
  findings: Finding[];
}

/**
 * Builds the site's model from the files. A question or answer file with an
 * error finding is left out (answers of a left-out question too); warnings
 * do not exclude anything. Tag entries with problems are left out.
 */
export function parseContent(files: ContentFile[], options: ParseOptions = {}): ParsedContent {
  const ctx = buildContext(files, options);
  const findings = runRules(ctx);
  const lenient = options.keepInvalid === true;
  const broken = new Set(findings.filter((f) => f.severity === "error").map((f) => f.path));
  const skipped = (entry: MarkdownEntry) => (lenient ? !readable(entry) : broken.has(entry.path));

  const answersBySlug = new Map<string, Answer[]>();
  for (const entry of ctx.answers) {
    if (skipped(entry)) continue;
    const answer = entryModel(entry, lenient) as Answer;
    answersBySlug.set(entry.slug, [...(answersBySlug.get(entry.slug) ?? []), answer]);
  }

  const questions: Question[] = [];
  for (const entry of ctx.questions) {
    if (skipped(entry)) continue;
    const question = entryModel(entry, lenient) as Question;
    question.answers = (answersBySlug.get(entry.slug) ?? []).sort(compareAnswers);
    questions.push(question);
  }
  questions.sort(compareQuestions);

  return { questions, tags: ctx.tagsFile ? [...ctx.tagsFile.tags] : [], findings };
}

/** Answers in page order: by date, then id. */
export function compareAnswers(a: Answer, b: Answer): number {
  return compareStrings(a.date, b.date) || compareStrings(a.id, b.id);
}

/** Questions in list order: by number, then slug. */
export function compareQuestions(a: Question, b: Question): number {
  return a.number - b.number || compareStrings(a.slug, b.slug);
}

/**
 * The site's model of one question or answer file (a question with no
 * answers yet). Only for a file without error findings (a missing or invalid
 * required field is an error), or a `readable` one read leniently.
 */
export function entryModel(entry: MarkdownEntry, lenient = false): Question | Answer {
  const field = <T>(e: MarkdownEntry, name: string) => requiredField<T>(e, name, lenient);
  const optionalField = <T>(e: MarkdownEntry, name: string) => fieldValue<T>(e, name, lenient);
  if (entry.kind === "answer") {
    const answer: Answer = {
      id: entry.id,
      questionSlug: entry.slug,
      author: field<string>(entry, "author"),
      date: field<string>(entry, "date"),
      body: entry.body ?? "",
      path: entry.path,
    };
    const github = optionalField<string>(entry, "github");
    if (github !== undefined) answer.github = github;
    const django = optionalField<string[]>(entry, "django");
    if (django !== undefined) answer.django = django;
    return answer;
  }
  const question: Question = {
    slug: entry.slug,
    number: field<number>(entry, "number"),
    title: field<string>(entry, "title"),
    tags: [...field<string[]>(entry, "tags")],
    added: field<string>(entry, "added"),
    body: entry.body ?? "",
    path: entry.path,
    answers: [],
  };
  const credit = optionalField<string>(entry, "credit");
  if (credit !== undefined) question.credit = credit;
  return question;
}

/** A field's value; `lenient`: a value that fails its check is taken as written when it is text, a number or a list of texts. */
function fieldValue<T>(entry: MarkdownEntry, name: string, lenient = false): T | undefined {
  const result = entry.fields.get(name)?.result;
  if (result?.ok) return result.value as T;
  if (!lenient || !result) return undefined;
  const raw = entry.data?.[name];
  if (typeof raw === "string" || typeof raw === "number" || (Array.isArray(raw) && raw.every((x) => typeof x === "string"))) return raw as T;
  return undefined;
}

function requiredField<T>(entry: MarkdownEntry, name: string, lenient = false): T {
  const value = fieldValue<T>(entry, name, lenient);
  // Unreachable for files without error findings (a missing or invalid required field is an error), and
  // for `readable` files read leniently.
  if (value === undefined) throw new Error(`${entry.path}: "${name}" is not valid`);
  return value;
}

/** Every required field of the file has a value (lenient reading). */
function readable(entry: MarkdownEntry): boolean {
  if (entry.fields.size === 0) return false; // no usable front matter
  return [...entry.fields.values()].every((state) => !state.spec.required || fieldValue(entry, state.spec.name, true) !== undefined);
}
