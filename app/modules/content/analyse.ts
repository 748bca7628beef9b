/**
 * One step of loading content: parse and check some files, and extract what
 * the site needs from them. Pure and self-contained (its output is plain
 * data), so it runs wherever is convenient: in slices on the main thread or
 * in helper processes (analyse-worker.server.ts), and its results can be
 * kept on disk by file hash (analysis-cache.server.ts).
 *
 * A question's or answer's Markdown body is not kept in the analysis when it
 * can be read back from the file's bytes (`bodyLine`): the body is read and
 * decoded when a page needs it (`attachBody`; the content store reads the
 * file) rather than held, as a string, for every file.
 */
import { markdownToProse, markdownToText, PROSE_KEPT, treeToProse, treeToText } from "~/modules/markdown/text";
import type { CheckOptions } from "~/modules/validation/context";
import { analyseFiles, type FileAnalysis } from "~/modules/validation/incremental";
import { parseFrontMatter } from "~/modules/validation/front-matter";
import { decodeUtf8 } from "~/modules/validation/text";
import type { ContentFile } from "~/modules/validation/types";
import type { Answer, Question, Tag } from "./types";

export interface AnalysedFile extends FileAnalysis {
  /** The file's content hash (git blob SHA-1): what caches and page versions key on. */
  hash: string;
  /** Plain text of a question or answer body (the search index's text). */
  text: string | null;
  /**
   * The plain text as UTF-8 instead of `text`: an analysis from a helper process (analyse-worker.server.ts) carries
   * its text as bytes, which cross the channel as bytes and never become a JavaScript string in the server — at
   * 5,000 questions ≈ 80 MB of UTF-8 that were ≈ 150 MB of two-byte strings (decisions/035). `withTextString` turns it back into `text`.
   */
  textBytes?: Uint8Array;
  /** The valid tags, for tags.yml. */
  tags: Tag[] | null;
  /** The start of a question's prose (null for an answer) (`markdownToProse`, first PROSE_KEPT characters): list excerpts and page descriptions without parsing again. */
  prose: string | null;
  /**
   * Set when the model's `body` was left out: the 1-based line of the file
   * where the body starts (`bodyFromBytes`). `attachBody` gives the model its
   * body back, read from the bytes when asked for.
   */
  bodyLine?: number;
  /**
   * Set on a front-matter-only analysis (`frontMatterOnly`): the body was not parsed, so `text` and `prose` are
   * null and the findings of the rules that read a body's Markdown are missing. The content store serves
   * such a first pass at start and replaces it with the full analysis (decisions/034); it is never cached.
   */
  partial?: true;
}

/** A Markdown file's body: its (UTF-8, normalised) text from line `bodyLine` on, as the front-matter parser cuts it. */
export function bodyFromBytes(bytes: Uint8Array, bodyLine: number): string | undefined {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return undefined;
  const text = decoded.text;
  let at = 0;
  for (let line = 1; line < bodyLine; line++) {
    const nl = text.indexOf("\n", at);
    if (nl === -1) return undefined;
    at = nl + 1;
  }
  return text.slice(at);
}

/** The body of a Markdown file as the front-matter parser cuts it, or undefined when it has none (not UTF-8, no front matter). */
function bodyOfChangedFile(bytes: Uint8Array): string | undefined {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return undefined;
  const parsed = parseFrontMatter(decoded.text);
  return "error" in parsed ? undefined : parsed.body;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** The analysis with its text as UTF-8 bytes (`textBytes`), to send from a helper process. */
export function withTextBytes(a: AnalysedFile): AnalysedFile {
  if (a.text === null) return a;
  return { ...a, text: null, textBytes: utf8.encode(a.text) };
}

/** The analysis with its text as a string (`text`), as the analysis cache writes it. */
export function withTextString(a: AnalysedFile): AnalysedFile {
  if (!a.textBytes) return a;
  const { textBytes, ...rest } = a;
  return { ...rest, text: fromUtf8.decode(textBytes) };
}

/** The analysis without its model's body (for the cache and for sending between processes). */
export function withoutBody(a: AnalysedFile): AnalysedFile {
  if (a.bodyLine === undefined || !a.model) return a;
  const model: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(Object.getOwnPropertyDescriptors(a.model))) if (k !== "body" && "value" in v) model[k] = v.value;
  return { ...a, model: model as unknown as Question | Answer };
}

/**
 * Gives a model whose body was left out (`bodyLine`) a `body` read from
 * `bytes` (the file's bytes the analysis was made from, or a function that
 * reads them: the content store reads the file) each time it is asked for. Copies of the model must keep the accessor (`copyModel`).
 */
export function attachBody(a: AnalysedFile, bytes: Uint8Array | (() => Uint8Array), options: { isAnalysed?: (bytes: Uint8Array) => boolean } = {}): AnalysedFile {
  if (a.bodyLine === undefined || !a.model) return a;
  const line = a.bodyLine;
  const read = typeof bytes === "function" ? bytes : () => bytes;
  const { isAnalysed } = options;
  const body = () => {
    const b = read();
    // Bytes read after the file changed (its reload is on its way): cut them where their own front matter ends.
    if (isAnalysed && !isAnalysed(b)) return bodyOfChangedFile(b) ?? "";
    return bodyFromBytes(b, line) ?? "";
  };
  Object.defineProperty(a.model, "body", { get: body, enumerable: true, configurable: true });
  return a;
}

/** A shallow copy of a model that keeps a lazy body lazy (a spread would read it and keep the string). */
export function copyModel<T extends object>(model: T): T {
  return Object.defineProperties({}, Object.getOwnPropertyDescriptors(model)) as T;
}

export interface HashedFile extends ContentFile {
  hash: string;
}

/**
 * Analyses files (paths relative to the content folder, forward slashes,
 * normalised). A model's body is read from the file's bytes when asked for
 * (see `bodyLine`); `withoutBody` makes an analysis plain data again.
 */
export function analyseContent(files: readonly HashedFile[], options: CheckOptions = {}): AnalysedFile[] {
  const { analyses, context, entries } = analyseFiles(files, options);
  const hashes = new Map(files.map((f) => [f.path, f.hash]));
  const byPath = new Map(files.map((f) => [f.path, f]));
  return analyses.map((a) => {
    const entry = entries.get(a.path);
    let text: string | null = null;
    let prose: string | null = null;
    if (entry && entry.body !== null && !options.frontMatterOnly) {
      const tree = entry.markdown();
      text = tree ? treeToText(tree) : markdownToText(entry.body);
      // Excerpts and page descriptions are a question's: an answer's prose is not kept.
      if (a.facts.kind === "question") prose = (tree ? treeToProse(tree) : markdownToProse(entry.body)).slice(0, PROSE_KEPT);
    }
    const tags = a.facts.kind === "tags" && context.tagsFile ? context.tagsFile.tags.map((t) => ({ ...t })) : null;
    const analysed: AnalysedFile = { ...a, hash: hashes.get(a.path) ?? "", text, tags, prose, ...(options.frontMatterOnly ? { partial: true as const } : {}) };
    const file = byPath.get(a.path);
    if (entry && a.model && file && entry.body !== null && bodyFromBytes(file.bytes, entry.bodyLine) === a.model.body) {
      return attachBody(withoutBody({ ...analysed, bodyLine: entry.bodyLine }), file.bytes);
    }
    return analysed;
  });
}
