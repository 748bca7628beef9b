/**
 * Rate limits per key (the client's address): `rate-limiter-flexible`, with
 * its counters in the data layer's `rate_limits` table (owned by this
 * module) — SQLite's file on the embedded default, PostgreSQL with
 * DATABASE_URL, so the limit is the same whichever instance answers.
 *
 * A fixed window per key: the first counted attempt opens a window of
 * `windowMs`; at most `limit` attempts count in it; it ends `windowMs` after
 * it opened. Should PostgreSQL fail, each instance falls back to counting in
 * its own memory (rate-limiter-flexible's insurance limiter) rather than
 * refusing or failing the request.
 */
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
  type RateLimiterStoreAbstract,
} from "rate-limiter-flexible";
import type { DataLayer } from "~/modules/db/data.server";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimitSpec {
  /** Names the limiter's keys (`<name>:<key>`), so limiters share one table. */
  name: string;
  /** Attempts per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one attempt; returns whether it is allowed and, if not, when to retry. */
  attempt(key: string): Promise<RateDecision>;
  /** Whether one more attempt would be allowed, without counting it. */
  check(key: string): Promise<RateDecision>;
  /** Counts one attempt. */
  record(key: string): Promise<void>;
}

export const RATE_LIMIT_TABLE = "rate_limits";

function refused(res: RateLimiterRes): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

function wrap(spec: RateLimitSpec, limiter: RateLimiterAbstract, afterRecord: () => void = () => undefined): RateLimiter {
  return {
    name: spec.name,
    limit: spec.limit,
    windowMs: spec.windowMs,
    async attempt(key) {
      try {
        await limiter.consume(key);
        afterRecord();
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return refused(error);
        throw error;
      }
    },
    async check(key) {
      const res = await limiter.get(key);
      return res && res.consumedPoints >= spec.limit ? refused(res) : { allowed: true };
    },
    async record(key) {
      await limiter.penalty(key, 1);
      afterRecord();
    },
  };
}

function options(spec: RateLimitSpec) {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new Error(`rate limit name "${spec.name}": lower-case letters, digits and dashes`);
  return { keyPrefix: spec.name, points: spec.limit, duration: spec.windowMs / 1000 };
}

/** Counts in this process's memory only (tests; nothing shared). */
export function memoryRateLimiter(spec: RateLimitSpec): RateLimiter {
  return wrap(spec, new RateLimiterMemory(options(spec)));
}

/** Windows that ended this long ago are deleted. */
const PRUNE_AFTER_MS = 60 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const lastPrune = new WeakMap<object, number>();

/** Deletes the rows of windows that ended an hour ago or more (at most every 10 minutes per data layer). */
function pruneSoon(data: DataLayer): void {
  const now = Date.now();
  if (now - (lastPrune.get(data) ?? 0) < PRUNE_EVERY_MS) return;
  lastPrune.set(data, now);
  void data.db
    .deleteFrom("rate_limits")
    .where("expire", "<", now - PRUNE_AFTER_MS)
    .execute()
    .catch(() => undefined); // pruning can wait for the next round
}

/** Counts in the data layer's `rate_limits` table: every instance on one PostgreSQL shares the counts. */
export function createRateLimiter(data: DataLayer, spec: RateLimitSpec): RateLimiter {
  const common = { ...options(spec), tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false };
  let store: RateLimiterStoreAbstract;
  if (data.dialect === "postgres") {
    store = new RateLimiterPostgres({
      ...common,
      storeClient: data.pool,
      storeType: "pool",
      // PostgreSQL unreachable: count in memory meanwhile rather than fail every form.
      insuranceLimiter: new RateLimiterMemory(options(spec)),
    });
  } else {
    store = new RateLimiterSQLite({ ...common, storeClient: data.sqlite, storeType: "better-sqlite3" });
  }
  return wrap(spec, store, () => pruneSoon(data));
}

/** The site's limiters, from the configuration. */
export function siteRateLimiters(
  data: DataLayer,
  env: { PROPOSAL_RATE_LIMIT: number; PROPOSAL_RATE_WINDOW: number },
): { proposalLimiter: RateLimiter; sendLimiter: RateLimiter; previewLimiter: RateLimiter; signInLimiter: RateLimiter } {
  const windowMs = env.PROPOSAL_RATE_WINDOW * 1000;
  return {
    proposalLimiter: createRateLimiter(data, { name: "proposal", limit: env.PROPOSAL_RATE_LIMIT, windowMs }),
    sendLimiter: createRateLimiter(data, { name: "send", limit: env.PROPOSAL_RATE_LIMIT * 6, windowMs }),
    previewLimiter: createRateLimiter(data, { name: "preview", limit: 240, windowMs: 60_000 }),
    signInLimiter: createRateLimiter(data, SIGN_IN_LIMIT),
  };
}

/** Maintainer token sign-in attempts per client: 10 per 15 minutes. */
export const SIGN_IN_LIMIT: RateLimitSpec = { name: "sign-in", limit: 10, windowMs: 15 * 60_000 };
