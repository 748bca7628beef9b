import { TITLE_MAX, truncate } from "../fields";
import { DUPLICATE_TITLE_THRESHOLD, titleSimilarity } from "../similarity";
import type { Hit, Rule } from "./rule";

export const possibleDuplicate: Rule = {
  id: "possible-duplicate",
  severity: "warning",
  summary: `A title very close to another question's title (similarity ≥ ${DUPLICATE_TITLE_THRESHOLD}, see similarity.ts); reported on the newer question.`,
  field: { question: "title", answer: "body" },
  check(ctx) {
    const titled = ctx.questions.flatMap((q) => {
      const title = q.fields.get("title");
      const number = q.fields.get("number");
      if (!title?.result?.ok) return [];
      return [
        {
          path: q.path,
          title: title.result.value as string,
          position: title.position,
          number: number?.result?.ok ? (number.result.value as number) : null,
        },
      ];
    });
    const hits: Hit[] = [];
    for (let i = 0; i < titled.length; i++) {
      for (let j = i + 1; j < titled.length; j++) {
        const a = titled[i]!;
        const b = titled[j]!;
        const score = titleSimilarity(a.title, b.title);
        if (score < DUPLICATE_TITLE_THRESHOLD) continue;
        // Report on the newer question: the higher number, else the later path.
        const [older, newer] = a.number !== null && b.number !== null && a.number > b.number ? [b, a] : [a, b];
        hits.push({
          path: newer.path,
          ...newer.position,
          related: older.path,
          message:
            `title is very similar (${score.toFixed(2)}) to question ${older.number !== null ? `#${older.number} ` : ""}` +
            `"${truncate(older.title, TITLE_MAX)}" (${older.path}); if it asks the same thing, add an answer there instead`,
        });
      }
    }
    return hits;
  },
};
