import { describe, expect, it } from "vitest";
import { formatDiff, lineDiff, withContext } from "./line-diff";

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
  });

  it("finds the longest common subsequence, not just the common ends", () => {
    const d = lineDiff("1\n2\n3\n4\n5", "0\n2\n3\n9\n5");
    expect(d.filter((l) => l.type === "same").map((l) => l.text)).toEqual(["2", "3", "5"]);
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
