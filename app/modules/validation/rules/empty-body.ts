import { markdownEntries, type Rule } from "./rule";

export const emptyBody: Rule = {
  id: "empty-body",
  severity: "error",
  summary: "A question or answer needs Markdown text after its front matter.",
  field: { question: "body", answer: "body" },
  check(ctx) {
    return markdownEntries(ctx).flatMap((entry) => {
      if (entry.body === null || entry.body.trim() !== "") return [];
      const what = entry.kind === "question" ? "the full question" : "the answer";
      return [
        {
          path: entry.path,
          // the closing "---" line
          line: entry.bodyLine - 1,
          column: 1,
          message: `the file has no text after the front matter; write ${what} in Markdown below the closing "---"`,
        },
      ];
    });
  },
};
