import { closest, listWords, markdownEntries, type Hit, type Rule } from "./rule";

export const unknownField: Rule = {
  id: "unknown-field",
  severity: "warning",
  summary: "Front matter fields (and tags.yml keys) outside the contract are ignored by the site; usually a typo.",
  check(ctx) {
    const hits: Hit[] = [];
    const report = (path: string, u: { name: string; position: { line: number; column: number }; known: string[] }, where: string) => {
      const guess = closest(u.name, u.known);
      hits.push({
        path,
        ...u.position,
        message:
          `unknown field "${u.name}"; ` +
          (guess ? `did you mean "${guess}"? ${where.charAt(0).toUpperCase()}${where.slice(1)}` : where) +
          ` uses only ${listWords(u.known)} — rename or remove it`,
      });
    };
    for (const entry of markdownEntries(ctx)) {
      for (const u of entry.unknownFields) report(entry.path, u, entry.kind === "question" ? "a question" : "an answer");
    }
    if (ctx.tagsFile) for (const u of ctx.tagsFile.unknownKeys) report(ctx.tagsFile.path, u, "a tag");
    return hits;
  },
};
