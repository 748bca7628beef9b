/**
 * A line diff (longest common subsequence), for showing what a proposal
 * changes: on the contributor's status page and in the review screen.
 * Pure; inputs are at most a few hundred lines (files are ≤ 20 KB).
 */
export interface DiffLine {
  type: "same" | "add" | "del";
  text: string;
}

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  // Trim the common head and tail: most edits touch a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ type: "same", text }));

  if ((am.length + 1) * (bm.length + 1) > MAX_CELLS) {
    out.push(...am.map((text) => ({ type: "del" as const, text })), ...bm.map((text) => ({ type: "add" as const, text })));
  } else {
    const n = am.length;
    const m = bm.length;
    // lcs[i][j] = LCS length of am[i:] and bm[j:]
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (am[i] === bm[j]) {
        out.push({ type: "same", text: am[i]! });
        i++;
        j++;
      } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ type: "del", text: am[i++]! });
      else out.push({ type: "add", text: bm[j++]! });
    }
    while (i < n) out.push({ type: "del", text: am[i++]! });
    while (j < m) out.push({ type: "add", text: bm[j++]! });
  }
  out.push(...a.slice(a.length - tail).map((text) => ({ type: "same" as const, text })));
  return out;
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
