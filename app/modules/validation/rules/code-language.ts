import { isFenced } from "../markdown";
import { walkBodies, type Hit, type Rule } from "./rule";

export const codeLanguage: Rule = {
  id: "code-language",
  severity: "error",
  summary: "Fenced code blocks (``` or ~~~, also inside lists and quotes) must name a language for highlighting.",
  field: { question: "body", answer: "body" },
  check(ctx) {
    const hits: Hit[] = [];
    walkBodies(ctx, (entry, node) => {
      if (node.type !== "code" || node.lang) return;
      const start = node.position?.start;
      if (!start || !isFenced(entry.body, start.offset)) return;
      const fence = entry.body.slice(start.offset!, start.offset! + 3);
      hits.push({
        path: entry.path,
        line: start.line + entry.bodyLine - 1,
        column: start.column,
        message: `code block has no language; name it after the opening fence, e.g. ${fence}python (${fence}text for plain output)`,
      });
    });
    return hits;
  },
};
