import { markdownEntries, type Rule } from "./rule";

export const frontMatterYaml: Rule = {
  id: "front-matter-yaml",
  severity: "error",
  summary: "Front matter must be closed by a \"---\" line and be valid YAML mapping field names to values.",
  check(ctx) {
    return markdownEntries(ctx).flatMap((entry) => {
      const fm = entry.frontMatter;
      if (fm && "error" in fm && fm.error.kind !== "missing") {
        return [{ path: entry.path, line: fm.error.line, column: fm.error.column, message: fm.error.message }];
      }
      if (entry.notMapping) {
        return [
          {
            path: entry.path,
            line: entry.notMapping.line,
            column: entry.notMapping.column,
            message: `the front matter must be fields written "name: value", one per line; found ${entry.notMapping.found}`,
          },
        ];
      }
      return [];
    });
  },
};
