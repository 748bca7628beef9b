/**
 * The content in memory, changed file by file. `apply` takes analysed files
 * (analyse.ts) and deletions and returns a NEW snapshot, derived from the
 * previous one: only questions whose files (or whose files' error state)
 * changed are rebuilt, the other Question objects are reused as they are, so
 * everything memoised per question (page versions, list summaries, rendered
 * HTML) stays valid. The check is incremental (validation/incremental.ts) and
 * the search index is updated in place. Readers hold the old snapshot until
 * `apply` returns the new one.
 */
import { createHash } from "node:crypto";
import { buildSearchIndex, restoreSearchIndex, searchIndexIsDirty, updateSearchIndex, type SavedSearchIndex, type SearchDocument, type SearchIndex } from "~/modules/search";
import { compareAnswers, compareQuestions } from "~/modules/validation/check";
import { IncrementalCheck } from "~/modules/validation/incremental";
import { classifyPath, TAGS_PATH } from "~/modules/contract";
import type { Finding } from "~/modules/validation/types";
import { copyModel, type AnalysedFile } from "./analyse";
import { contentSnapshot } from "./snapshot";
import type { Answer, ContentSnapshot, Question, Tag } from "./types";
import { TextStore, type TextRef } from "./text-store.server";
import { setQuestionVersions } from "./versions";

export interface LoadedContent extends ContentSnapshot {
  /** Findings of the content check (files it had to leave out), for the log and /healthz. */
  findings: Finding[];
  search: SearchIndex;
  /**
   * Every file's body is parsed and checked: false for the first pass of a start on many files (front matter only,
   * decisions/034), whose findings, excerpts and search index lack the bodies.
   */
  checked: boolean;
  /** When this snapshot was built. */
  loadedAt: Date;
}

/** How many changed search documents are applied in place; past it a new index is built in slices and swapped in. */
const IN_PLACE_MAX = 200;
/**
 * Longest stretch of work between two yields to the event loop, in ms. A request waits for the slice in progress
 * at each of its own asynchronous steps (a database round trip, a file read): /healthz has three.
 */
const SLICE_MS = 10;

function folderOf(path: string): string | undefined {
  const role = classifyPath(path);
  return role.kind === "question" || role.kind === "answer" ? role.slug : undefined;
}

/** Yields to the event loop when the current slice of work has run long enough. */
export function slicer(budgetMs = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    start = performance.now();
  };
}

/** What identifies a search document's indexed content (a saved index is valid for documents with the same key). */
export function searchDocumentKey(doc: SearchDocument): string {
  const hash = createHash("sha1");
  for (const part of [String(doc.number), doc.title, doc.tags.join(" "), doc.tagLabels.join("\n"), doc.body, doc.answers]) hash.update(part).update("\0");
  return hash.digest("base64url").slice(0, 22);
}

const proses = new WeakMap<Question, string>();

/** The start of a question's prose as its analysis extracted it (PROSE_KEPT characters), for excerpts; undefined for a question made elsewhere. */
export function questionProse(q: Question): string | undefined {
  return proses.get(q);
}

export interface ApplyResult {
  content: LoadedContent;
  /** When the search index was made from a saved one: how many documents had to be indexed again. */
  searchRestored?: { reindexed: number };
  /** Slugs of the questions that were added, changed or removed. */
  changedSlugs: Set<string>;
  tagsChanged: boolean;
}

export class ContentState {
  readonly check = new IncrementalCheck();
  /** The analyses, without their plain text (kept in `textStore`). */
  private files = new Map<string, AnalysedFile>();
  /**
   * Where the plain text of each question and answer is (what search indexes and its snippets quote): read only
   * to index a changed question and for the few results a search shows, so kept out of memory (text-store.server.ts,
   * decisions/035).
   */
  private texts = new Map<string, TextRef>();
  private readonly textStore: TextStore;
  /** XOR of one 64-bit value per (path, hash): a version that does not depend on the order of changes. */
  private versionBits = 0n;
  /** Files whose analysis is front matter only (decisions/034): while there are any, the version says so. */
  private partialFiles = 0;
  private current: LoadedContent | undefined;

  /** @param options.texts where the plain texts go (default: in memory; the content store gives it a file). */
  constructor(options: { texts?: TextStore } = {}) {
    this.textStore = options.texts ?? TextStore.inMemory();
  }

  /** Closes the text store (a snippet read afterwards is empty). */
  close(): void {
    this.textStore.close();
  }

  get content(): LoadedContent | undefined {
    return this.current;
  }

  /** The analysed file at a path (its hash, model, text). */
  file(path: string): AnalysedFile | undefined {
    return this.files.get(path);
  }

  get size(): number {
    return this.files.size;
  }

  /** 64 bits for a file at a path with a content hash (no crypto call: a start computes one per file). */
  private bits(path: string, hash: string): bigint {
    // Two 32-bit FNV-1a hashes of the path and hash, each finished with a multiply-xorshift mix.
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ 0x5bd1e995;
    const text = `${path}\0${hash}`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    const mix = (x: number) => {
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      return (x ^ (x >>> 16)) >>> 0;
    };
    return (BigInt(mix(a)) << 32n) | BigInt(mix(b));
  }

  private buildQuestion(slug: string): Question | undefined {
    const qPath = `questions/${slug}/question.md`;
    const q = this.files.get(qPath);
    if (!q || q.model === null || !("number" in q.model) || this.check.hasError(qPath)) return undefined;
    const answerFiles: AnalysedFile[] = [];
    for (const p of this.check.index.answers.get(slug) ?? []) {
      const a = this.files.get(p);
      if (a?.model && "author" in a.model && !this.check.hasError(p)) answerFiles.push(a);
    }
    const answers = answerFiles.map((a) => a.model as Answer).sort(compareAnswers);
    const question: Question = copyModel(q.model as Question);
    question.answers = answers;
    if (q.prose !== null && q.prose !== undefined) proses.set(question, q.prose);
    // Plain strings of the files' hashes (no crypto call per question at start); versions.ts hashes what it combines.
    const answerHashes = answers.map((a) => `${a.id}:${this.files.get(a.path)!.hash.slice(0, 16)}`).join(",");
    setQuestionVersions(question, {
      page: `${q.hash.slice(0, 16)}|${answerHashes}`,
      list: `${q.hash.slice(0, 16)}|${answers.length}`,
    });
    return question;
  }

  private searchDocument(q: Question, labels: Map<string, string>): SearchDocument {
    // The texts of this snapshot's files, read when asked for (indexing, a result's snippet): a later change appends
    // new texts and never overwrites these.
    const read = (path: string) => this.texts.get(path);
    const store = this.textStore;
    const bodyText = read(q.path);
    const answerTexts = q.answers.map((a) => read(a.path));
    const decode = (ref: TextRef | undefined) => (ref ? store.get(ref) : "");
    return {
      slug: q.slug,
      number: q.number,
      title: q.title,
      tags: q.tags,
      tagLabels: q.tags.map((t) => labels.get(t) ?? t),
      get body() {
        return decode(bodyText);
      },
      get answers() {
        return answerTexts.map(decode).join("\n\n");
      },
    };
  }

  /** Applies analysed (added or changed) files and deleted paths; resolves with the new snapshot. */
  async apply(changed: readonly AnalysedFile[], deleted: readonly string[], options: { savedSearch?: SavedSearchIndex } = {}): Promise<ApplyResult> {
    const pause = slicer();
    const previous = this.current;
    const touched = new Set([...changed.map((a) => a.path), ...deleted]);

    // The check, in slices of files (a whole folder at start, a git pull of many files).
    const errorChanged = new Set<string>();
    const CHUNK = 200;
    const deletedList = [...deleted];
    for (let i = 0; i < Math.max(changed.length, deletedList.length, 1); i += CHUNK) {
      const change = this.check.apply(changed.slice(i, i + CHUNK), deletedList.slice(i, i + CHUNK));
      for (const p of change.errorChanged) errorChanged.add(p);
      await pause();
    }

    for (const p of deleted) {
      const old = this.files.get(p);
      if (old?.partial) this.partialFiles--;
      if (old) this.versionBits ^= this.bits(p, old.hash);
      this.files.delete(p);
      this.texts.delete(p);
    }
    for (const a of changed) {
      const old = this.files.get(a.path);
      if (old?.partial) this.partialFiles--;
      if (a.partial) this.partialFiles++;
      if (old) this.versionBits ^= this.bits(a.path, old.hash);
      this.versionBits ^= this.bits(a.path, a.hash);
      // The analysis itself is left as it is (the analysis cache writes it to disk with its text).
      if (a.text === null && !a.textBytes) this.files.set(a.path, a);
      else {
        const { textBytes: _bytes, ...rest } = a;
        this.files.set(a.path, { ...rest, text: null });
      }
      if (a.textBytes && a.textBytes.length > 0) this.texts.set(a.path, this.textStore.putBytes(a.textBytes));
      else if (a.text) this.texts.set(a.path, this.textStore.put(a.text));
      else this.texts.delete(a.path);
      await pause();
    }

    const tagsChanged = !previous || touched.has(TAGS_PATH);
    const tags: Tag[] = tagsChanged ? (this.files.get(TAGS_PATH)?.tags ?? []) : previous.tags;

    const dirty = new Set<string>();
    for (const p of [...touched, ...errorChanged]) {
      const slug = folderOf(p);
      if (slug !== undefined) dirty.add(slug);
    }

    const bySlug = new Map(previous ? previous.bySlug : []);
    const rebuilt: Question[] = [];
    for (const slug of dirty) {
      bySlug.delete(slug);
      const q = this.buildQuestion(slug);
      if (q) {
        bySlug.set(slug, q);
        rebuilt.push(q);
      }
      await pause();
    }
    const questions = [...bySlug.values()].sort(compareQuestions);

    // Search: in place for a few documents (synchronous: no search sees half a change), else (or when the index holds
    // too many replaced documents' entries) a new index built in slices.
    const labels = new Map(tags.map((t) => [t.id, t.label]));
    let search = previous?.search;
    let searchRestored: ApplyResult["searchRestored"];
    const changedDocs = tagsChanged ? questions : rebuilt;
    if (!search && options.savedSearch) {
      // A start with a saved index: load it, index again only the documents that differ (one synchronous step: nothing is served yet).
      try {
        const restored = restoreSearchIndex(options.savedSearch, questions.map((q) => this.searchDocument(q, labels)), searchDocumentKey);
        search = restored.index;
        searchRestored = { reindexed: restored.reindexed };
      } catch (error) {
        console.warn(`saved search index not used: ${(error as Error).message}`);
      }
      await pause();
    }
    if (!search || (!searchRestored && (changedDocs.length > IN_PLACE_MAX || searchIndexIsDirty(search)))) {
      const fresh = buildSearchIndex([]);
      for (const q of questions) {
        updateSearchIndex(fresh, { upsert: [this.searchDocument(q, labels)] });
        await pause();
      }
      search = fresh;
    } else if (!searchRestored) {
      const remove = [...dirty].filter((slug) => !bySlug.has(slug) && search!.docs.has(slug));
      updateSearchIndex(search, { remove, upsert: changedDocs.map((q) => this.searchDocument(q, labels)) });
    }

    // A first pass (front matter only) shows the same files as the full pass after it, but not the same search
    // results or findings: its own version, so no page cached from it is served once the full pass is in.
    const checked = this.partialFiles === 0;
    const version = this.versionBits.toString(16).padStart(16, "0") + (checked ? "" : "-front-matter");
    const content: LoadedContent = {
      ...contentSnapshot(version, questions, tags),
      findings: this.check.findings(),
      search,
      checked,
      loadedAt: new Date(),
    };
    this.current = content;
    return { content, changedSlugs: dirty, tagsChanged, ...(searchRestored ? { searchRestored } : {}) };
  }
}
