import { charLength, isKebabCase, toKebabCase } from "../text";
import type { Hit, Rule } from "./rule";
import { questionFolders, SLUG_MAX, SLUG_MIN } from "./slug";

export const slugFormat: Rule = {
  id: "slug-format",
  severity: "error",
  summary: "A question folder name is its slug (its URL): lowercase kebab-case, 3 to 60 characters.",
  field: { question: "title" },
  check(ctx) {
    const hits: Hit[] = [];
    for (const [slug, path] of questionFolders(ctx)) {
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
};
