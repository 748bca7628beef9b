/**
 * The outbox: delivers queued proposals to the forge in the background.
 *
 * A proposal is written to the database (status `queued`) before any forge
 * call. The worker takes due proposals one at a time under a lease, calls
 * `forge.deliver` (idempotent, resumable through the progress store) and
 * records the outcome:
 *
 * - delivered → `opened` (number, url, branch);
 * - transient error (5xx, timeout, network) → retried with exponential
 *   backoff and jitter, capped at one hour;
 * - rate limited → retried when GitHub says (`retry-after`, `x-ratelimit-reset`);
 * - configuration error (bad token, no access, repository not found) or a
 *   permanent refusal → `failed` with a human reason; `retryProposal` once fixed.
 *
 * After a restart, attempts left in flight are released and retried.
 */
import type { Database } from "~/modules/db/index.server";
import { classifyError } from "~/modules/forge/errors";
import type { Forge } from "~/modules/forge/types";
import {
  claimProposal,
  dueProposalIds,
  forgetExpiredUserTokens,
  getProposalRecord,
  markFailed,
  markOpened,
  nextDueTime,
  progressStore,
  readUserToken,
  releaseInterruptedAttempts,
  requeue,
  scheduleRetry,
  toDeliverable,
} from "./store.server";

export interface OutboxLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface OutboxOptions {
  db: Database;
  forge: Pick<Forge, "name" | "texts" | "deliver">;
  /** How often the worker looks for due proposals. Default 15 s. */
  intervalMs?: number;
  log?: OutboxLog;
  /** First retry delay. Default 30 s; doubles on every attempt. */
  baseDelayMs?: number;
  /** Longest delay between attempts. Default 1 h. */
  maxDelayMs?: number;
  /** After this many failed attempts in a row the proposal is marked failed. Default 30 (days of retrying). */
  maxAttempts?: number;
  /** How long one attempt may hold a proposal before another worker may take it. Default 10 min. */
  leaseMs?: number;
  /** Clock (tests). */
  now?: () => number;
  /** Random in [0, 1) for the jitter (tests). */
  random?: () => number;
  /** Release attempts left in flight by a previous process. Default true. */
  recover?: boolean;
}

export interface Outbox {
  /** Stops the timer; resolves when the attempt in progress (if any) has finished. */
  stop(): Promise<void>;
  /** Looks for due proposals now (after a new proposal, a retry request). */
  kick(): void;
  /** Delivers everything due now, including retries that fall due meanwhile; resolves when none is left (tests). */
  drain(): Promise<void>;
}

const consoleLog: OutboxLog = {
  info: (m, d) => console.info(`[outbox] ${m}`, d ?? ""),
  warn: (m, d) => console.warn(`[outbox] ${m}`, d ?? ""),
  error: (m, d) => console.error(`[outbox] ${m}`, d ?? ""),
};

/**
 * Delay before attempt `attempt + 1`: base × 2^(attempt − 1), capped, with
 * "equal jitter" (between half and all of it) so retries of many proposals
 * do not hit the forge together.
 */
export function backoffDelay(attempt: number, random: number, baseMs = 30_000, capMs = 3_600_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random)));
}

function describeDelay(ms: number): string {
  if (ms < 1500) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 5_400_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function startOutbox(options: OutboxOptions): Outbox {
  const {
    db,
    forge,
    intervalMs = 15_000,
    log = consoleLog,
    baseDelayMs = 30_000,
    maxDelayMs = 3_600_000,
    maxAttempts = 30,
    leaseMs = 600_000,
    now = Date.now,
    random = Math.random,
  } = options;

  if (options.recover !== false) {
    const recovered = releaseInterruptedAttempts(db, now());
    if (recovered.length > 0) log.warn("retrying attempts interrupted by a restart", { proposals: recovered });
  }

  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  async function attempt(id: string): Promise<void> {
    const start = now();
    if (!claimProposal(db, id, start, start + leaseMs, forge.name, forge.texts.name)) return;
    const proposal = getProposalRecord(db, id);
    if (!proposal) return;
    const progress = progressStore(db, id, now);
    const userToken = readUserToken(db, id);
    try {
      const result = await forge.deliver(toDeliverable(proposal), progress, userToken ? { userToken } : {});
      markOpened(db, id, result, now());
      log.info("proposal delivered", { id, number: result.number, url: result.url, ...(result.state ? { state: result.state } : {}) });
    } catch (error) {
      const at = now();
      const c = classifyError(error, at);
      if (c.kind === "transient" && proposal.attempts >= maxAttempts) {
        const reason = `Gave up after ${proposal.attempts} attempts. Last error: ${c.message}`;
        markFailed(db, id, reason, at);
        log.error("proposal delivery failed for good", { id, reason });
      } else if (c.kind === "transient") {
        const delay = backoffDelay(proposal.attempts, random(), baseDelayMs, maxDelayMs);
        scheduleRetry(db, id, at + delay, c.message, "retry-scheduled", `${c.message} — retrying in ${describeDelay(delay)}.`, at);
        log.warn("proposal delivery failed; will retry", { id, attempt: proposal.attempts, delayMs: delay, error: c.message });
      } else if (c.kind === "rate-limited") {
        // Wait for the reset, plus a little jitter so queued proposals do not all fire at once.
        const retryAt = Math.max(c.retryAt ?? at + 60_000, at + 1000) + Math.round(random() * 1000);
        scheduleRetry(
          db,
          id,
          retryAt,
          c.message,
          "rate-limited",
          `${c.message} — waiting until ${new Date(retryAt).toISOString()}.`,
          at,
        );
        log.warn("forge rate limit; waiting", { id, until: new Date(retryAt).toISOString() });
      } else {
        // A configuration failure keeps a signed-in contributor's token for the retry after the fix (bounded).
        markFailed(db, id, c.message, at, { keepUserToken: c.kind === "config" });
        log.error("proposal delivery failed; fix the cause and retry it", { id, reason: c.message });
      }
    }
  }

  /** One pass: every proposal due now, one at a time. */
  async function pass(): Promise<number> {
    let delivered = 0;
    const forgotten = forgetExpiredUserTokens(db, now());
    if (forgotten.length > 0) log.info("forgot the GitHub sign-in of failed proposals after the grace period", { proposals: forgotten });
    const seen = new Set<string>();
    for (;;) {
      if (stopped) return delivered;
      const ids = dueProposalIds(db, now(), 20).filter((id) => !seen.has(id));
      if (ids.length === 0) return delivered;
      for (const id of ids) {
        if (stopped) return delivered;
        seen.add(id);
        try {
          await attempt(id);
        } catch (error) {
          // Database trouble: log it; the lease expires and another pass retries.
          log.error("outbox attempt crashed", { id, error: error instanceof Error ? error.message : String(error) });
        }
        delivered++;
      }
    }
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again && !stopped);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const timer = setInterval(() => {
    if (!stopped) void run();
  }, intervalMs);
  timer.unref?.();
  queueMicrotask(() => {
    if (!stopped) void run();
  });

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    kick() {
      if (!stopped) void run();
    },
    async drain() {
      // Keep going while proposals fall due (retries scheduled in the past by a test clock).
      for (let i = 0; i < 1000; i++) {
        if (running) await running;
        await run();
        const next = nextDueTime(db);
        if (next === undefined || next > now() || stopped) return;
        if (dueProposalIds(db, now(), 1).length === 0) return;
      }
    },
  };
}

/**
 * Puts a failed proposal back in the queue (after fixing the token, the
 * repository or the network) and nudges the outbox.
 */
export function retryProposal(db: Database, id: string, outbox?: Pick<Outbox, "kick">, now: number = Date.now()): boolean {
  const ok = requeue(db, id, now, "Retry requested: delivering again.");
  if (ok) outbox?.kick();
  return ok;
}
