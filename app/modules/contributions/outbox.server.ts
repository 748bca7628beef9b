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
 * The lease names its owner (one random id per outbox) and lapses unless
 * renewed: while `forge.deliver` runs, the owner renews it every third of its
 * length. A process that dies mid-delivery stops renewing, and once the lease
 * has lapsed any instance takes the proposal (on PostgreSQL the claim is
 * `FOR UPDATE SKIP LOCKED`, so instances never take the same one at once).
 * Delivery is idempotent (the forge finds the pull request an earlier attempt
 * opened by its marker), so claiming at least once never opens two.
 *
 * SQLite is the single-instance default: at start, attempts left in flight by
 * the previous process are released and retried at once. PostgreSQL never does
 * that — a lease in flight there may be a live sibling's.
 */
import { randomUUID } from "node:crypto";
import { startRepeatingPass } from "~/modules/process/repeating-pass.server";
import { classifyError } from "~/modules/forge/errors";
import type { Forge } from "~/modules/forge/types";
import {
  claimNextProposal,
  dueProposalIds,
  forgetExpiredUserTokens,
  markFailed,
  markOpened,
  nextDueTime,
  progressStore,
  readUserToken,
  releaseInterruptedAttempts,
  renewLease,
  requeue,
  scheduleRetry,
  toDeliverable,
  type Lease,
  type Proposal,
  type ProposalData,
} from "./store.server";

export interface OutboxLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface OutboxOptions {
  /** The data layer holding the proposals. */
  data: ProposalData;
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
  /**
   * How long a claim holds a proposal unless renewed (renewed every third of it while delivering); once
   * it lapses another worker may take the proposal. Default 60 s.
   */
  leaseMs?: number;
  /** The lease owner's id (default: a random one per outbox). */
  owner?: string;
  /** Clock (tests). */
  now?: () => number;
  /** Random in [0, 1) for the jitter (tests). */
  random?: () => number;
  /** Release attempts left in flight by a previous process. Default: on SQLite (one instance) only. */
  recover?: boolean;
  /** Tells the other instances that there is work (`kick`): PostgreSQL's NOTIFY (db/bus.server.ts). */
  announce?: () => void;
}

export interface Outbox {
  /** Stops the timer; resolves when the attempt in progress (if any) has finished. */
  stop(): Promise<void>;
  /** Looks for due proposals now (after a new proposal, a retry request), and tells the other instances. */
  kick(): void;
  /** Looks for due proposals now, told by another instance (not announced again). */
  wake(): void;
  /** This outbox's lease owner id. */
  readonly owner: string;
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
    data,
    forge,
    intervalMs = 15_000,
    log = consoleLog,
    baseDelayMs = 30_000,
    maxDelayMs = 3_600_000,
    maxAttempts = 30,
    leaseMs = 60_000,
    now = Date.now,
    random = Math.random,
  } = options;
  const owner = options.owner ?? `outbox-${randomUUID()}`;

  /** Whether the outbox was stopped (`passes`, below, runs the passes). */
  const stopped = () => passes.stopped;

  const recovering =
    (options.recover ?? data.dialect === "sqlite")
      ? releaseInterruptedAttempts(data, now()).then(
          (recovered) => {
            if (recovered.length > 0) log.warn("retrying attempts interrupted by a restart", { proposals: recovered });
          },
          (error: unknown) => log.error("could not release interrupted attempts", { error: error instanceof Error ? error.message : String(error) }),
        )
      : Promise.resolve();

  /** Renews the lease every third of its length until `done` is called. */
  function keepLease(id: string): () => void {
    const timer = setInterval(() => {
      const lease: Lease = { owner, until: now() + leaseMs };
      renewLease(data, id, lease).then(
        (held) => {
          if (!held) log.warn("the delivery's lease was lost (it lapsed and another worker took it, or the proposal was decided)", { id });
        },
        (error: unknown) => log.warn("could not renew the delivery's lease", { id, error: error instanceof Error ? error.message : String(error) }),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async function attempt(proposal: Proposal): Promise<void> {
    const id = proposal.id;
    const progress = await progressStore(data, id, now);
    const userToken = await readUserToken(data, id);
    const release = keepLease(id);
    try {
      let result;
      try {
        result = await forge.deliver(toDeliverable(proposal), progress, userToken ? { userToken } : {});
      } finally {
        release();
      }
      await markOpened(data, id, result, now());
      log.info("proposal delivered", { id, number: result.number, url: result.url, ...(result.state ? { state: result.state } : {}) });
    } catch (error) {
      const at = now();
      const c = classifyError(error, at);
      if (c.kind === "transient" && proposal.attempts >= maxAttempts) {
        const reason = `Gave up after ${proposal.attempts} attempts. Last error: ${c.message}`;
        await markFailed(data, id, reason, at);
        log.error("proposal delivery failed for good", { id, reason });
      } else if (c.kind === "transient") {
        const delay = backoffDelay(proposal.attempts, random(), baseDelayMs, maxDelayMs);
        await scheduleRetry(data, id, at + delay, c.message, "retry-scheduled", `${c.message} — retrying in ${describeDelay(delay)}.`, at);
        log.warn("proposal delivery failed; will retry", { id, attempt: proposal.attempts, delayMs: delay, error: c.message });
      } else if (c.kind === "rate-limited") {
        // Wait for the reset, plus a little jitter so queued proposals do not all fire at once.
        const retryAt = Math.max(c.retryAt ?? at + 60_000, at + 1000) + Math.round(random() * 1000);
        await scheduleRetry(data, id, retryAt, c.message, "rate-limited", `${c.message} — waiting until ${new Date(retryAt).toISOString()}.`, at);
        log.warn("forge rate limit; waiting", { id, until: new Date(retryAt).toISOString() });
      } else {
        // A configuration failure keeps a signed-in contributor's token for the retry after the fix (bounded).
        await markFailed(data, id, c.message, at, { keepUserToken: c.kind === "config" });
        log.error("proposal delivery failed; fix the cause and retry it", { id, reason: c.message });
      }
    }
  }

  /** One pass: every proposal due now, one at a time, each claimed under this outbox's lease. */
  async function pass(): Promise<number> {
    await recovering;
    let delivered = 0;
    const forgotten = await forgetExpiredUserTokens(data, now());
    if (forgotten.length > 0) log.info("forgot the GitHub sign-in of failed proposals after the grace period", { proposals: forgotten });
    const seen: string[] = [];
    for (;;) {
      if (stopped()) return delivered;
      const start = now();
      const claimed = await claimNextProposal(data, start, { owner, until: start + leaseMs }, forge.name, forge.texts.name, seen);
      if (!claimed) return delivered;
      seen.push(claimed.id);
      try {
        await attempt(claimed);
      } catch (error) {
        // Database trouble: log it; the lease lapses and another pass retries.
        log.error("outbox attempt crashed", { id: claimed.id, error: error instanceof Error ? error.message : String(error) });
      }
      delivered++;
    }
  }

  const passes = startRepeatingPass(async () => void (await pass()), {
    intervalMs,
    onError: (error) => log.error("outbox pass failed", { error: error instanceof Error ? error.message : String(error) }),
  });
  const run = passes.run;

  return {
    owner,
    stop: passes.stop,
    kick() {
      if (stopped()) return;
      void run();
      options.announce?.();
    },
    wake() {
      if (!stopped()) void run();
    },
    drain: () =>
      // Keep going while proposals fall due (retries scheduled in the past by a test clock).
      passes.drain(async () => {
        const next = await nextDueTime(data);
        return next !== undefined && next <= now() && (await dueProposalIds(data, now(), 1)).length > 0;
      }),
  };
}

/**
 * Puts a failed proposal back in the queue (after fixing the token, the
 * repository or the network) and nudges the outbox.
 */
export async function retryProposal(data: ProposalData, id: string, outbox?: Pick<Outbox, "kick">, now: number = Date.now()): Promise<boolean> {
  const ok = await requeue(data, id, now, "Retry requested: delivering again.");
  if (ok) outbox?.kick();
  return ok;
}
