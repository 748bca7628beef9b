/**
 * The README importer's pure core: turns a README holding a numbered Markdown
 * list of questions into the files of a content folder
 * (`questions/<slug>/question.md`, `tags.yml`, `LICENSE`).
 *
 * The list is found with remark-parse + remark-gfm; each question's body is
 * sliced from the ORIGINAL source by node positions (so the author's Markdown
 * is kept exactly) and dedented by the item's content indent. Only what the
 * content check would reject is changed: raw HTML is escaped (comments are
 * dropped) and code blocks get a language.
 *
 * Pure: no node:fs, no Remix, so the CLI, tests and any web code share it.
 */
import { parseMarkdown as parseSyntax } from "../markdown/parse";
import { Document, isSeq, stringify } from "yaml";

import { FALLBACK_TAG, TAG_RULES, guessTags, tagById } from "./tags";
import {
  collapseWhitespace,
  deriveTitle,
  dedentContinuation,
  guessCodeLanguage,
  slugify,
  uniqueSlug,
} from "./text";

export interface ImportOptions {
  /** The `added` date of every question, `YYYY-MM-DD`. */
  date: string;
  /** Credit (the original author) written into every question's front matter. */
  credit?: string;
  /** Where the README comes from, e.g. `owner/repo`; named in the LICENSE notice. */
  source?: string;
  /** Licence text to write as `LICENSE` verbatim; without it a notice is written. */
  license?: string;
  /** Import only the questions with these numbers (all when absent). */
  numbers?: readonly number[];
  /**
   * Add to an existing content folder instead of making a new one: tags are
   * guessed among its vocabulary, slugs avoid its folders, numbers it already
   * uses are not imported, and neither `tags.yml` nor `LICENSE` is written.
   */
  into?: ImportTarget;
}

/** What an existing content folder already holds (see `ImportOptions.into`). */
export interface ImportTarget {
  /** The tag ids of its tags.yml. */
  tags: readonly string[];
  /** Its question folders. */
  slugs: readonly string[];
  /** The question numbers it uses. */
  numbers: readonly number[];
}

export interface ParseOptions {
  /** Only these numbers (others are skipped without warnings). */
  numbers?: readonly number[];
  /** Guess tags among these ids only. */
  tags?: readonly string[];
  /** Slugs already taken. */
  slugs?: readonly string[];
  /** Numbers already taken: such questions are reported and skipped. */
  taken?: readonly number[];
}

export interface ImportedFile {
  /** Relative to the content folder, forward slashes. */
  path: string;
  content: string;
}

export interface ImportResult {
  files: ImportedFile[];
  /** Human-readable, one problem each (the CLI prints them on stderr). */
  warnings: string[];
}

/** One question found in the README, before it is written as a file. */
export interface ParsedQuestion {
  number: number;
  title: string;
  slug: string;
  tags: string[];
  /** The question's Markdown, dedented, HTML escaped, code blocks labelled. */
  body: string;
  /** 1-based line of the item in the README. */
  line: number;
}

/**
 * The parts of an mdast node the importer reads. Declared here rather than
 * imported from `mdast`, whose hoisted type package is an older major
 * version than the one remark-parse produces.
 */
interface MdPoint {
  line: number;
  column: number;
  offset?: number;
}
interface MdNode {
  type: string;
  position?: { start: MdPoint; end: MdPoint };
  children?: MdNode[];
  value?: string;
  lang?: string | null;
  ordered?: boolean | null;
  start?: number | null;
  alt?: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function parseMarkdown(markdown: string): MdNode {
  return parseSyntax(markdown) as unknown as MdNode;
}

/** Normalises line endings and drops a byte-order mark. */
function normalise(markdown: string): string {
  return markdown.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

function startOffset(node: MdNode): number {
  const offset = node.position?.start.offset;
  if (offset === undefined) throw new Error(`markdown node ${node.type} has no position`);
  return offset;
}

function endOffset(node: MdNode): number {
  const offset = node.position?.end.offset;
  if (offset === undefined) throw new Error(`markdown node ${node.type} has no position`);
  return offset;
}

function lineOf(node: MdNode): number {
  return node.position?.start.line ?? 1;
}

/** Text of the source line that holds `offset`, from the line start up to `offset`. */
function linePrefix(source: string, offset: number): string {
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  return source.slice(lineStart, offset);
}

/** Visual width in columns (tabs stop every 4) of a line prefix. */
function visualWidth(prefix: string): number {
  let columns = 0;
  for (const ch of prefix) columns += ch === "\t" ? 4 - (columns % 4) : 1;
  return columns;
}

/** Depth-first walk over a node and its descendants. */
function walk(node: MdNode, visit: (node: MdNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

/**
 * Plain text of a node: text, inline code and (with `withCode`) code block
 * contents, image alt texts; raw HTML counts as a space. Blocks are separated by
 * a space.
 */
function plainText(node: MdNode, withCode: boolean): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value ?? "";
    case "code":
      return withCode ? ` ${node.value ?? ""} ` : " ";
    case "html":
      return " ";
    case "break":
      return " ";
    case "image":
      return node.alt ?? "";
    default:
      if (node.children) {
        const inline = node.type === "paragraph" || node.type === "heading" || node.type === "tableCell";
        return node.children.map((c) => plainText(c, withCode)).join(inline ? "" : " ");
      }
      return "";
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

function fenceFor(code: string): string {
  let longest = 0;
  for (const m of code.matchAll(/^[ \t]*(`{3,})/gm)) longest = Math.max(longest, m[1]?.length ?? 0);
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * Makes a question body acceptable to the content check without touching
 * anything else: raw HTML is escaped (HTML comments are dropped), fenced code
 * without a language is labelled (`python` when it looks like Python, else
 * `text`) and indented code blocks become labelled fenced blocks.
 */
export function cleanBody(body: string, warn: (message: string) => void): string {
  const tree = parseMarkdown(body);
  const edits: Edit[] = [];
  walk(tree, (node) => {
    if (node.type === "html") {
      const html = node;
      const start = startOffset(html);
      const end = endOffset(html);
      const raw = body.slice(start, end);
      const shown = collapseWhitespace(raw).slice(0, 60);
      if (/^<!--/.test(raw.trimStart())) {
        // A comment on lines of its own goes with the blank lines after it.
        const prefix = linePrefix(body, start);
        const block = prefix.trim() === "" && (body[end] === "\n" || end === body.length);
        let to = end;
        if (block) while (body[to] === "\n") to += 1;
        edits.push({ start: block ? start - prefix.length : start, end: to, text: "" });
        warn(`dropped an HTML comment: ${shown}`);
      } else {
        edits.push({ start, end, text: raw.replace(/</g, "\\<") });
        warn(`escaped raw HTML: ${shown}`);
      }
    } else if (node.type === "code") {
      const code = node;
      if (code.lang) return;
      const start = startOffset(code);
      const end = endOffset(code);
      const raw = body.slice(start, end);
      const lang = guessCodeLanguage(code.value ?? "");
      const fence = /^[ \t]*(`{3,}|~{3,})/.exec(raw);
      if (fence) {
        const at = start + fence[0].length;
        edits.push({ start: at, end: at, text: lang });
        warn(`labelled a code block without language as ${lang}`);
      } else {
        // Indented code block: the same code as a fenced block, with the
        // container's indentation (e.g. of a nested list) on every line.
        const prefix = linePrefix(body, start);
        const value = code.value ?? "";
        const lines = value.split("\n").map((l) => (l === "" ? prefix.trimEnd() : prefix + l));
        const marks = fenceFor(value);
        edits.push({ start, end, text: [`${marks}${lang}`, ...lines, prefix + marks].join("\n") });
      }
    }
  });
  return applyEdits(body, edits)
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** The number written in front of a list item in the source, if any. */
function literalNumber(source: string, item: MdNode): number | undefined {
  const m = /^[ \t]*(\d{1,9})[.)]/.exec(source.slice(startOffset(item)));
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

interface NumberedList {
  list: MdNode;
  items: MdNode[];
  numbers: number[];
}

function numberList(source: string, list: MdNode, warn: (m: string) => void): NumberedList {
  const start = list.start ?? 1;
  const items = list.children ?? [];
  const literal = items.map((item) => literalNumber(source, item));
  const increasing = literal.every(
    (n, i) => n !== undefined && (i === 0 || n > (literal[i - 1] ?? Number.POSITIVE_INFINITY)),
  );
  if (increasing) return { list, items, numbers: literal as number[] };
  if (items.length > 1) {
    warn(
      `line ${lineOf(list)}: the list's own numbers are not increasing; numbered ${start}–${start + items.length - 1} in order instead`,
    );
  }
  return { list, items, numbers: items.map((_, i) => start + i) };
}

/**
 * Groups the document's top-level ordered lists into runs whose numbering
 * continues (a list starting after the previous one's last number, e.g. a
 * list split by a heading per section) and returns the run with the most
 * items: the question list. Other ordered lists (a "how to contribute" list
 * restarting at 1) are reported and ignored.
 */
function questionLists(source: string, tree: MdNode, warn: (m: string) => void): NumberedList[] {
  const ordered = (tree.children ?? []).filter(
    (node) => node.type === "list" && node.ordered === true && (node.children?.length ?? 0) > 0,
  );
  const numbered = ordered.map((list) => numberList(source, list, warn));
  const runs: NumberedList[][] = [];
  for (const entry of numbered) {
    const run = runs.at(-1);
    const last = run?.at(-1)?.numbers.at(-1);
    const first = entry.numbers[0];
    if (run && last !== undefined && first !== undefined && first > last) run.push(entry);
    else runs.push([entry]);
  }
  const size = (run: NumberedList[]) => run.reduce((n, e) => n + e.numbers.length, 0);
  let best: NumberedList[] = [];
  for (const run of runs) if (size(run) > size(best)) best = run;
  for (const run of runs) {
    if (run === best) continue;
    for (const entry of run) {
      warn(
        `line ${lineOf(entry.list)}: ignored a numbered list of ${entry.numbers.length} item(s) that does not continue the question list`,
      );
    }
  }
  return best;
}

/** The first paragraph or heading of an item: where its title comes from. */
function titleSource(item: MdNode): MdNode | undefined {
  let found: MdNode | undefined;
  walk(item, (node) => {
    if (!found && (node.type === "paragraph" || node.type === "heading")) found = node;
  });
  return found;
}

/**
 * Finds the questions of a README: the items of its numbered list, with
 * numbers, titles, unique slugs, guessed tags and cleaned bodies.
 */
export function parseReadmeQuestions(markdown: string, options: ParseOptions = {}): { questions: ParsedQuestion[]; warnings: string[] } {
  const source = normalise(markdown);
  const warnings: string[] = [];
  const tree = parseMarkdown(source);
  const lists = questionLists(source, tree, (m) => warnings.push(m));
  if (lists.length === 0) {
    warnings.push("no numbered list (`1. ...`) found: nothing to import");
    return { questions: [], warnings };
  }

  const questions: ParsedQuestion[] = [];
  const taken = new Set<string>(options.slugs ?? []);
  const only = options.numbers ? new Set(options.numbers) : undefined;
  const vocabulary = options.tags ? new Set(options.tags) : undefined;
  const used = new Set(options.taken ?? []);
  const found = new Set<number>();
  for (const { list, items, numbers } of lists) {
    items.forEach((item, index) => {
      const number = numbers[index] ?? (list.start ?? 1) + index;
      if (only && !only.has(number)) return;
      const line = lineOf(item);
      if (used.has(number)) {
        warnings.push(`question ${number} (line ${line}): the folder already has a question ${number}; not imported`);
        found.add(number);
        return;
      }
      const warn = (m: string) => warnings.push(`question ${number} (line ${line}): ${m}`);
      const first = item.children?.[0];
      const last = item.children?.at(-1);
      if (!first || !last) {
        warn("empty list item skipped");
        return;
      }
      const from = startOffset(first);
      const indent = visualWidth(linePrefix(source, from));
      const raw = dedentContinuation(source.slice(from, endOffset(last)), indent);
      const body = cleanBody(raw, warn);
      if (body.trim() === "") {
        warn("item holds no text; skipped");
        return;
      }

      const heading = titleSource(item);
      const titleText = collapseWhitespace(heading ? plainText(heading, false) : "");
      let title = titleText ? deriveTitle(titleText) : "";
      if (!title) {
        title = `Question ${number}`;
        warn(`no text to take a title from; titled "${title}"`);
      }
      const slug = uniqueSlug(slugify(title) || `question-${number}`, taken);
      const tags = guessTags(plainText(item, true), vocabulary);
      if (vocabulary && tags.length === 1 && !vocabulary.has(tags[0]!)) {
        warn(`no tag of the folder's vocabulary fits; tagged "${tags[0]}", which tags.yml lacks: retag it by hand`);
      }
      questions.push({ number, title, slug, tags, body, line });
      found.add(number);
    });
  }
  const missing = options.numbers?.filter((n) => !found.has(n)) ?? [];
  if (missing.length) warnings.push(`no question numbered ${missing.join(", ")} in the README`);
  return { questions, warnings };
}

/**
 * `question.md`: YAML front matter (keys in the order number, title, tags,
 * added, credit; tags as a flow sequence), then the body directly after the
 * closing `---`, ending with one newline: the same layout the contribution
 * forms write, so later edits make small diffs.
 */
export function renderQuestion(q: ParsedQuestion, options: Pick<ImportOptions, "date" | "credit">): string {
  const front: Record<string, unknown> = { number: q.number, title: q.title, tags: q.tags, added: options.date };
  if (options.credit) front.credit = options.credit;
  const doc = new Document(front);
  const tags = doc.get("tags", true);
  if (isSeq(tags)) tags.flow = true;
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${q.body}\n`;
}

/** `tags.yml`: the tags in use, in the vocabulary's order. */
export function renderTags(ids: Iterable<string>): string {
  const used = new Set(ids);
  const tags = TAG_RULES.filter((rule) => used.has(rule.id)).map((rule) => tagById(rule.id));
  return `# Tag vocabulary: id (used in question front matter), label and description.\n${stringify(tags, {
    lineWidth: 0,
  })}`;
}

/** The LICENSE notice written when no licence text is given. */
export function licenseNotice(options: Pick<ImportOptions, "credit" | "source">): string {
  const from = options.source ? `the README of ${options.source}` : "an imported README";
  const lines = [
    "LICENCE NOT YET ADDED",
    "",
    `The questions in this folder were imported from ${from}.`,
  ];
  if (options.credit) lines.push(`Original author: ${options.credit}.`);
  lines.push(
    "",
    "The licence of the source must be added here (replace this notice with",
    "the source's licence text, including its copyright line) before the",
    "content is published, and the original author must stay credited.",
    "",
  );
  return lines.join("\n");
}

/**
 * Imports a README into the files of a content folder (paths relative to
 * it): one `questions/<slug>/question.md` per list item, `tags.yml` with the
 * tags used, and `LICENSE` (`options.license` verbatim, else a notice that
 * credits the source and says the licence must be added). Returns no files
 * when the README holds no numbered list.
 */
export function importReadme(markdown: string, options: ImportOptions): ImportResult {
  if (!isIsoDate(options.date)) throw new Error(`date must be an ISO date YYYY-MM-DD, got "${options.date}"`);
  const into = options.into;
  const { questions, warnings } = parseReadmeQuestions(markdown, {
    numbers: options.numbers,
    tags: into?.tags,
    slugs: into?.slugs,
    taken: into?.numbers,
  });
  if (questions.length === 0) return { files: [], warnings };

  const files: ImportedFile[] = [...questions]
    .sort((a, b) => a.number - b.number)
    .map((q) => ({ path: `questions/${q.slug}/question.md`, content: renderQuestion(q, options) }));
  if (into) return { files, warnings };

  const tagsUsed = new Set(questions.flatMap((q) => q.tags));
  if (tagsUsed.size === 0) tagsUsed.add(FALLBACK_TAG);
  files.push({ path: "tags.yml", content: renderTags(tagsUsed) });

  let license = options.license !== undefined ? normalise(options.license) : licenseNotice(options);
  if (!license.endsWith("\n")) license += "\n";
  files.push({ path: "LICENSE", content: license });
  return { files, warnings };
}
