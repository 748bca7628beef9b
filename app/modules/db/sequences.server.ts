/**
 * Named counters (`sequences`): 1, 2, 3, … per name, never repeated, shared
 * by every instance on PostgreSQL. The local review queue numbers its
 * changes with one (the local review queue's numbers, contributions/store.server.ts).
 */
import type { DataLayer } from "./data.server";

/** Atomically increments and returns the named counter: one INSERT … ON CONFLICT DO UPDATE … RETURNING. */
export async function nextSequenceValue(data: Pick<DataLayer, "db">, name: string): Promise<number> {
  const row = await data.db
    .insertInto("sequences")
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ value: eb("sequences.value", "+", 1) })))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** The counter's current value (0 before its first use). */
export async function currentSequenceValue(data: Pick<DataLayer, "db">, name: string): Promise<number> {
  const row = await data.db.selectFrom("sequences").select("value").where("name", "=", name).executeTakeFirst();
  return Number(row?.value ?? 0);
}

/**
 * Claims the named turn for `now` when nobody took it within the last `everyMs` (the poller: one round per
 * interval for the whole cluster). One statement, INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING: of
 * instances claiming at once exactly one gets it. The counter holds the epoch ms of the last turn.
 */
export async function claimTurn(data: Pick<DataLayer, "db">, name: string, now: number, everyMs: number): Promise<boolean> {
  const row = await data.db
    .insertInto("sequences")
    .values({ name: `turn:${name}`, value: now })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ value: now })
        .where("sequences.value", "<=", now - everyMs),
    )
    .returning("value")
    .executeTakeFirst();
  return row !== undefined;
}
