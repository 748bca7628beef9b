import { checkMarkdownLimits } from "../../markdown/limits";
import { markdownEntries, type Rule } from "./rule";

/**
 * The site renders a body only within the Markdown pipeline's limits
 * (length, nesting, emphasis runs …): past them a pathological input could
 * block the server, so the page would show the text unformatted.
 */
export const markdownLimits: Rule = {
  id: "markdown-limits",
  severity: "error",
  summary: "A body must stay within the renderer's limits (64 KB, bracket and emphasis nesting, footnotes, table width).",
  field: { question: "body", answer: "body" },
  check(ctx) {
    return markdownEntries(ctx).flatMap((entry) => {
      if (entry.body === null) return [];
      const problem = checkMarkdownLimits(entry.body);
      if (!problem) return [];
      return [
        {
          path: entry.path,
          line: entry.bodyLine + problem.line - 1,
          column: 1,
          message: `${problem.message} The site would show this text unformatted; simplify it (${problem.rule}).`,
        },
      ];
    });
  },
};
