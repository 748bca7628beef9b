/**
 * What the content check needs to know ACROSS files, kept as an index that a
 * change updates file by file. Pure and serialisable at the edges: each file
 * contributes its `FileFacts` (small, plain data extracted from its parsed
 * entry), never its text or syntax tree.
 *
 * Folder rules (`scope: "folder"`, see rules/rule.ts) read only this index:
 * the full check builds it once from every file; the incremental check
 * (incremental.ts) swaps one file's facts and re-checks only the files whose
 * findings can change. Titles are indexed by their significant words, so a
 * changed title is compared with the titles that share a word, not with every
 * title.
 */
import type { ContentContext, MarkdownEntry, Problem } from "./context";
import { LICENSE_PATHS, TAGS_PATH, classifyPath } from "../contract";
import { DUPLICATE_TITLE_THRESHOLD, normalisedTitle, titleWords } from "./similarity";
import type { Position } from "./text";

export interface QuestionFacts {
  kind: "question";
  path: string;
  slug: string;
  /** `number` when valid. */
  number: { value: number; position: Position } | null;
  /** `title` when valid. */
  title: { value: string; position: Position } | null;
  /** The tag ids with their positions, when `tags` is valid and the front matter parsed. */
  tags: Array<{ id: string; position: Position }> | null;
}

export interface AnswerFacts {
  kind: "answer";
  path: string;
  slug: string;
  id: string;
}

export interface TagsFacts {
  kind: "tags";
  path: string;
  /** Every well-formed tag id (the vocabulary when there is at least one). */
  ids: string[];
  /** `tags-file` problems. */
  problems: Problem[];
}

export interface LicenseFacts {
  kind: "license";
  path: string;
  /** Valid UTF-8 and only whitespace. */
  empty: boolean;
}

export type FileFacts = QuestionFacts | AnswerFacts | TagsFacts | LicenseFacts | { kind: "stray"; path: string };

/** The facts of a parsed question or answer file. */
export function markdownFacts(entry: MarkdownEntry): QuestionFacts | AnswerFacts {
  if (entry.kind === "answer") return { kind: "answer", path: entry.path, slug: entry.slug, id: entry.id };
  const ok = <T>(name: string): { value: T; position: Position } | null => {
    const state = entry.fields.get(name);
    return state?.result?.ok ? { value: state.result.value as T, position: state.position } : null;
  };
  const fm = entry.frontMatter;
  const tags = ok<string[]>("tags");
  return {
    kind: "question",
    path: entry.path,
    slug: entry.slug,
    number: ok<number>("number"),
    title: ok<string>("title"),
    tags: tags && fm && !("error" in fm) ? tags.value.map((id, i) => ({ id, position: fm.locate(["tags", i]) })) : null,
  };
}

/** The facts of every file of a context (the full check's index is built from them). */
export function contextFacts(ctx: ContentContext): FileFacts[] {
  const out: FileFacts[] = [];
  for (const [path, role] of ctx.roles) {
    if (role.kind === "stray") out.push({ kind: "stray", path });
  }
  for (const entry of ctx.questions) out.push(markdownFacts(entry));
  for (const entry of ctx.answers) out.push(markdownFacts(entry));
  if (ctx.tagsFile) out.push({ kind: "tags", path: ctx.tagsFile.path, ids: [...ctx.tagsFile.ids], problems: ctx.tagsFile.problems });
  for (const f of ctx.licenseFiles) out.push({ kind: "license", path: f.path, empty: f.decoded.ok && f.decoded.text.trim() === "" });
  return out;
}

const contextIndexes = new WeakMap<ContentContext, FolderIndex>();

/** The folder index of a whole context (built once per context). */
export function contextIndex(ctx: ContentContext): FolderIndex {
  let index = contextIndexes.get(ctx);
  if (!index) contextIndexes.set(ctx, (index = FolderIndex.of(contextFacts(ctx))));
  return index;
}

/** Code-unit order (stable across locales). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** Folder names that differ only by case or punctuation clash on case-insensitive file systems and in URLs. */
export function slugKey(slug: string): string {
  return slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

interface TitleEntry {
  words: Set<string>;
  normalised: string;
}

export class FolderIndex {
  /** Facts of every file, by path. */
  readonly facts = new Map<string, FileFacts>();
  /** question.md facts by folder (slug). */
  readonly questions = new Map<string, QuestionFacts>();
  /** Answer paths by folder. */
  readonly answers = new Map<string, Set<string>>();
  /** Folders (with a question or answers) by slug key. */
  readonly slugKeys = new Map<string, Set<string>>();
  /** Question paths by valid number. */
  readonly numbers = new Map<number, Set<string>>();
  /** Numbers used by more than one question. */
  readonly duplicatedNumbers = new Set<number>();
  readonly licenses = new Map<string, LicenseFacts>();
  tags: TagsFacts | null = null;
  private titles = new Map<string, TitleEntry>();
  private titleWordIndex = new Map<string, Set<string>>();
  private titleTextIndex = new Map<string, Set<string>>();
  private maxNumberCache: number | undefined;
  private vocabularyCache: { set: Set<string>; sorted: string[] } | null | undefined;

  static of(facts: Iterable<FileFacts>): FolderIndex {
    const index = new FolderIndex();
    for (const f of facts) index.add(f);
    return index;
  }

  add(facts: FileFacts): void {
    this.remove(facts.path);
    this.facts.set(facts.path, facts);
    switch (facts.kind) {
      case "question": {
        this.questions.set(facts.slug, facts);
        addTo(this.slugKeys, slugKey(facts.slug), facts.slug);
        if (facts.number) {
          const n = facts.number.value;
          addTo(this.numbers, n, facts.path);
          if (this.numbers.get(n)!.size > 1) this.duplicatedNumbers.add(n);
          if (this.maxNumberCache !== undefined && n > this.maxNumberCache) this.maxNumberCache = n;
        }
        if (facts.title) {
          const entry = { words: titleWords(facts.title.value), normalised: normalisedTitle(facts.title.value) };
          this.titles.set(facts.path, entry);
          for (const w of entry.words) addTo(this.titleWordIndex, w, facts.path);
          addTo(this.titleTextIndex, entry.normalised, facts.path);
        }
        break;
      }
      case "answer":
        addTo(this.answers, facts.slug, facts.path);
        addTo(this.slugKeys, slugKey(facts.slug), facts.slug);
        break;
      case "tags":
        this.tags = facts;
        this.vocabularyCache = undefined;
        break;
      case "license":
        this.licenses.set(facts.path, facts);
        break;
      case "stray":
        break;
    }
  }

  remove(path: string): void {
    const facts = this.facts.get(path);
    if (!facts) return;
    this.facts.delete(path);
    switch (facts.kind) {
      case "question": {
        this.questions.delete(facts.slug);
        if (!this.answers.has(facts.slug)) deleteFrom(this.slugKeys, slugKey(facts.slug), facts.slug);
        if (facts.number) {
          const n = facts.number.value;
          deleteFrom(this.numbers, n, path);
          if ((this.numbers.get(n)?.size ?? 0) < 2) this.duplicatedNumbers.delete(n);
          if (n === this.maxNumberCache && !this.numbers.has(n)) this.maxNumberCache = undefined;
        }
        const title = this.titles.get(path);
        if (title) {
          this.titles.delete(path);
          for (const w of title.words) deleteFrom(this.titleWordIndex, w, path);
          deleteFrom(this.titleTextIndex, title.normalised, path);
        }
        break;
      }
      case "answer":
        deleteFrom(this.answers, facts.slug, path);
        if (!this.answers.has(facts.slug) && !this.questions.has(facts.slug)) {
          deleteFrom(this.slugKeys, slugKey(facts.slug), facts.slug);
        }
        break;
      case "tags":
        if (this.tags?.path === path) this.tags = null;
        this.vocabularyCache = undefined;
        break;
      case "license":
        this.licenses.delete(path);
        break;
      case "stray":
        break;
    }
  }

  /** Every path a finding can be reported on: the files, plus tags.yml and LICENSE when they are missing. */
  reportPaths(): Set<string> {
    return new Set([...this.facts.keys(), TAGS_PATH, LICENSE_PATHS[0]]);
  }

  /** The highest valid question number (0 without any). */
  get maxNumber(): number {
    if (this.maxNumberCache === undefined) {
      let max = 0;
      for (const n of this.numbers.keys()) if (n > max) max = n;
      this.maxNumberCache = max;
    }
    return this.maxNumberCache;
  }

  /** Ids of the valid tags; `null` when tags.yml is missing or defines none (then tags are not checked). */
  get vocabulary(): { set: Set<string>; sorted: string[] } | null {
    if (this.vocabularyCache === undefined) {
      const ids = this.tags?.ids ?? [];
      this.vocabularyCache = ids.length > 0 ? { set: new Set(ids), sorted: [...ids].sort() } : null;
    }
    return this.vocabularyCache;
  }

  /** The file a problem of the whole folder is reported on: question.md, else its first answer. */
  folderPath(slug: string): string | undefined {
    const q = this.questions.get(slug);
    if (q) return q.path;
    const answers = this.answers.get(slug);
    if (!answers) return undefined;
    let first: string | undefined;
    for (const p of answers) if (first === undefined || byCodeUnits(p, first) < 0) first = p;
    return first;
  }

  /** The question folder a path belongs to, if any. */
  folderOf(path: string): string | undefined {
    const role = classifyPath(path);
    return role.kind === "question" || role.kind === "answer" ? role.slug : undefined;
  }

  /**
   * Questions whose title may be at least DUPLICATE_TITLE_THRESHOLD similar
   * to `path`'s, with the number of significant words they share. A title of
   * |A| words reaching the threshold shares at least k = ⌈t·|A|⌉ of them, so
   * it shares one of ANY |A| − k + 1 of them (pigeonhole): only the postings of
   * that many of the rarest words are read, not every title sharing a common
   * word. Titles without significant words compare by their normalised text.
   */
  titleCandidates(path: string): Map<string, { shared: number; words: Set<string>; normalised: string }> {
    const own = this.titles.get(path);
    const out = new Map<string, { shared: number; words: Set<string>; normalised: string }>();
    if (!own) return out;
    const found = new Set<string>();
    const words = [...own.words].sort((a, b) => (this.titleWordIndex.get(a)?.size ?? 0) - (this.titleWordIndex.get(b)?.size ?? 0));
    const needed = Math.ceil(DUPLICATE_TITLE_THRESHOLD * words.length - 1e-9);
    for (const w of words.slice(0, words.length - needed + 1)) {
      for (const other of this.titleWordIndex.get(w) ?? []) if (other !== path) found.add(other);
    }
    for (const other of this.titleTextIndex.get(own.normalised) ?? []) if (other !== path) found.add(other);
    for (const other of found) {
      const t = this.titles.get(other)!;
      let shared = 0;
      for (const w of own.words) if (t.words.has(w)) shared++;
      out.set(other, { shared, words: t.words, normalised: t.normalised });
    }
    return out;
  }

  titleEntry(path: string): TitleEntry | undefined {
    return this.titles.get(path);
  }
}
