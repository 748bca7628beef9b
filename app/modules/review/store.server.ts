/**
 * The review side's one write to a proposal besides its status: after a
 * renumbering the stored files (and the number in the fields) become what
 * is merged, so the contributor's status page shows the merged text.
 */
import { addEvent, getProposalRecord } from "~/modules/contributions/store.server";
import type { Database } from "~/modules/db/index.server";
import type { ProposalFile } from "~/modules/forge/types";
import type { Renumbering } from "./renumber";

/**
 * Stores the renumbered files and adds a `renumbered` event per change. Returns `undo`, which puts
 * the proposal back exactly as it was (files, fields, events) — for a merge that fails afterwards.
 */
export function recordRenumbering(db: Database, id: string, files: ProposalFile[], plan: readonly Renumbering[], now: number): { undo(): void } {
  const nothing = { undo() {} };
  if (plan.length === 0) return nothing;
  const proposal = getProposalRecord(db, id);
  if (!proposal) return nothing;
  const before = db.prepare("SELECT files, fields, updated_at FROM proposals WHERE id = ?").get(id) as { files: string; fields: string; updated_at: string };
  const fields = { ...proposal.fields };
  if (proposal.kind === "question" && plan[0]) fields.number = plan[0].to;
  const at = new Date(now).toISOString();
  const lastEvent = () => (db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM proposal_events").get() as { id: number }).id;
  let after = 0;
  db.transaction(() => {
    after = lastEvent();
    db.prepare("UPDATE proposals SET files = ?, fields = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(files), JSON.stringify(fields), at, id);
    for (const r of plan) {
      addEvent(db, id, "renumbered", `Question number ${r.from} was taken by another question meanwhile: renumbered to ${r.to}.`, at);
    }
  })();
  return {
    undo() {
      db.transaction(() => {
        db.prepare("UPDATE proposals SET files = ?, fields = ?, updated_at = ? WHERE id = ?").run(before.files, before.fields, before.updated_at, id);
        db.prepare("DELETE FROM proposal_events WHERE proposal_id = ? AND type = 'renumbered' AND id > ?").run(id, after);
      })();
    },
  };
}
