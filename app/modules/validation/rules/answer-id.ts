import { isKebabCase, toKebabCase } from "../text";
import type { Hit, Rule } from "./rule";

export const answerId: Rule = {
  id: "answer-id",
  severity: "error",
  summary: "An answer's file name (its id) must be kebab-case and unique in its folder, also ignoring letter case.",
  check(ctx) {
    const hits: Hit[] = [];
    const seen = new Map<string, string>();
    for (const a of ctx.answers) {
      if (!isKebabCase(a.id)) {
        const suggestion = toKebabCase(a.id);
        hits.push({
          path: a.path,
          line: 1,
          column: 1,
          message:
            `answer file name "${a.id}.md" is not kebab-case (lowercase letters, digits and single hyphens)` +
            (suggestion ? `; rename it to "${suggestion}.md"` : "; rename it"),
        });
      }
      const key = `${a.slug}/${a.id.toLowerCase()}`;
      const other = seen.get(key);
      if (other) {
        hits.push({
          path: a.path,
          line: 1,
          column: 1,
          message: `answer id "${a.id}" clashes with ${other}, which differs only by letter case; rename one of them`,
        });
      } else {
        seen.set(key, a.path);
      }
    }
    return hits;
  },
};
