import { gitBlobHash } from "~/modules/git/blob.server";
import fs from "node:fs";
import path from "node:path";
import type { CheckedFolder } from "~/modules/validation/incremental";
import type { ContentFile } from "~/modules/validation/types";
import { analyseContent, attachBody, type AnalysedFile, type HashedFile } from "./analyse";
import { saveSearchIndex } from "~/modules/search";
import type { AnalysisCache, SearchIndexCache } from "./analysis-cache.server";
import { listContentFolder, readHashedContentFiles } from "./read-folder.server";
import { ContentState, searchDocumentKey, slicer, type LoadedContent } from "./state.server";
import type { AnalysisInput } from "./analyse-worker.server";
import { FolderWatcher } from "./folder-watcher.server";
import { TextStore } from "./text-store.server";
import { singleton } from "~/modules/process/singleton.server";

export type { LoadedContent } from "./state.server";

/** A content file of the store: its bytes are read from disk when asked for; `hash` is its analysed git blob SHA-1. */
export interface StoredFile extends ContentFile {
  readonly hash: string;
}

type Listener = (content: LoadedContent, changed: string[]) => void;

export { gitBlobHash } from "~/modules/git/blob.server";

/** Files read at a time by a start (their bytes are dropped once hashed, or analysed when the cache lacks them). */
const READ_BATCH = 256;
/** Files analysed per call between two yields to the event loop. */
const ANALYSIS_BATCH = 16;
/** A saved search index is saved again at start when more documents than this had to be indexed again. */
const SEARCH_RESAVE_FROM = 100;
/** From how many files on the analysis goes to `options.analyse` (workers): below it, starting them costs more than it saves. */
const ELSEWHERE_FROM = 200;

export interface ContentStoreOptions {
  /** Analyses kept on disk between starts (production). */
  cache?: AnalysisCache;
  /** The search index kept on disk between starts (production). */
  searchCache?: SearchIndexCache;
  /**
   * Parses and checks many files elsewhere (helper processes); in slices on this thread without it, and for a few
   * files. `background`: the site is serving meanwhile, so leave it a core and yield the CPU to it.
   */
  analyse?: (input: AnalysisInput, options?: { background?: boolean }) => Promise<AnalysedFile[]>;
  /**
   * From how many files a start has to parse on, it serves after a front-matter-only first pass and parses,
   * checks and indexes the bodies in the background (decisions/034). Default {@link DEFER_FROM}; 0: always.
   */
  deferFrom?: number;
  /** Where the plain texts of the questions and answers are kept, in a temporary file (default: the system's temporary folder). */
  textsDir?: string;
}

/** See `ContentStoreOptions.deferFrom`: below it a start parses everything first (a few seconds at most). */
export const DEFER_FROM = 1000;

/**
 * The content folder in memory. Loads every file once, then re-reads only the
 * files that change (file watcher, webhook, poll) and derives a new snapshot
 * from the previous one (state.server.ts): readers keep the previous snapshot
 * until the new one is complete, and no step holds the thread for long.
 */
export class ContentStore {
  readonly dir: string;
  /** The files' views for one content version (`contentFiles`). */
  private filesView: { version: string; files: StoredFile[] } | undefined;
  private hashes = new Map<string, string>();
  private state: ContentState;
  private current: LoadedContent | undefined;
  private watcher: FolderWatcher | undefined;
  private watching: Promise<void> = Promise.resolve();
  /** Paths the watcher reported before the first load was done (reloaded after it). */
  private unloaded = new Set<string>();
  private listeners = new Set<Listener>();
  private reloading: Promise<void> = Promise.resolve();
  /** Set while a change is being applied (the check may be half-way through it); resolves when done. */
  private applying: Promise<void> | undefined;
  private readonly options: ContentStoreOptions;
  /** Files parsed by `options.analyse` (helper processes) so far: the log says so. */
  private parsedElsewhere = 0;
  /** How the last load or reload went, for /healthz and the benchmark. */
  lastLoad: { files: number; analysed: number; fromCache: number; ms: number } | undefined;
  /**
   * False while the start's first pass (front matter only, decisions/034) is served and the bodies are being
   * parsed, checked and indexed in the background; true once every file is fully analysed.
   */
  get checked(): boolean {
    return this.current?.checked ?? false;
  }
  /** The background analysis after a first pass; resolves when it is applied (or has failed, logged). */
  private completing: Promise<void> = Promise.resolve();
  /** The search index changed since it was saved (or loaded): `close` saves it. */
  private searchUnsaved = false;
  /** The analyses being written for the next start: `close` lets the writing finish. */
  private cacheSaving: Promise<void> | undefined;

  constructor(dir: string, options: ContentStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.options = options;
    this.state = new ContentState({ texts: TextStore.open(options.textsDir) });
  }

  get content(): LoadedContent {
    if (!this.current) throw new Error("ContentStore used before load()");
    return this.current;
  }

  get version(): string {
    return this.current?.version ?? "none";
  }

  /**
   * The content's files, each read from disk when its `bytes` are asked for (decisions/033: the store
   * does not hold the folder's bytes). The list is the files of the current snapshot, made once per
   * version; a caller that filters by path reads nothing, and `hash` is the analysed blob's.
   */
  get contentFiles(): StoredFile[] {
    const version = this.version;
    if (this.filesView?.version !== version) {
      const files: StoredFile[] = [];
      for (const [p, hash] of this.hashes) {
        const read = () => this.readBytes(p);
        files.push({ path: p, hash, get bytes() { return read(); } });
      }
      this.filesView = { version, files };
    }
    return this.filesView.files;
  }

  /**
   * A file's bytes as they are on disk now. Between a write and its reload (a watcher waits ~100 ms)
   * that is already the new text: the disk is the truth. A file gone meanwhile reads as empty.
   */
  private readBytes(relPath: string): Uint8Array {
    try {
      return fs.readFileSync(path.join(this.dir, relPath));
    } catch {
      return new Uint8Array();
    }
  }

  /**
   * Runs `fn` on the live content check (kept up to date file by file) once
   * no change is half-applied: the check, `content` and `contentFiles` then
   * agree. `fn` runs synchronously; a proposal's check asks it what the
   * proposal would change (`checkProposal(check, files, kind)`) without
   * checking the whole folder again.
   */
  async withCheck<T>(fn: (check: CheckedFolder) => T): Promise<T> {
    while (this.applying) await this.applying;
    return fn(this.state.check);
  }

  /** Marks a change as being applied until `run` settles (see `withCheck`). */
  private async applyingChange<T>(run: () => Promise<T>): Promise<T> {
    let done!: () => void;
    this.applying = new Promise((resolve) => (done = resolve));
    try {
      return await run();
    } finally {
      this.applying = undefined;
      done();
    }
  }

  /** Analyses files: from the cache when it knows them, the rest in helper processes or in slices. */
  private async analyse(files: HashedFile[]): Promise<AnalysedFile[]> {
    const { hits, missing } = this.lookUp(files);
    return this.withBodies([...hits, ...(await this.analyseMissing(missing))]);
  }

  /** The files' analyses the cache knows, and the files it does not. */
  private lookUp(files: HashedFile[]): { hits: AnalysedFile[]; missing: HashedFile[] } {
    const hits: AnalysedFile[] = [];
    const missing: HashedFile[] = [];
    for (const f of files) {
      const hit = this.options.cache?.get(f.path, f.hash);
      if (hit) hits.push(hit);
      else missing.push(f);
    }
    return { hits, missing };
  }

  /**
   * Parses and checks files: many of them in helper processes (`options.analyse`), else — or when the helpers
   * fail — in slices here. Files named in the folder (`{ dir, paths }`) are read by the helpers themselves, or here
   * without them; a file gone meanwhile is left out. `background`: the site is serving meanwhile.
   */
  private async analyseMissing(input: AnalysisInput, options: { background?: boolean } = {}): Promise<AnalysedFile[]> {
    const count = Array.isArray(input) ? input.length : input.paths.length;
    if (this.options.analyse && count >= ELSEWHERE_FROM) {
      try {
        const elsewhere = await this.options.analyse(input, options);
        this.parsedElsewhere += count;
        return elsewhere;
      } catch (error) {
        // A system that refuses a helper process (limits, sandbox) still gets its content: here, in slices.
        console.warn(`content: helper processes failed (${(error as Error).message}); parsing here instead`);
      }
    }
    const files = Array.isArray(input) ? input : await readHashedContentFiles(input.dir, input.paths);
    return this.inSlices(files, (batch) => analyseContent(batch));
  }

  /** Runs `analyse` over the files a batch at a time, yielding to the event loop between batches. */
  private async inSlices(files: HashedFile[], analyse: (batch: HashedFile[]) => AnalysedFile[]): Promise<AnalysedFile[]> {
    const out: AnalysedFile[] = [];
    const pause = slicer();
    for (let i = 0; i < files.length; i += ANALYSIS_BATCH) {
      out.push(...analyse(files.slice(i, i + ANALYSIS_BATCH)));
      await pause();
    }
    return out;
  }

  /** A model's body is read from its file when a page asks for it (analyse.ts): the store does not keep the bytes. */
  private withBodies(analyses: AnalysedFile[]): AnalysedFile[] {
    for (const a of analyses) {
      // The closures keep the path and hash only: the analysis itself holds the file's plain text, which the state
      // keeps elsewhere (a closure over `a` kept every answer's text alive twice: ≈ 47 MB at 5,000 questions).
      const { path: relPath, hash } = a;
      attachBody(a, () => this.readBytes(relPath), { isAnalysed: (bytes) => gitBlobHash(bytes) === hash });
    }
    return analyses;
  }

  async load(): Promise<LoadedContent> {
    const started = performance.now();
    const savedSearch = this.options.searchCache?.load();
    await this.options.cache?.load();
    const { hits, missing, analysed, deferred } = await this.firstPass(await listContentFolder(this.dir));
    this.options.cache?.forget();
    const analyses = this.withBodies([...hits, ...analysed]);
    const fileCount = this.hashes.size;
    const saved = await savedSearch;
    const { content, searchRestored } = await this.applyingChange(() => this.state.apply(analyses, [], saved ? { savedSearch: saved } : {}));
    if (!deferred && this.options.searchCache && (!searchRestored || searchRestored.reindexed > SEARCH_RESAVE_FROM)) {
      // Saved before the server is ready: serialising the index is one long synchronous step.
      await this.options.searchCache.save(saveSearchIndex(content.search, searchDocumentKey)).catch((error: unknown) => console.warn("search index not saved:", error));
    }
    this.current = content;
    if (this.unloaded.size > 0) {
      const reported = this.unloaded;
      this.unloaded = new Set();
      this.reloadReported(reported);
    }
    this.logErrors(content.findings);
    this.lastLoad = { files: fileCount, analysed: missing.length, fromCache: hits.length, ms: Math.round(performance.now() - started) };
    console.info(
      `content loaded in ${this.lastLoad.ms} ms: ${fileCount} files, ${hits.length} analyses from the cache, ` +
        (deferred
          ? `${missing.length} files read to their front matter (their bodies are parsed in the background); search index of titles and tags for now`
          : `${this.parsedElsewhere} files parsed in helper processes; search index ` +
            (searchRestored ? `from the cache (${searchRestored.reindexed} questions indexed again)` : "built")),
    );
    if (deferred) {
      this.searchUnsaved = true;
      this.completing = this.completeAnalysis(hits, missing, started).catch((error: unknown) => console.error("content: the background analysis failed:", error));
    } else if (this.options.cache && missing.length > 0) {
      this.cacheSaving = this.options.cache.save(analyses).catch((error: unknown) => console.warn("content cache not saved:", error));
    }
    return content;
  }

  /**
   * Reads the folder a batch of files at a time, hashing each file and taking its analysis from the cache when it
   * knows it; the bytes of a file the cache knows are dropped at once (decisions/035: the start never holds the
   * whole folder's bytes). Once `deferFrom` files are missing, the start is deferred (decisions/034): those files
   * get a front-matter-only analysis as they are read. Otherwise the few missing files are analysed in full.
   */
  private async firstPass(paths: string[]): Promise<{ hits: AnalysedFile[]; missing: Array<{ path: string; hash: string }>; analysed: AnalysedFile[]; deferred: boolean }> {
    const deferFrom = this.options.deferFrom ?? DEFER_FROM;
    const hits: AnalysedFile[] = [];
    const missing: Array<{ path: string; hash: string }> = [];
    const analysed: AnalysedFile[] = [];
    let pending: HashedFile[] = []; // missing files, with their bytes, until it is known whether the start defers
    let deferred = false;
    this.hashes = new Map();
    const pause = slicer();
    for (let i = 0; i < paths.length; i += READ_BATCH) {
      for (const f of await readHashedContentFiles(this.dir, paths.slice(i, i + READ_BATCH))) {
        this.hashes.set(f.path, f.hash);
        const hit = this.options.cache?.get(f.path, f.hash);
        if (hit) hits.push(hit);
        else {
          missing.push({ path: f.path, hash: f.hash });
          pending.push(f);
        }
      }
      if (!deferred && missing.length > 0 && missing.length >= deferFrom) deferred = true;
      if (deferred) {
        for (let j = 0; j < pending.length; j += ANALYSIS_BATCH) {
          analysed.push(...analyseContent(pending.slice(j, j + ANALYSIS_BATCH), { frontMatterOnly: true }));
          await pause();
        }
        pending = [];
      }
      await pause();
    }
    if (!deferred) analysed.push(...(await this.analyseMissing(pending)));
    return { hits, missing, analysed, deferred };
  }

  /**
   * After a first pass (front matter only): parses and checks the files' bodies, in helper processes leaving the
   * site a core (or in slices here), and applies the full analyses as one change — the snapshot served meanwhile
   * stays until the new one, with every finding and the whole search index, is complete. A file changed since the
   * start is left to its own reload. Then the analyses are cached for the next start.
   */
  private async completeAnalysis(hits: AnalysedFile[], missing: Array<{ path: string; hash: string }>, started: number): Promise<void> {
    // Helpers read the files themselves: the server does not hold their bytes again (decisions/035).
    const full = await this.analyseMissing({ dir: this.dir, paths: missing.map((f) => f.path) }, { background: true });
    const pause = slicer();
    await this.enqueue(async () => {
      // Only files still as the first pass saw them (a reload in between analysed its files fully).
      const current: AnalysedFile[] = [];
      for (const a of full) {
        if (this.hashes.get(a.path) === a.hash && this.state.file(a.path)?.partial) current.push(...this.withBodies([a]));
        await pause();
      }
      const content = await this.applyingChange(async () => {
        const { content } = await this.state.apply(current, []);
        this.current = content;
        return content;
      });
      this.searchUnsaved = true;
      this.logErrors(content.findings, new Set(current.map((a) => a.path)));
      console.info(`content checked in the background ${Math.round(performance.now() - started)} ms after the start began: ${current.length} files parsed`);
      for (const l of this.listeners) l(content, current.map((a) => a.path));
    });
    if (this.options.cache) {
      this.cacheSaving = this.options.cache.save([...hits, ...full]).catch((error: unknown) => console.warn("content cache not saved:", error));
      await this.cacheSaving;
    }
  }

  /** Resolves once the start's background analysis (if any) is applied: `checked` is then true. */
  whenChecked(): Promise<void> {
    return this.completing;
  }

  private logErrors(findings: LoadedContent["findings"], only?: Set<string>): void {
    for (const f of findings) {
      if (f.severity === "error" && (!only || only.has(f.path))) console.warn(`content: ${f.path}:${f.line}:${f.column}: ${f.message} (${f.rule})`);
    }
  }

  /**
   * Re-read the given paths (relative to the content folder) and rebuild.
   * Paths that no longer exist are dropped. Calls are serialised.
   */
  reload(relPaths: string[]): Promise<void> {
    return this.enqueue(() => this.doReload(relPaths));
  }

  /** Runs `step` after every change queued before it (changes are applied one at a time, in order). */
  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.reloading.then(step);
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async doReload(relPaths: string[]): Promise<void> {
    const started = performance.now();
    const unique = [...new Set(relPaths.map((p) => p.split(path.sep).join("/")))];
    const found = new Map((await readHashedContentFiles(this.dir, unique)).map((f) => [f.path, f]));
    const changed: HashedFile[] = [];
    const deleted: string[] = [];
    for (const p of unique) {
      const file = found.get(p);
      if (!file) {
        if (this.hashes.has(p)) deleted.push(p);
      } else if (this.hashes.get(p) !== file.hash) changed.push(file);
    }
    if (changed.length === 0 && deleted.length === 0) return;
    const analyses = await this.analyse(changed);
    const content = await this.applyingChange(async () => {
      const { content } = await this.state.apply(analyses, deleted);
      // The new snapshot and the files' blobs change together, in one synchronous step.
      for (const p of deleted) this.hashes.delete(p);
      for (const f of changed) this.hashes.set(f.path, f.hash);
      this.current = content;
      return content;
    });
    this.searchUnsaved = true;
    const paths = [...changed.map((f) => f.path), ...deleted];
    this.logErrors(content.findings, new Set(paths));
    this.lastLoad = { files: paths.length, analysed: analyses.length, fromCache: 0, ms: Math.round(performance.now() - started) };
    for (const l of this.listeners) l(content, paths);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Watch the folder and reload changed files (folder-watcher.server.ts: one watch per folder, set up in slices,
   * a burst of changes reported once it settles). A path that is no longer there stands for what the store knew
   * under it too (a removed or renamed question folder).
   */
  watch(): void {
    if (this.watcher) return;
    const watcher = new FolderWatcher(this.dir, { ignore: (rel) => rel.split("/").includes(".git") });
    this.watcher = watcher;
    watcher.on("paths", (paths) => {
      // Watching starts before the first load reads the folder, so that no change slips between the two: what is
      // reported before the load is done is reloaded right after it.
      if (!this.current) for (const p of paths) this.unloaded.add(p);
      else this.reloadReported(paths);
    });
    // The usual failure is the system's limit of watched folders (two per question): the site goes on serving,
    // and says what to do.
    let warned = false;
    watcher.on("error", (error: unknown) => {
      if (warned) return;
      warned = true;
      const code = (error as NodeJS.ErrnoException).code;
      console.warn(
        `content: the file watcher failed (${code ?? (error as Error).message}): changes to the folder may not be seen until a restart. ` +
          (code === "ENOSPC"
            ? "The system's limit of watched folders is reached: raise fs.inotify.max_user_watches (sysctl), or set CONTENT_WATCH=0 and rely on the push webhook and the poll (CONTENT_POLL_INTERVAL)."
            : "Set CONTENT_WATCH=0 to rely on the push webhook and the poll (CONTENT_POLL_INTERVAL) instead."),
      );
    });
    this.watching = watcher.start().catch((error: unknown) => {
      watcher.emit("error", error as Error);
    });
  }

  /** Reloads the paths a watcher reported; a path no longer there stands for what the store knew under it too. */
  private reloadReported(paths: Iterable<string>): void {
    const all = new Set(paths);
    // Paths that are not known files may be folders: one pass over the known files adds what lies under them
    // (each file's few ancestor folders looked up), not one pass per reported path.
    const folders = new Set([...all].filter((p) => !this.hashes.has(p)));
    if (folders.size > 0) {
      for (const known of this.hashes.keys()) {
        for (let at = known.lastIndexOf("/"); at > 0; at = known.lastIndexOf("/", at - 1)) {
          if (folders.has(known.slice(0, at))) {
            all.add(known);
            break;
          }
        }
      }
    }
    if (all.size > 0) this.reload([...all]).catch((error: unknown) => console.error("content reload failed:", error));
  }

  /** Resolves once every folder is watched (after `watch()`). */
  whenWatching(): Promise<void> {
    return this.watching;
  }

  /**
   * Stops watching, lets the analyses being written for the next start finish, and keeps the search index for
   * the next start when it changed since it was saved: after a
   * background analysis (decisions/034) and after edits. Serialising it is one long synchronous step (≈ 0.6 s at
   * 5,000 questions), which a stopping server can afford and a serving one cannot.
   */
  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await this.cacheSaving;
    if (this.options.searchCache && this.current && this.checked && this.searchUnsaved) {
      this.searchUnsaved = false;
      await this.options.searchCache.save(saveSearchIndex(this.current.search, searchDocumentKey)).catch((error: unknown) => console.warn("search index not saved:", error));
    }
    this.state.close();
  }
}

/** The process-wide store, loaded on first use (and watched when CONTENT_WATCH is on). */
export function getContentStore(options: { dir: string; watch: boolean } & ContentStoreOptions): Promise<ContentStore> {
  return singleton("content-store", async () => {
    const store = new ContentStore(options.dir, options);
    // Every folder is watched before the folder is read: a change made before a file's watch existed is read by the
    // load, one made after is reported — and reloaded after the load when it came during it (see `watch`).
    if (options.watch) {
      store.watch();
      await store.whenWatching();
    }
    await store.load();
    return store;
  });
}
