import { closest, type Hit, type Rule } from "./rule";

const LIST_MAX = 12;

export const unknownTag: Rule = {
  id: "unknown-tag",
  severity: "error",
  summary: "Every tag of a question must be an id defined in tags.yml.",
  field: { question: "tags" },
  check(ctx) {
    const vocabulary = ctx.vocabulary;
    if (!vocabulary) return []; // tags.yml missing or broken: reported by tags-file
    const known = [...vocabulary].sort();
    const shown = known.length > LIST_MAX ? `${known.slice(0, LIST_MAX).join(", ")}, …` : known.join(", ");
    const hits: Hit[] = [];
    for (const q of ctx.questions) {
      const state = q.fields.get("tags");
      const fm = q.frontMatter;
      if (!state?.result?.ok || !fm || "error" in fm) continue;
      (state.result.value as string[]).forEach((tag, i) => {
        if (vocabulary.has(tag)) return;
        const guess = closest(tag, known);
        hits.push({
          path: q.path,
          ...fm.locate(["tags", i]),
          message:
            `unknown tag "${tag}"; ${guess ? `did you mean "${guess}"? ` : ""}known tags: ${shown} — ` +
            "use one of them or add the tag to tags.yml",
        });
      });
    }
    return hits;
  },
};
