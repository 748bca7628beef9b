/**
 * What a proposal changes, line by line and word by word: on the
 * contributor's status page and in the review screen. Pure; the diffs are
 * jsdiff's (`diff` package, decision record 029): `diffLines` for the lines,
 * `diffWordsWithSpace` inside each changed line paired with its replacement,
 * so a reviewer sees the two words that changed in a paragraph, not two
 * whole paragraphs.
 */
import { diffLines, diffWordsWithSpace } from "diff";

/** A piece of a changed line: `changed` marks the words this side removed (`del`) or added (`add`). */
export interface WordPart {
  text: string;
  changed: boolean;
}

export interface DiffLine {
  type: "same" | "add" | "del";
  text: string;
  /** For a changed line paired with its replacement: the line in pieces, the changed words marked. */
  words?: WordPart[];
}

/** Lines longer than this are compared as whole lines only (word diffs cost more on long lines). */
const MAX_WORD_DIFF_LINE = 4_000;

function splitLines(value: string): string[] {
  return value.replace(/\n$/, "").split("\n");
}

/** Every line ends with a newline, so a missing final newline is not a change of the last line. */
function terminated(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const out: DiffLine[] = [];
  for (const part of diffLines(terminated(before), terminated(after))) {
    const type = part.added ? "add" : part.removed ? "del" : "same";
    for (const text of splitLines(part.value)) out.push({ type, text });
  }
  return markWords(out);
}

/**
 * Pairs each run of removed lines with the added lines that follow it (first with first, ...) and marks
 * the words that differ inside each pair. A pair with nothing in common but spaces stays whole lines.
 */
export function markWords<T extends DiffLine | null>(lines: readonly T[]): T[] {
  const out = [...lines];
  let i = 0;
  while (i < out.length) {
    if (out[i]?.type !== "del") {
      i++;
      continue;
    }
    const delStart = i;
    while (out[i]?.type === "del") i++;
    const addStart = i;
    while (out[i]?.type === "add") i++;
    const pairs = Math.min(addStart - delStart, i - addStart);
    for (let k = 0; k < pairs; k++) {
      const del = out[delStart + k]!;
      const add = out[addStart + k]!;
      if (del.text.length > MAX_WORD_DIFF_LINE || add.text.length > MAX_WORD_DIFF_LINE) continue;
      const parts = diffWordsWithSpace(del.text, add.text);
      if (!parts.some((p) => !p.added && !p.removed && p.value.trim() !== "")) continue;
      const side = (drop: "added" | "removed", keep: "added" | "removed"): WordPart[] =>
        joined(parts.filter((p) => !p[drop]).map((p) => ({ text: p.value, changed: p[keep] })));
      out[delStart + k] = { ...del, words: side("added", "removed") } as T;
      out[addStart + k] = { ...add, words: side("removed", "added") } as T;
    }
  }
  return out;
}

/** One mark for `[a] [single]`: a space between two changed words is changed too; neighbours of a kind merge. */
function joined(parts: WordPart[]): WordPart[] {
  const spaced = parts.map((p, i) =>
    !p.changed && p.text.trim() === "" && parts[i - 1]?.changed && parts[i + 1]?.changed ? { ...p, changed: true } : p,
  );
  const out: WordPart[] = [];
  for (const p of spaced) {
    const last = out.at(-1);
    if (last && last.changed === p.changed) out[out.length - 1] = { text: last.text + p.text, changed: p.changed };
    else out.push(p);
  }
  // Spaces at the edges of a mark belong to the unchanged text around it (`in [a single] query`).
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    if (!p.changed) continue;
    const lead = /^\s*/.exec(p.text)![0];
    const trail = p.text.trim() === "" ? "" : /\s*$/.exec(p.text)![0];
    if (lead && out[i - 1] && lead !== p.text) {
      out[i - 1] = { ...out[i - 1]!, text: out[i - 1]!.text + lead };
      out[i] = { ...out[i]!, text: out[i]!.text.slice(lead.length) };
    }
    if (trail && out[i + 1]) {
      out[i] = { ...out[i]!, text: out[i]!.text.slice(0, -trail.length) };
      out[i + 1] = { ...out[i + 1]!, text: trail + out[i + 1]!.text };
    }
  }
  return out.filter((p) => p.text !== "");
}

/** Keep only changed lines and `context` lines around them; `null` marks a skipped run. */
export function withContext(lines: DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.type === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine | null)[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out.at(-1) !== null) out.push(null);
  });
  if (out.at(-1) === null) out.pop();
  return out;
}

/** A unified-diff-like text (for pull request bodies and logs). */
export function formatDiff(lines: DiffLine[]): string {
  return lines.map((l) => (l.type === "add" ? "+" : l.type === "del" ? "-" : " ") + l.text).join("\n");
}
