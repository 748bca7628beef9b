import { markdownEntries, type Rule } from "./rule";

export const frontMatterMissing: Rule = {
  id: "front-matter-missing",
  severity: "error",
  summary: 'question.md and answer files must start with front matter: a "---" line, YAML fields, a "---" line.',
  check(ctx) {
    return markdownEntries(ctx).flatMap((entry) => {
      const fm = entry.frontMatter;
      if (!fm || !("error" in fm) || fm.error.kind !== "missing") return [];
      const fields = entry.kind === "question" ? "number, title, tags and added" : "author and date";
      const message = fm.error.message.startsWith("the file has no front matter")
        ? `the file has no front matter; start it with a "---" line, the fields ${fields}, and another "---" line`
        : fm.error.message;
      return [{ path: entry.path, line: fm.error.line, column: fm.error.column, message }];
    });
  },
};
