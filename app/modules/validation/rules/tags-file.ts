import { TAGS_PATH } from "../../contract";
import { folderRule, type Hit } from "./rule";

export const tagsFile = folderRule({
  id: "tags-file",
  severity: "error",
  summary: "tags.yml must exist and be a YAML list of {id, label, description} with unique kebab-case ids.",
  affected: (_index, path) => (path === TAGS_PATH ? [TAGS_PATH] : []),
  checkFiles(index, paths) {
    if (!paths.has(TAGS_PATH)) return [];
    const file = index.tags;
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
    return file.problems.map((p): Hit => ({ path: file.path, ...p }));
  },
});
