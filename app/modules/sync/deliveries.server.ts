/**
 * GitHub webhook delivery ids already handled (`webhook_deliveries`, owned by
 * this module), on the data layer: with PostgreSQL every instance claims in
 * the same table, so the same delivery sent to two instances at once is
 * handled once.
 *
 * A delivery is claimed with ONE atomic statement — INSERT … ON CONFLICT DO
 * NOTHING RETURNING — never "look, then insert": of two racing claims the
 * database lets exactly one row in, and only its claimer does the work.
 */
import type { DataLayer } from "~/modules/db/data.server";

/** How long delivery ids are remembered. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** How often old ids are pruned (per process). */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface DeliveryStore {
  /** True when this call claimed the id (nobody had); false for a delivery already claimed. */
  claim(delivery: string, event: string, at: number): Promise<boolean>;
  /** Records what was done (diagnostics). */
  setOutcome(delivery: string, outcome: string): Promise<void>;
  /** Forgets a claim whose work failed, so GitHub's redelivery can try again. */
  release(delivery: string): Promise<void>;
  /** Whether the id has been claimed (tests, diagnostics). */
  isRecorded(delivery: string): Promise<boolean>;
}

export function createDeliveryStore(data: Pick<DataLayer, "db">): DeliveryStore {
  const { db } = data;
  let lastPrune = Number.NEGATIVE_INFINITY;

  async function prune(now: number): Promise<void> {
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    await db.deleteFrom("webhook_deliveries").where("received_at", "<", now - DELIVERY_RETENTION_MS).execute();
  }

  return {
    async claim(delivery, event, at) {
      await prune(at);
      const row = await db
        .insertInto("webhook_deliveries")
        .values({ delivery_id: delivery, event, received_at: at })
        .onConflict((oc) => oc.column("delivery_id").doNothing())
        .returning("delivery_id")
        .executeTakeFirst();
      return row !== undefined;
    },
    async setOutcome(delivery, outcome) {
      await db.updateTable("webhook_deliveries").set({ outcome }).where("delivery_id", "=", delivery).execute();
    },
    async release(delivery) {
      await db.deleteFrom("webhook_deliveries").where("delivery_id", "=", delivery).execute();
    },
    async isRecorded(delivery) {
      const row = await db.selectFrom("webhook_deliveries").select("delivery_id").where("delivery_id", "=", delivery).executeTakeFirst();
      return row !== undefined;
    },
  };
}
