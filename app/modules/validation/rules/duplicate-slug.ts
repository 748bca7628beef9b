import { slugKey } from "../folder-index";
import { folderRule, type Hit } from "./rule";
import { folderPaths, reportedFolders } from "./slug";

export { slugKey } from "../folder-index";

export const duplicateSlug = folderRule({
  id: "duplicate-slug",
  severity: "error",
  summary: "Two question folders whose names differ only by letter case or punctuation (e.g. What-Is-WSGI and what-is-wsgi).",
  field: { question: "title", answer: "body" },
  affected(index, path) {
    const slug = index.folderOf(path);
    if (slug === undefined) return [];
    return [path, ...folderPaths(index, index.slugKeys.get(slugKey(slug)) ?? [])];
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const [slug, path] of reportedFolders(index, paths)) {
      const group = index.slugKeys.get(slugKey(slug));
      if (!group || group.size < 2) continue;
      // Folders with a question.md first, then answer-only folders, each in path order (as the files are read).
      const others = [...group]
        .filter((s) => s !== slug)
        .map((s) => ({ s, p: index.folderPath(s)!, q: index.questions.has(s) ? 0 : 1 }))
        .sort((a, b) => a.q - b.q || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0))
        .map(({ s, p }) => `"${s}" (${p})`);
      hits.push({
        path,
        line: 1,
        column: 1,
        message: `question folder "${slug}" clashes with ${others.join(", ")}: slugs must differ by more than letter case or punctuation — rename or merge the folders`,
      });
    }
    return hits;
  },
});
