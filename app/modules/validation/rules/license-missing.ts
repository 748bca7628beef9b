import { LICENSE_PATHS } from "../../contract";
import { folderRule, type Hit } from "./rule";

export const licenseMissing = folderRule({
  id: "license-missing",
  severity: "error",
  summary: "The content folder needs a non-empty LICENSE or NOTICE file with the licence and the credit of the seed list.",
  affected: (_index, path) => ((LICENSE_PATHS as readonly string[]).includes(path) ? [...LICENSE_PATHS] : []),
  checkFiles(index, paths) {
    if (index.licenses.size === 0) {
      if (!paths.has(LICENSE_PATHS[0])) return [];
      return [
        {
          path: LICENSE_PATHS[0],
          line: 1,
          column: 1,
          message: "the content folder has no LICENSE or NOTICE file; add one stating the licence of the questions and crediting the seed list",
        },
      ];
    }
    const hits: Hit[] = [];
    for (const f of index.licenses.values()) {
      if (!f.empty || !paths.has(f.path)) continue;
      hits.push({ path: f.path, line: 1, column: 1, message: `${f.path} is empty; state the licence of the questions and credit the seed list` });
    }
    return hits;
  },
});
