/**
 * Reads a content folder into the pure `ContentFile[]` the content check and
 * the parser take. Nothing is skipped except `.git` (the check must see stray
 * files, dot-files such as .DS_Store included).
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
// Relative: the content CLI (scripts/validate-content.ts) loads this file without the app's "~" alias.
import { gitBlobHash } from "../git/blob.server";
import type { ContentFile } from "~/modules/validation/types";

const SKIPPED_DIRECTORIES = new Set([".git"]);

/** Files read at the same time: enough to keep the disk busy, few enough for any file-descriptor limit. */
const READ_CONCURRENCY = 64;

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Every file under `dir`, recursively, with forward-slash paths relative to
 * `dir`, sorted by path. The folders are walked first, then the files are
 * read in parallel.
 */
export async function readContentFolder(dir: string): Promise<ContentFile[]> {
  const root = path.resolve(dir);
  const found = await findFiles(root);
  const files = await mapConcurrent(found, READ_CONCURRENCY, async (f): Promise<ContentFile> => ({ path: f.rel, bytes: new Uint8Array(await readFile(f.abs)) }));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The paths of every file under `dir` (as `readContentFolder` finds them), sorted, without reading them: a caller
 * reads them a batch at a time (`readContentFiles`) and never holds the whole folder's bytes.
 */
export async function listContentFolder(dir: string): Promise<string[]> {
  return (await findFiles(path.resolve(dir))).map((f) => f.rel).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function findFiles(root: string): Promise<Array<{ abs: string; rel: string }>> {
  const info = await stat(root);
  if (!info.isDirectory()) throw new Error(`${root} is not a directory`);
  const found: Array<{ abs: string; rel: string }> = [];
  const visited = new Set<string>([await realpath(root)]);

  async function visit(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const entry of entries) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(childAbs).catch(() => null);
        if (!target) continue; // dangling link: nothing to read
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        const real = await realpath(childAbs);
        if (visited.has(real)) continue; // symlink loop
        visited.add(real);
        await visit(childAbs, childRel);
      } else if (isFile) {
        found.push({ abs: childAbs, rel: childRel });
      }
    }
  }

  await visit(root, "");
  return found;
}

/**
 * Re-reads only the given files (paths relative to `dir`, e.g. from a file
 * watcher or a webhook). Files that no longer exist are left out of the
 * result, so a caller can tell deletions apart. Paths escaping `dir` throw.
 */
export async function readContentFiles(dir: string, relPaths: string[]): Promise<ContentFile[]> {
  const root = path.resolve(dir);
  const out: ContentFile[] = [];
  await mapConcurrent([...new Set(relPaths)], READ_CONCURRENCY, async (raw) => {
    const rel = raw.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
    const abs = path.resolve(root, rel);
    if (abs !== root && !abs.startsWith(root + path.sep)) {
      throw new Error(`${raw} is outside the content folder ${dir}`);
    }
    const relative = path.relative(root, abs).split(path.sep).join("/");
    if (relative === "" || relative.split("/").includes(".git")) return;
    try {
      const info = await stat(abs);
      if (!info.isFile()) return;
      out.push({ path: relative, bytes: new Uint8Array(await readFile(abs)) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return;
      throw e;
    }
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `readContentFiles`, each file with its git blob SHA-1 (what the content store and its caches key on). */
export async function readHashedContentFiles(dir: string, relPaths: string[]): Promise<Array<ContentFile & { hash: string }>> {
  return (await readContentFiles(dir, relPaths)).map((f) => ({ ...f, hash: gitBlobHash(f.bytes) }));
}
