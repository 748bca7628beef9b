/**
 * Reads a content folder into the pure `ContentFile[]` the content check and
 * the parser take. Nothing is skipped except `.git` (the check must see stray
 * files, dot-files such as .DS_Store included).
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { ContentFile } from "~/modules/validation/types";

const SKIPPED_DIRECTORIES = new Set([".git"]);

/** Every file under `dir`, recursively, with forward-slash paths relative to `dir`, sorted by path. */
export async function readContentFolder(dir: string): Promise<ContentFile[]> {
  const root = path.resolve(dir);
  const info = await stat(root);
  if (!info.isDirectory()) throw new Error(`${dir} is not a directory`);
  const files: ContentFile[] = [];
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
        files.push({ path: childRel, bytes: new Uint8Array(await readFile(childAbs)) });
      }
    }
  }

  await visit(root, "");
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Re-reads only the given files (paths relative to `dir`, e.g. from a file
 * watcher or a webhook). Files that no longer exist are left out of the
 * result, so a caller can tell deletions apart. Paths escaping `dir` throw.
 */
export async function readContentFiles(dir: string, relPaths: string[]): Promise<ContentFile[]> {
  const root = path.resolve(dir);
  const out: ContentFile[] = [];
  for (const raw of new Set(relPaths)) {
    const rel = raw.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
    const abs = path.resolve(root, rel);
    if (abs !== root && !abs.startsWith(root + path.sep)) {
      throw new Error(`${raw} is outside the content folder ${dir}`);
    }
    const relative = path.relative(root, abs).split(path.sep).join("/");
    if (relative === "" || relative.split("/").includes(".git")) continue;
    try {
      const info = await stat(abs);
      if (!info.isFile()) continue;
      out.push({ path: relative, bytes: new Uint8Array(await readFile(abs)) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") continue;
      throw e;
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
