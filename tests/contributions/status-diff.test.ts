/**
 * The status page shows what a proposal changes: against the file as it was
 * when the proposal was made, not as the content is now (after the merge, or
 * after someone else changed the same file).
 */
import { describe, expect, it } from "vitest";
import { createProposal } from "~/modules/contributions/service.server";
import { fileDiffs } from "~/modules/diff/file-diff";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase } from "~/modules/db/index.server";
import { contentFiles, REPO_FILES } from "./fixtures";
import { editForm, proposalContext } from "./helpers";

const PATH = "content/questions/what-is-middleware/question.md";

async function editProposal() {
  const db = openMemoryDatabase();
  const r = await createProposal(editForm, proposalContext(sqliteDataLayer(db)));
  if (!r.ok) throw new Error(JSON.stringify(r.fieldErrors));
  return r.proposal;
}

function changes(diff: ReturnType<typeof fileDiffs>[number]) {
  return diff.lines.flatMap((l) => (l === null || l.type === "same" ? [] : [`${l.type === "add" ? "+" : "-"} ${l.text}`]));
}

const EXPECTED = [
  "- tags: [http, architecture]",
  "- What is middleware? Name some middleware classes Django provides.",
  "+ tags: [http]",
  "+ What is middleware? Name three middleware classes Django provides and what they do.",
];

describe("the status page's diff", () => {
  it("records the edited file as it was when the proposal was made", async () => {
    const p = await editProposal();
    expect(p.baseFiles).toEqual([{ path: PATH, content: REPO_FILES[PATH] }]);
  });

  it("still shows only the proposal's change after it was merged", async () => {
    const p = await editProposal();
    const merged = contentFiles({ ...REPO_FILES, [PATH]: p.files[0]!.content });
    const [diff] = fileDiffs(p.files, merged, p.baseFiles);
    expect(diff!.status).toBe("modified");
    expect(changes(diff!).sort()).toEqual([...EXPECTED].sort());
    // Without the base it would look like nothing changed.
    expect(changes(fileDiffs(p.files, merged)[0]!)).toEqual([]);
  });

  it("does not show someone else's later change to the same file as reversed by the proposal", async () => {
    const p = await editProposal();
    const later = REPO_FILES[PATH]!.replace("added: 2026-11-25", "added: 2026-11-25\ncredit: Someone Else");
    const [diff] = fileDiffs(p.files, contentFiles({ ...REPO_FILES, [PATH]: later }), p.baseFiles);
    expect(changes(diff!).sort()).toEqual([...EXPECTED].sort());
    expect(changes(diff!).join("\n")).not.toContain("Someone Else");
  });
});
