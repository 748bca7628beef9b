import type { Hit, Rule } from "./rule";
import { questionFolders } from "./slug";

/** Folder names that differ only by case or punctuation clash on case-insensitive file systems and in URLs. */
export function slugKey(slug: string): string {
  return slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

export const duplicateSlug: Rule = {
  id: "duplicate-slug",
  severity: "error",
  summary: "Two question folders whose names differ only by letter case or punctuation (e.g. What-Is-WSGI and what-is-wsgi).",
  field: { question: "title", answer: "body" },
  check(ctx) {
    const groups = new Map<string, Array<[string, string]>>();
    for (const [slug, path] of questionFolders(ctx)) {
      const key = slugKey(slug);
      groups.set(key, [...(groups.get(key) ?? []), [slug, path]]);
    }
    const hits: Hit[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (const [slug, path] of group) {
        const others = group.filter(([s]) => s !== slug).map(([s, p]) => `"${s}" (${p})`);
        hits.push({
          path,
          line: 1,
          column: 1,
          message: `question folder "${slug}" clashes with ${others.join(", ")}: slugs must differ by more than letter case or punctuation — rename or merge the folders`,
        });
      }
    }
    return hits;
  },
};
