import { TITLE_MAX, truncate } from "../fields";
import type { FolderIndex, QuestionFacts } from "../folder-index";
import { DUPLICATE_TITLE_THRESHOLD, similarityOf } from "../similarity";
import { folderRule, type Hit } from "./rule";

/** The questions whose title is at least as similar as the threshold to `path`'s, with the score. */
function similarTo(index: FolderIndex, path: string): Array<{ other: QuestionFacts; score: number }> {
  const own = index.titleEntry(path);
  if (!own) return [];
  const out: Array<{ other: QuestionFacts; score: number }> = [];
  for (const [other, candidate] of index.titleCandidates(path)) {
    const score = similarityOf(own, candidate, candidate.words.size > 0 && own.words.size > 0 ? candidate.shared : undefined);
    if (score >= DUPLICATE_TITLE_THRESHOLD) out.push({ other: index.facts.get(other) as QuestionFacts, score });
  }
  return out;
}

export const possibleDuplicate = folderRule({
  id: "possible-duplicate",
  severity: "warning",
  summary: `A title very close to another question's title (similarity ≥ ${DUPLICATE_TITLE_THRESHOLD}, see similarity.ts); reported on the newer question.`,
  field: { question: "title", answer: "body" },
  // A title is compared with the titles sharing one of its words (the folder index), not with every title.
  affected(index, path) {
    return [path, ...similarTo(index, path).map((s) => s.other.path)];
  },
  checkFiles(index, paths) {
    const hits: Hit[] = [];
    for (const path of paths) {
      const facts = index.facts.get(path);
      if (facts?.kind !== "question" || !facts.title) continue;
      const self: QuestionFacts = facts;
      for (const { other, score } of similarTo(index, path)) {
        // The pair in path order; reported on the newer question: the higher number, else the later path.
        const a: QuestionFacts = self.path < other.path ? self : other;
        const b: QuestionFacts = a === self ? other : self;
        const older: QuestionFacts = a.number !== null && b.number !== null && a.number.value > b.number.value ? b : a;
        const newer: QuestionFacts = older === a ? b : a;
        if (newer !== self) continue;
        hits.push({
          path: newer.path,
          ...newer.title!.position,
          related: older.path,
          message:
            `title is very similar (${score.toFixed(2)}) to question ${older.number !== null ? `#${older.number.value} ` : ""}` +
            `"${truncate(older.title!.value, TITLE_MAX)}" (${older.path}); if it asks the same thing, add an answer there instead`,
        });
      }
    }
    return hits;
  },
});
