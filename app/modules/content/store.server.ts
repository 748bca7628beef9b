import { createHash } from "node:crypto";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { singleton } from "~/modules/process/singleton.server";
import { parseContent } from "~/modules/validation";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { markdownToText } from "~/modules/markdown/text";
import { buildSearchIndex, type SearchDocument, type SearchIndex } from "~/modules/search";
import { readContentFiles, readContentFolder } from "./read-folder.server";
import { contentSnapshot } from "./snapshot";
import type { ContentSnapshot, Question } from "./types";

export interface LoadedContent extends ContentSnapshot {
  /** Findings of the parser (files it had to skip), for the log and /healthz. */
  findings: Finding[];
  search: SearchIndex;
  /** When this snapshot was built. */
  loadedAt: Date;
}

type Listener = (content: LoadedContent, changed: string[]) => void;

function sha1(data: Uint8Array | string): string {
  return createHash("sha1").update(data).digest("hex");
}

/**
 * The content folder in memory. Loads every file once, then re-reads only the
 * files that change (file watcher, webhook, poll) and swaps in a new snapshot
 * atomically: readers keep the previous snapshot until the new one is ready.
 */
export class ContentStore {
  readonly dir: string;
  private files = new Map<string, ContentFile>();
  private hashes = new Map<string, string>();
  private current: LoadedContent | undefined;
  private watcher: FSWatcher | undefined;
  private listeners = new Set<Listener>();
  private reloading: Promise<void> = Promise.resolve();
  private textCache = new Map<string, string>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get content(): LoadedContent {
    if (!this.current) throw new Error("ContentStore used before load()");
    return this.current;
  }

  get version(): string {
    return this.current?.version ?? "none";
  }

  /** The raw files as they are on disk now (the contribution check needs them). */
  get contentFiles(): ContentFile[] {
    return [...this.files.values()];
  }

  async load(): Promise<LoadedContent> {
    const files = await readContentFolder(this.dir);
    this.files = new Map(files.map((f) => [f.path, f]));
    this.hashes = new Map(files.map((f) => [f.path, sha1(f.bytes)]));
    this.current = this.build();
    return this.current;
  }

  /**
   * Re-read the given paths (relative to the content folder) and rebuild.
   * Paths that no longer exist are dropped. Calls are serialised.
   */
  reload(relPaths: string[]): Promise<void> {
    const next = this.reloading.then(() => this.doReload(relPaths));
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async doReload(relPaths: string[]): Promise<void> {
    const unique = [...new Set(relPaths.map((p) => p.split(path.sep).join("/")))];
    const read = await readContentFiles(this.dir, unique);
    const found = new Map(read.map((f) => [f.path, f]));
    const changed: string[] = [];
    for (const p of unique) {
      const file = found.get(p);
      if (!file) {
        if (this.files.delete(p)) {
          this.hashes.delete(p);
          changed.push(p);
        }
        continue;
      }
      const hash = sha1(file.bytes);
      if (this.hashes.get(p) === hash) continue;
      this.files.set(p, file);
      this.hashes.set(p, hash);
      changed.push(p);
    }
    if (changed.length === 0) return;
    this.current = this.build();
    for (const l of this.listeners) l(this.current, changed);
  }

  /** Re-read the whole folder (used after a git pull whose file list is unknown). */
  async reloadAll(): Promise<void> {
    const files = await readContentFolder(this.dir);
    const paths = new Set([...files.map((f) => f.path), ...this.files.keys()]);
    await this.reload([...paths]);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Watch the folder and reload changed files (debounced). */
  watch(): void {
    if (this.watcher) return;
    let pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const queue = (abs: string) => {
      const rel = path.relative(this.dir, abs).split(path.sep).join("/");
      if (!rel || rel.startsWith("..") || rel.split("/").includes(".git")) return;
      pending.add(rel);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const batch = [...pending];
        pending = new Set();
        this.reload(batch).catch((error: unknown) => console.error("content reload failed:", error));
      }, 60);
    };
    this.watcher = watch(this.dir, {
      ignoreInitial: true,
      ignored: (p) => p.split(path.sep).includes(".git"),
      awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 20 },
    });
    this.watcher.on("add", queue).on("change", queue).on("unlink", queue);
    this.watcher.on("unlinkDir", () => {
      this.reloadAll().catch((error: unknown) => console.error("content reload failed:", error));
    });
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private text(markdown: string): string {
    let t = this.textCache.get(markdown);
    if (t === undefined) {
      t = markdownToText(markdown);
      if (this.textCache.size > 5000) this.textCache.clear();
      this.textCache.set(markdown, t);
    }
    return t;
  }

  private build(): LoadedContent {
    const files = [...this.files.values()];
    const { questions, tags, findings } = parseContent(files);
    const version = sha1([...this.hashes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, h]) => `${p}:${h}`).join("\n")).slice(0, 16);
    const labels = new Map(tags.map((t) => [t.id, t.label]));
    const docs: SearchDocument[] = questions.map((q) => ({
      slug: q.slug,
      number: q.number,
      title: q.title,
      tags: q.tags,
      tagLabels: q.tags.map((t) => labels.get(t) ?? t),
      body: this.text(q.body),
      answers: q.answers.map((a) => this.text(a.body)).join("\n\n"),
    }));
    for (const f of findings) {
      if (f.severity === "error") console.warn(`content: ${f.path}:${f.line}:${f.column}: ${f.message} (${f.rule})`);
    }
    return { ...contentSnapshot(version, questions, tags), findings, search: buildSearchIndex(docs), loadedAt: new Date() };
  }
}

/** The process-wide store, loaded on first use (and watched when CONTENT_WATCH is on). */
export function getContentStore(options: { dir: string; watch: boolean }): Promise<ContentStore> {
  return singleton("content-store", async () => {
    const store = new ContentStore(options.dir);
    await store.load();
    if (options.watch) store.watch();
    return store;
  });
}
