/**
 * What each changed file of a proposal or a change does, line by line: the
 * contributor's status page and the review screen show the same diff. Pure.
 */
import { toContentPath } from "../contract";
import type { ContentFile } from "../validation/types";
import { lineDiff, withContext, type DiffLine } from "./line-diff";

export interface FileDiff {
  /** Repository path. */
  path: string;
  status: "added" | "modified";
  /** `null` marks skipped unchanged lines. */
  lines: (DiffLine | null)[];
}

/**
 * Each file against `base` (the files as they were when the proposal was made; `content: null` for a
 * new file) when given, else against the content as it is now (`current`, content-relative paths).
 * A file equal to what it is compared with is shown whole; otherwise its changes with 3 lines of context.
 */
export function fileDiffs(
  files: readonly { path: string; content: string }[],
  current: readonly ContentFile[],
  base?: readonly { path: string; content: string | null }[] | null,
): FileDiff[] {
  const decoder = new TextDecoder();
  const byPath = new Map(current.map((f) => [f.path, f]));
  const baseByPath = base ? new Map(base.map((f) => [f.path, f.content])) : undefined;
  return files.map((f) => {
    let before: string | undefined;
    if (baseByPath?.has(f.path)) {
      before = baseByPath.get(f.path) ?? undefined;
    } else {
      const existing = byPath.get(toContentPath(f.path));
      before = existing ? decoder.decode(existing.bytes) : undefined;
    }
    const lines = lineDiff(before ?? "", f.content);
    const unchanged = lines.every((l) => l.type === "same");
    return {
      path: f.path,
      status: before === undefined ? "added" : "modified",
      lines: before !== undefined && !unchanged ? withContext(lines, 3) : lines,
    };
  });
}
