import { describe, expect, it } from "vitest";
import { formatDiff, lineDiff, withContext, type DiffLine } from "./line-diff";

function marked(line: DiffLine | undefined): string {
  return (line?.words ?? []).map((w) => (w.changed ? `[${w.text}]` : w.text)).join("");
}

describe("lineDiff", () => {
  it("shows a changed line as one deletion and one addition, keeping the rest", () => {
    const d = lineDiff("a\nb\nc\n", "a\nB\nc\n");
    expect(formatDiff(d)).toBe(" a\n-b\n+B\n c");
  });

  it("handles insertions, deletions and empty sides", () => {
    expect(formatDiff(lineDiff("a\nc", "a\nb\nc"))).toBe(" a\n+b\n c");
    expect(formatDiff(lineDiff("a\nb\nc", "a\nc"))).toBe(" a\n-b\n c");
    expect(formatDiff(lineDiff("", "x\ny"))).toBe("+x\n+y");
    expect(formatDiff(lineDiff("x", ""))).toBe("-x");
    expect(formatDiff(lineDiff("a\nb", "a\nb\n"))).toBe(" a\n b");
  });

  it("finds the longest common subsequence, not just the common ends", () => {
    const d = lineDiff("1\n2\n3\n4\n5", "0\n2\n3\n9\n5");
    expect(d.filter((l) => l.type === "same").map((l) => l.text)).toEqual(["2", "3", "5"]);
  });

  it("marks the changed words of a changed line, on both sides", () => {
    const before = "---\ntitle: What does select_related do?\n---\nIt follows foreign keys in one query, with a JOIN.\n";
    const after = "---\ntitle: What does select_related do?\n---\nIt follows foreign keys in a single query, with a JOIN.\n";
    const d = lineDiff(before, after);
    const del = d.find((l) => l.type === "del");
    const add = d.find((l) => l.type === "add");
    expect(marked(del)).toBe("It follows foreign keys in [one] query, with a JOIN.");
    expect(marked(add)).toBe("It follows foreign keys in [a single] query, with a JOIN.");
    // The unchanged lines carry no word marks.
    expect(d.filter((l) => l.type === "same").every((l) => l.words === undefined)).toBe(true);
  });

  it("leaves a replaced line with nothing in common as a whole line", () => {
    const d = lineDiff("alpha beta\n", "gamma delta\n");
    expect(d.every((l) => l.words === undefined)).toBe(true);
  });

  it("keeps only context around changes when asked", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "LINE 10");
    const ctx = withContext(lineDiff(before, after), 2);
    expect(ctx[0]).toBeNull();
    expect(ctx.filter(Boolean).map((l) => l!.text)).toEqual(["line 8", "line 9", "line 10", "LINE 10", "line 11", "line 12"]);
    expect(ctx.at(-1)).not.toBeNull();
  });
});
