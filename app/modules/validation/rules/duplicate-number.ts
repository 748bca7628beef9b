import type { Hit, Rule } from "./rule";

export const duplicateNumber: Rule = {
  id: "duplicate-number",
  severity: "error",
  summary: "Two questions with the same number; every question needs its own.",
  field: { question: "title", answer: "body" },
  check(ctx) {
    const byNumber = new Map<number, Array<{ path: string; position: { line: number; column: number } }>>();
    let max = 0;
    for (const q of ctx.questions) {
      const state = q.fields.get("number");
      if (!state?.result?.ok) continue;
      const n = state.result.value as number;
      max = Math.max(max, n);
      byNumber.set(n, [...(byNumber.get(n) ?? []), { path: q.path, position: state.position }]);
    }
    const hits: Hit[] = [];
    for (const [n, group] of byNumber) {
      if (group.length < 2) continue;
      for (const q of group) {
        const others = group.filter((o) => o.path !== q.path).map((o) => o.path);
        hits.push({
          path: q.path,
          ...q.position,
          message: `number ${n} is also used by ${others.join(", ")}; numbers must be unique — the next free number is ${max + 1}`,
        });
      }
    }
    return hits;
  },
};
