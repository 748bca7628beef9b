import type { AnswerFacts, FolderIndex } from "../folder-index";
import { isKebabCase, toKebabCase } from "../text";
import { folderRule, type Hit } from "./rule";

/** The answers of the same folder whose ids are equal ignoring letter case, in path order. */
function sameId(index: FolderIndex, answer: AnswerFacts): string[] {
  const id = answer.id.toLowerCase();
  return [...(index.answers.get(answer.slug) ?? [])]
    .filter((p) => (index.facts.get(p) as AnswerFacts).id.toLowerCase() === id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const answerId = folderRule({
  id: "answer-id",
  severity: "error",
  summary: "An answer's file name (its id) must be kebab-case and unique in its folder, also ignoring letter case.",
  affected(index, path) {
    const facts = index.facts.get(path);
    return facts?.kind === "answer" ? [path, ...sameId(index, facts)] : [path];
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const path of paths) {
      const a = index.facts.get(path);
      if (a?.kind !== "answer") continue;
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
      const first = sameId(index, a)[0];
      if (first !== undefined && first !== a.path) {
        hits.push({
          path: a.path,
          line: 1,
          column: 1,
          message: `answer id "${a.id}" clashes with ${first}, which differs only by letter case; rename one of them`,
        });
      }
    }
    return hits;
  },
});
