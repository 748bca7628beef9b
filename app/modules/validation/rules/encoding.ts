import type { Rule } from "./rule";

/** Contract text files must be UTF-8 without a byte order mark. */
export const encoding: Rule = {
  id: "encoding",
  severity: "error",
  summary: "Markdown files, tags.yml and LICENSE/NOTICE must be UTF-8 without a byte order mark (BOM).",
  field: { question: "body", answer: "body" },
  check(ctx) {
    const files = [
      ...ctx.questions,
      ...ctx.answers,
      ...(ctx.tagsFile ? [ctx.tagsFile] : []),
      ...ctx.licenseFiles,
    ];
    return files.flatMap(({ path, decoded }) => {
      if (!decoded.ok) {
        return [
          {
            path,
            ...decoded.position,
            message: `the file is not valid UTF-8 (first bad byte at line ${decoded.position.line}, column ${decoded.position.column}); save it with UTF-8 encoding`,
          },
        ];
      }
      if (decoded.hasBom) {
        return [
          {
            path,
            line: 1,
            column: 1,
            message: "the file starts with a byte order mark (BOM); save it as UTF-8 without BOM",
          },
        ];
      }
      return [];
    });
  },
};
