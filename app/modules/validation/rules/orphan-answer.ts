import type { Hit, Rule } from "./rule";

export const orphanAnswer: Rule = {
  id: "orphan-answer",
  severity: "error",
  summary: "An answers/ folder must sit in a question folder that has a question.md.",
  check(ctx) {
    const slugs = new Set(ctx.questions.map((q) => q.slug));
    const hits: Hit[] = [];
    for (const a of ctx.answers) {
      if (slugs.has(a.slug)) continue;
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
};
