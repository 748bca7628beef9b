/**
 * The review side's one write to a proposal besides its status: after a
 * renumbering the stored files (and the number in the fields) become what
 * is merged, so the contributor's status page shows the merged text.
 */
import { addEvent, getProposalRecord } from "~/modules/contributions/store.server";
import type { Database } from "~/modules/db/index.server";
import type { ProposalFile } from "~/modules/forge/types";
import type { Renumbering } from "./renumber";

export function recordRenumbering(db: Database, id: string, files: ProposalFile[], plan: readonly Renumbering[], now: number): void {
  if (plan.length === 0) return;
  const proposal = getProposalRecord(db, id);
  if (!proposal) return;
  const fields = { ...proposal.fields };
  if (proposal.kind === "question" && plan[0]) fields.number = plan[0].to;
  const at = new Date(now).toISOString();
  db.transaction(() => {
    db.prepare("UPDATE proposals SET files = ?, fields = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(files), JSON.stringify(fields), at, id);
    for (const r of plan) {
      addEvent(db, id, "renumbered", `Question number ${r.from} was taken by another question meanwhile: renumbered to ${r.to}.`, at);
    }
  })();
}
