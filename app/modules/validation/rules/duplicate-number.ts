import { folderRule, type Hit } from "./rule";

export const duplicateNumber = folderRule({
  id: "duplicate-number",
  severity: "error",
  summary: "Two questions with the same number; every question needs its own.",
  field: { question: "title", answer: "body" },
  affected(index, path) {
    const facts = index.facts.get(path);
    if (facts?.kind !== "question") return [];
    // The message names the next free number, so a new highest number changes every duplicate's message.
    const out = [path];
    for (const n of index.duplicatedNumbers) out.push(...index.numbers.get(n)!);
    if (facts.number) out.push(...(index.numbers.get(facts.number.value) ?? []));
    return out;
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const path of paths) {
      const q = index.facts.get(path);
      if (q?.kind !== "question" || !q.number) continue;
      const n = q.number.value;
      const group = index.numbers.get(n)!;
      if (group.size < 2) continue;
      const others = [...group].filter((p) => p !== path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      hits.push({
        path,
        ...q.number.position,
        message: `number ${n} is also used by ${others.join(", ")}; numbers must be unique — the next free number is ${index.maxNumber + 1}`,
      });
    }
    return hits;
  },
});
