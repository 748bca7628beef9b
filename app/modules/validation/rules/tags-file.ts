import { TAGS_PATH } from "../../contract";
import type { Rule } from "./rule";

export const tagsFile: Rule = {
  id: "tags-file",
  severity: "error",
  summary: "tags.yml must exist and be a YAML list of {id, label, description} with unique kebab-case ids.",
  check(ctx) {
    const file = ctx.tagsFile;
    if (!file) {
      return [
        {
          path: TAGS_PATH,
          line: 1,
          column: 1,
          message: "tags.yml is missing; add the tag vocabulary as a YAML list of tags, each with id, label and description",
        },
      ];
    }
    return file.problems.map((p) => ({ path: file.path, ...p }));
  },
};
