import { TAGS_PATH } from "../../contract";
import { closest, folderRule, type Hit } from "./rule";

const LIST_MAX = 12;

export const unknownTag = folderRule({
  id: "unknown-tag",
  severity: "error",
  summary: "Every tag of a question must be an id defined in tags.yml.",
  field: { question: "tags" },
  affected(index, path) {
    if (path === TAGS_PATH) return [...index.questions.values()].map((q) => q.path);
    return [path];
  },
  checkFiles(index, paths) {
    const vocabulary = index.vocabulary;
    if (!vocabulary) return []; // tags.yml missing or broken: reported by tags-file
    const known = vocabulary.sorted;
    const shown = known.length > LIST_MAX ? `${known.slice(0, LIST_MAX).join(", ")}, …` : known.join(", ");
    const hits: Hit[] = [];
    for (const path of paths) {
      const q = index.facts.get(path);
      if (q?.kind !== "question" || !q.tags) continue;
      for (const { id: tag, position } of q.tags) {
        if (vocabulary.set.has(tag)) continue;
        const guess = closest(tag, known);
        hits.push({
          path: q.path,
          ...position,
          message:
            `unknown tag "${tag}"; ${guess ? `did you mean "${guess}"? ` : ""}known tags: ${shown} — ` +
            "use one of them or add the tag to tags.yml",
        });
      }
    }
    return hits;
  },
});
