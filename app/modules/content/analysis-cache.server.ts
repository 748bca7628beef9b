/**
 * The analyses of content files kept on disk between starts, by path and
 * content hash: a restart re-reads and hashes every file but parses and
 * checks only the files that changed since the last run. The file names the
 * code version it was written by (the server bundle's hash), so a new build
 * never reads an old build's findings.
 *
 * One JSON document per line: a header `{ "key": … }`, then one analysis per
 * line. Written to a temporary file and renamed, so a crash leaves the old
 * cache or none, never half of one.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import type { SavedSearchIndex } from "~/modules/search";
import { withoutBody, withTextString, type AnalysedFile } from "./analyse";

export class AnalysisCache {
  private entries = new Map<string, AnalysedFile>();

  /** @param file where the cache lives; @param key what it is valid for (code version and check options). */
  constructor(
    readonly file: string,
    readonly key: string,
  ) {}

  private static id(path: string, hash: string): string {
    return `${path}\0${hash}`;
  }

  /** Reads the cache; a missing, foreign or damaged file just means an empty cache. */
  async load(): Promise<void> {
    this.entries.clear();
    try {
      const lines = createInterface({ input: createReadStream(this.file, "utf8"), crlfDelay: Infinity });
      let header = true;
      for await (const line of lines) {
        if (line === "") continue;
        const value = JSON.parse(line) as { key?: string } & AnalysedFile;
        if (header) {
          header = false;
          if (value.key !== this.key) break;
          continue;
        }
        this.entries.set(AnalysisCache.id(value.path, value.hash), value);
      }
    } catch (error) {
      this.entries.clear();
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") console.warn(`content cache ${this.file} not used: ${(error as Error).message}`);
    }
  }

  /** The analysis of the file at `path` with content `hash` (a model's body left out: the caller attaches it, `attachBody`). */
  get(path: string, hash: string): AnalysedFile | undefined {
    return this.entries.get(AnalysisCache.id(path, hash));
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops what `load` read. A start asks the cache once per file; after that the store keeps the
   * analyses itself, and entries kept here would hold the start's analyses (texts included) for good.
   */
  forget(): void {
    this.entries = new Map();
  }

  /** Writes these analyses (the files as they are now) as the cache, for the next start. */
  async save(analyses: Iterable<AnalysedFile>): Promise<void> {
    const unique = new Map([...analyses].map((a) => [AnalysisCache.id(a.path, a.hash), a]));
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    const write = async (line: string) => {
      if (!out.write(`${line}\n`)) await once(out, "drain");
    };
    await write(JSON.stringify({ key: this.key }));
    for (const a of unique.values()) await write(JSON.stringify(withTextString(withoutBody(a))));
    out.end();
    await once(out, "finish");
    await rename(tmp, this.file);
  }
}

/**
 * The search index kept on disk between starts (next to the analyses, valid
 * for the same code version): loading it costs a fraction of indexing every
 * question again. It need not match the content: a start indexes again the
 * questions that differ (`restoreSearchIndex`). One JSON document, written
 * to a temporary file and renamed.
 */
export class SearchIndexCache {
  constructor(
    readonly file: string,
    readonly key: string,
  ) {}

  /** The saved index, or undefined when there is none (or a foreign or damaged one). */
  async load(): Promise<SavedSearchIndex | undefined> {
    try {
      const value = JSON.parse(await readFile(this.file, "utf8")) as { key?: string } & Partial<SavedSearchIndex>;
      if (value.key !== this.key || typeof value.keys !== "object" || value.keys === null || typeof value.engine !== "object") return undefined;
      return { keys: value.keys, engine: value.engine };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") console.warn(`search index cache ${this.file} not used: ${(error as Error).message}`);
      return undefined;
    }
  }

  async save(saved: SavedSearchIndex): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ key: this.key, ...saved }));
    await rename(tmp, this.file);
  }
}
