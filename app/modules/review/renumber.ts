/**
 * Question numbers at merge time. Pure.
 *
 * A new question takes the next free number when it is proposed; by the time
 * a maintainer merges it another question may have taken that number. Then
 * the new question's `number:` front matter line is rewritten to the next
 * free number (the highest number in use + 1) — only that line changes.
 */
import { isQuestionFile } from "~/modules/contract";
import { parseFrontMatter } from "~/modules/validation";

export { isQuestionFile } from "~/modules/contract";

/** The `number:` of a question file's front matter, if it has a positive integer one. */
export function questionNumberOf(text: string): number | undefined {
  const parsed = parseFrontMatter(text);
  if ("error" in parsed || !parsed.data || typeof parsed.data !== "object") return undefined;
  const n = (parsed.data as Record<string, unknown>).number;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The same file with its front matter's `number:` line set to `n` (nothing else changes). */
export function withQuestionNumber(text: string, n: number): string {
  const m = /^(---[ \t]*\r?\n)([^]*?)(\r?\n---[ \t]*(?:\r?\n|$))/.exec(text);
  if (!m) throw new Error("The question file has no front matter.");
  const [whole, open, block, close] = m as unknown as [string, string, string, string];
  if (!/^number:[^\n]*$/m.test(block)) throw new Error("The question file's front matter has no number.");
  const renumbered = block.replace(/^number:[^\r\n]*/m, `number: ${n}`);
  return open + renumbered + close + text.slice(whole.length);
}

export interface Renumbering {
  path: string;
  from: number;
  to: number;
  /** The file with the new number. */
  content: string;
}

/**
 * Which of the change's new question files must be renumbered.
 *
 * `existing`: repository path → number of every question on the target
 * branch (or in the content folder). Only files that do not exist there yet
 * (new questions) are renumbered; two new questions of one change never
 * share a number either.
 */
export function planRenumbering(files: ReadonlyArray<{ path: string; content: string }>, existing: ReadonlyMap<string, number>): Renumbering[] {
  const taken = new Set(existing.values());
  let highest = Math.max(0, ...taken);
  const out: Renumbering[] = [];
  for (const f of files) {
    if (!isQuestionFile(f.path) || existing.has(f.path)) continue;
    const n = questionNumberOf(f.content);
    if (n === undefined) continue;
    if (!taken.has(n)) {
      taken.add(n);
      highest = Math.max(highest, n);
      continue;
    }
    const to = highest + 1;
    highest = to;
    taken.add(to);
    out.push({ path: f.path, from: n, to, content: withQuestionNumber(f.content, to) });
  }
  return out;
}

/** The files with the renumbered ones replaced. */
export function applyRenumbering<F extends { path: string; content: string }>(files: readonly F[], plan: readonly Renumbering[]): F[] {
  const byPath = new Map(plan.map((r) => [r.path, r]));
  return files.map((f) => (byPath.has(f.path) ? { ...f, content: byPath.get(f.path)!.content } : f));
}
