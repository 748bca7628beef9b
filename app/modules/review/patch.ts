/**
 * GitHub's per-file `patch` (unified diff hunks, from `GET pulls/{n}/files`)
 * → the diff lines the review screen shows, the same shape the local line
 * diff produces, changed words marked. Pure.
 */
import { markWords, type DiffLine } from "~/modules/diff/line-diff";

/** Diff lines of a patch; `null` stands for the gap between two hunks. */
export function patchToLines(patch: string | undefined): (DiffLine | null)[] {
  if (!patch) return [];
  const out: (DiffLine | null)[] = [];
  let hunks = 0;
  for (const line of patch.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.startsWith("@@")) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
      // A gap before every hunk that does not start the file.
      if (hunks > 0 || (m && (m[1] !== "1" || m[2] !== "1") && m[1] !== "0")) out.push(null);
      hunks++;
      continue;
    }
    if (line.startsWith("\\")) continue; // "\ No newline at end of file"
    if (line.startsWith("+")) out.push({ type: "add", text: line.slice(1) });
    else if (line.startsWith("-")) out.push({ type: "del", text: line.slice(1) });
    else if (line.startsWith(" ")) out.push({ type: "same", text: line.slice(1) });
    else if (line === "" && hunks > 0) continue;
  }
  return markWords(out);
}
