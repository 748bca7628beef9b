import type { Rule } from "./rule";

export const licenseMissing: Rule = {
  id: "license-missing",
  severity: "error",
  summary: "The content folder needs a non-empty LICENSE or NOTICE file with the licence and the credit of the seed list.",
  check(ctx) {
    if (ctx.licenseFiles.length === 0) {
      return [
        {
          path: "LICENSE",
          line: 1,
          column: 1,
          message: "the content folder has no LICENSE or NOTICE file; add one stating the licence of the questions and crediting the seed list",
        },
      ];
    }
    return ctx.licenseFiles
      .filter((f) => f.decoded.ok && f.decoded.text.trim() === "")
      .map((f) => ({
        path: f.path,
        line: 1,
        column: 1,
        message: `${f.path} is empty; state the licence of the questions and credit the seed list`,
      }));
  },
};
