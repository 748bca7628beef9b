import { charLength, isKebabCase, toKebabCase } from "../text";
import { folderRule, type Hit } from "./rule";
import { folderPaths, reportedFolders, SLUG_MAX, SLUG_MIN } from "./slug";

export const slugFormat = folderRule({
  id: "slug-format",
  severity: "error",
  summary: "A question folder name is its slug (its URL): lowercase kebab-case, 3 to 60 characters.",
  // Reported on the folder's question.md, else its first answer: which file that is depends on the folder.
  field: { question: "title" },
  affected(index, path) {
    const slug = index.folderOf(path);
    return slug === undefined ? [] : [path, ...folderPaths(index, [slug])];
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const [slug, path] of reportedFolders(index, paths)) {
      const len = charLength(slug);
      const suggestion = toKebabCase(slug).slice(0, SLUG_MAX).replace(/-+$/, "");
      if (!isKebabCase(slug)) {
        hits.push({
          path,
          line: 1,
          column: 1,
          message:
            `folder name "${slug}" is not a valid slug: use lowercase letters, digits and single hyphens` +
            (suggestion.length >= SLUG_MIN ? `, e.g. rename the folder to "${suggestion}"` : ""),
        });
      } else if (len < SLUG_MIN || len > SLUG_MAX) {
        hits.push({
          path,
          line: 1,
          column: 1,
          message: `folder name "${slug}" is ${len} characters; a slug has ${SLUG_MIN} to ${SLUG_MAX} — rename the folder`,
        });
      }
    }
    return hits;
  },
});
