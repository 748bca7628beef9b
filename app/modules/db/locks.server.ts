/**
 * Named locks held across instances: PostgreSQL session advisory locks
 * (`pg_advisory_lock` on the 64-bit hash of the name), or — on SQLite, one
 * instance — an in-process mutex.
 *
 *   await locks.withLock("review-merge", async () => …)        waits for the lock (up to a timeout)
 *   const r = await locks.tryLock("poll-round", async () => …)  r.acquired false: another instance has it
 *
 * Within one process the same name is also queued in memory first, so
 * waiting callers never hold more than one pooled connection per name. The
 * PostgreSQL lock belongs to the connection that took it: when an instance
 * dies, the server ends its session and the lock is free again.
 */
import type pg from "pg";
import type { DataLayer } from "./data.server";

export class LockTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`Another action holds "${name}" (waited ${Math.round(ms / 1000)} s): try again in a moment.`);
    this.name = "LockTimeoutError";
  }
}

export type TryLockResult<T> = { acquired: true; value: T } | { acquired: false };

export interface Locks {
  /** Runs `fn` holding the named lock, waiting at most `timeoutMs` (default 60 s) for it. */
  withLock<T>(name: string, fn: () => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /** Runs `fn` holding the named lock when it is free now; `{ acquired: false }` when someone holds it. */
  tryLock<T>(name: string, fn: () => Promise<T>): Promise<TryLockResult<T>>;
}

/** An in-process mutex per name. */
function memoryLocks(): Locks & { busy(name: string): boolean } {
  const tails = new Map<string, Promise<void>>();
  const held = new Set<string>();

  async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    tails.set(name, tail);
    await previous;
    held.add(name);
    try {
      return await fn();
    } finally {
      held.delete(name);
      release();
      if (tails.get(name) === tail) tails.delete(name);
    }
  }

  return {
    withLock,
    busy: (name) => held.has(name) || tails.has(name),
    async tryLock(name, fn) {
      if (tails.has(name)) return { acquired: false };
      return { acquired: true, value: await withLock(name, fn) };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLocks(data: DataLayer): Locks {
  const local = memoryLocks();
  if (data.dialect === "sqlite") return local;
  const pool = data.pool;

  async function take(client: pg.PoolClient, name: string): Promise<boolean> {
    const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [`dq:${name}`]);
    return r.rows[0]?.ok === true;
  }

  async function holding<T>(client: pg.PoolClient, name: string, fn: () => Promise<T>): Promise<T> {
    let broken: unknown;
    try {
      return await fn();
    } finally {
      try {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`dq:${name}`]);
      } catch (error) {
        broken = error; // the session ends with the connection: the server frees the lock
      }
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  return {
    withLock(name, fn, options = {}) {
      const timeoutMs = options.timeoutMs ?? 60_000;
      return local.withLock(name, async () => {
        const client = await pool.connect();
        const start = Date.now();
        try {
          for (let wait = 25; !(await take(client, name)); wait = Math.min(250, wait * 2)) {
            if (Date.now() - start > timeoutMs) throw new LockTimeoutError(name, timeoutMs);
            await sleep(wait);
          }
        } catch (error) {
          client.release();
          throw error;
        }
        return holding(client, name, fn);
      });
    },
    async tryLock(name, fn) {
      if (local.busy(name)) return { acquired: false };
      const result = await local.tryLock(name, async (): Promise<TryLockResult<Awaited<ReturnType<typeof fn>>>> => {
        const client = await pool.connect();
        let got = false;
        try {
          got = await take(client, name);
        } finally {
          if (!got) client.release();
        }
        if (!got) return { acquired: false };
        return { acquired: true, value: await holding(client, name, fn) };
      });
      return result.acquired ? result.value : { acquired: false };
    },
  };
}
