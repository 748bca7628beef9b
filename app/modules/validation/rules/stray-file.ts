import type { Rule } from "./rule";

export const strayFile: Rule = {
  id: "stray-file",
  severity: "error",
  summary:
    "Only questions/<slug>/question.md, questions/<slug>/answers/<id>.md, tags.yml and LICENSE/NOTICE belong in the content folder.",
  check(ctx) {
    const hits = [];
    for (const [path, role] of ctx.roles) {
      if (role.kind === "stray") hits.push({ path, line: 1, column: 1, message: `file not part of the content layout: ${role.reason}` });
    }
    return hits;
  },
};
