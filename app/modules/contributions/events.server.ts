/**
 * Listeners of proposal status changes: the one hook where the proposal store
 * tells the rest of the app that a proposal moved (delivered, changes
 * requested, revised, merged, closed, failed, queued again).
 *
 * The store calls `emitStatusChange` inside the transaction that records the
 * change and its timeline event, so what a listener writes with that
 * transaction (a queued mail) exists exactly when the change does; after the
 * commit it calls `afterCommit` (nudge a worker). Listeners are registered per
 * database handle (the data layer's Kysely instance), so two apps — or two
 * tests — in one process never hear each other's proposals.
 */
import type { Kysely } from "kysely";
import type { DataSchema } from "~/modules/db/schema";

export interface ProposalStatusChange {
  proposal: {
    id: string;
    kind: "question" | "answer" | "edit";
    title: string;
    slug: string;
    contributor: { name: string; github?: string; email?: string };
    prUrl: string | null;
  };
  /** The status before (null: unknown). */
  from: string | null;
  to: string;
  /** The timeline event that records the change (one mail per event id). */
  event: { id: number | string; type: string; detail: string };
  /** Epoch milliseconds. */
  at: number;
}

export interface ProposalStatusListener {
  /** Runs inside the store's transaction (`trx`): a failure rolls the change back. */
  inTransaction?(change: ProposalStatusChange, trx: Kysely<DataSchema>): Promise<void>;
  /** Runs after the transaction committed; errors are the listener's own business. */
  afterCommit?(change: ProposalStatusChange): void;
}

const listeners = new WeakMap<object, Set<ProposalStatusListener>>();

/** Listens to the status changes of the proposals stored in `data.db`; returns the unsubscribe. */
export function onProposalStatusChange(data: { db: Kysely<DataSchema> }, listener: ProposalStatusListener): () => void {
  let set = listeners.get(data.db);
  if (!set) listeners.set(data.db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Whether anyone listens to `db` (the store skips reading what it would tell nobody). */
export function hasStatusListeners(db: Kysely<DataSchema>): boolean {
  return (listeners.get(db)?.size ?? 0) > 0;
}

/**
 * For the store: inside its transaction, tells the listeners of `db` (the handle the change was
 * made through, not the transaction). Returns what to run after the commit.
 */
export async function emitStatusChange(db: Kysely<DataSchema>, trx: Kysely<DataSchema>, change: ProposalStatusChange): Promise<() => void> {
  const set = [...(listeners.get(db) ?? [])];
  for (const l of set) await l.inTransaction?.(change, trx);
  return () => {
    for (const l of set) {
      try {
        l.afterCommit?.(change);
      } catch {
        // A listener's after-commit nudge never undoes or fails the change.
      }
    }
  };
}
