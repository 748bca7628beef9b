import type { FolderIndex } from "../folder-index";

/** The file each folder of `slugs` reports on (question.md, else its first answer). */
export function folderPaths(index: FolderIndex, slugs: Iterable<string>): string[] {
  const out: string[] = [];
  for (const slug of slugs) {
    const p = index.folderPath(slug);
    if (p) out.push(p);
  }
  return out;
}

/** The folders reported on among `paths`: each path that is its folder's reporting file, with its slug. */
export function reportedFolders(index: FolderIndex, paths: ReadonlySet<string>): Array<[slug: string, path: string]> {
  const out: Array<[string, string]> = [];
  for (const p of paths) {
    const slug = index.folderOf(p);
    if (slug !== undefined && index.folderPath(slug) === p) out.push([slug, p]);
  }
  return out;
}

export { SLUG_MAX, SLUG_MIN } from "../../contract";
