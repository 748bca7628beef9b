import { describe, expect, it } from "vitest";
import { lineDiff, withContext } from "~/modules/diff/line-diff";
import { patchToLines } from "./patch";

describe("patchToLines (GitHub's per-file patch)", () => {
  it("reads a new file's patch as added lines", () => {
    expect(patchToLines("@@ -0,0 +1,2 @@\n+---\n+number: 70")).toEqual([
      { type: "add", text: "---" },
      { type: "add", text: "number: 70" },
    ]);
  });

  it("reads context, removed and added lines, skips the no-newline marker, marks gaps between hunks", () => {
    const patch = "@@ -1,3 +1,3 @@\n ---\n-number: 70\n+number: 71\n\\ No newline at end of file\n@@ -20,2 +20,2 @@\n a\n-b\n+c";
    expect(patchToLines(patch)).toMatchObject([
      { type: "same", text: "---" },
      { type: "del", text: "number: 70" },
      { type: "add", text: "number: 71" },
      null,
      { type: "same", text: "a" },
      { type: "del", text: "b" },
      { type: "add", text: "c" },
    ]);
  });

  it("marks the changed words of a replaced line, as the local diff does", () => {
    const [, del, add] = patchToLines("@@ -1,2 +1,2 @@\n ---\n-number: 70\n+number: 71");
    expect(del?.words).toEqual([
      { text: "number: ", changed: false },
      { text: "70", changed: true },
    ]);
    expect(add?.words?.find((w) => w.changed)?.text).toBe("71");
  });

  it("marks a gap before a first hunk that starts inside the file", () => {
    expect(patchToLines("@@ -10,2 +10,2 @@\n x\n-y\n+z")[0]).toBeNull();
  });

  it("gives nothing for a binary or empty patch", () => {
    expect(patchToLines(undefined)).toEqual([]);
  });
});

describe("the local line diff the review screen shows", () => {
  it("shows only the changed lines of an edit, with context", () => {
    const before = ["---", "number: 1", "title: Old", "---", ...Array.from({ length: 20 }, (_, i) => `line ${i}`)].join("\n") + "\n";
    const after = before.replace("title: Old", "title: New");
    const lines = withContext(lineDiff(before, after), 3);
    expect(lines.filter((l) => l?.type === "del")).toMatchObject([{ type: "del", text: "title: Old" }]);
    expect(lines.filter((l) => l?.type === "add")).toMatchObject([{ type: "add", text: "title: New" }]);
    // Lines far from the change are left out.
    expect(lines.some((l) => l?.text === "line 10")).toBe(false);
    expect(lines.length).toBeLessThan(12);
  });
});
