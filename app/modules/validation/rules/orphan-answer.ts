import { folderRule, type Hit } from "./rule";

export const orphanAnswer = folderRule({
  id: "orphan-answer",
  severity: "error",
  summary: "An answers/ folder must sit in a question folder that has a question.md.",
  affected(index, path) {
    const facts = index.facts.get(path);
    if (facts?.kind === "question") return [path, ...(index.answers.get(facts.slug) ?? [])];
    return [path];
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const path of paths) {
      const a = index.facts.get(path);
      if (a?.kind !== "answer" || index.questions.has(a.slug)) continue;
      hits.push({
        path: a.path,
        line: 1,
        column: 1,
        message:
          `this answer belongs to no question: questions/${a.slug}/question.md does not exist; ` +
          "move the answer into an existing question's answers/ folder or add the question",
      });
    }
    return hits;
  },
});
