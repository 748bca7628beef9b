/**
 * The polling fallback for missed webhooks: every CONTENT_POLL_INTERVAL
 * seconds (0 disables it) the same git sync the push webhook runs, and —
 * when proposals go to GitHub — the state of every proposal still under
 * review (`opened`, `changes_requested`), read from the forge.
 *
 * Rounds never overlap (the next one is scheduled when the previous ends),
 * the timer does not keep the process alive, and `stop()` waits for a round
 * in progress.
 */
import { listProposalRecords, type ProposalData } from "~/modules/contributions/store.server";
import { classifyError } from "~/modules/forge/errors";
import type { Forge } from "~/modules/forge/types";
import type { GitSync, GitSyncResult } from "./git.server";
import { consoleLog, errorMessage, type SyncLog } from "./log";
import { applyPullRequestState, type StateUpdate } from "./proposals.server";

export interface PollerOptions {
  /** Seconds between rounds; 0 (or less) disables the poller. */
  intervalSeconds: number;
  /** The git sync; absent → content is not polled. */
  sync?: Pick<GitSync, "sync">;
  /** The data layer holding the proposals. */
  data: ProposalData;
  /** The forge; absent, or one that is not remote (the local queue) → proposals are not polled. */
  forge?: Pick<Forge, "name" | "remote" | "getState">;
  /** Most proposals refreshed per round (API budget). Default 200. */
  maxProposalsPerRound?: number;
  log?: SyncLog;
  now?: () => number;
}

export interface PollRound {
  sync?: GitSyncResult;
  /** Proposals whose state was read. */
  checked: number;
  /** Status changes made. */
  updates: StateUpdate[];
  /** Proposals whose state could not be read. */
  errors: number;
}

export interface Poller {
  readonly enabled: boolean;
  /** Runs one round now (also used by tests); waits for a round already running instead of overlapping it. */
  poll(): Promise<PollRound>;
  stop(): Promise<void>;
}

/** How long `stop()` waits for a round in progress. */
export const STOP_GRACE_MS = 10_000;

export function startPoller(options: PollerOptions): Poller {
  const log = options.log ?? consoleLog;
  const now = options.now ?? Date.now;
  const intervalMs = Math.floor(options.intervalSeconds * 1000);
  const enabled = intervalMs > 0;
  const forge = options.forge?.remote ? options.forge : undefined;
  const limit = options.maxProposalsPerRound ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PollRound> | undefined;
  let stopped = false;

  async function refreshProposals(round: PollRound): Promise<void> {
    if (!forge) return;
    const proposals = await listProposalRecords(options.data, {
      status: ["opened", "changes_requested"],
      forge: forge.name,
      order: "oldest",
      limit,
    });
    for (const proposal of proposals) {
      if (stopped) return;
      if (proposal.prNumber === null) continue;
      try {
        const state = await forge.getState({ number: proposal.prNumber, proposalId: proposal.id });
        round.checked += 1;
        const update = await applyPullRequestState(options.data, proposal, state, proposal.prNumber, now());
        if (update.changed) round.updates.push(update);
      } catch (error) {
        round.errors += 1;
        const kind = classifyError(error).kind;
        log.warn(`proposal poll: reading #${proposal.prNumber} (${proposal.id}) failed: ${errorMessage(error)}`);
        // Out of API budget or no access: the rest would fail the same way; try next round.
        if (kind === "rate-limited" || kind === "config") return;
      }
    }
  }

  async function round(): Promise<PollRound> {
    const result: PollRound = { checked: 0, updates: [], errors: 0 };
    if (options.sync) result.sync = await options.sync.sync("poll");
    await refreshProposals(result);
    if (result.updates.length > 0) {
      log.info(`proposal poll: ${result.updates.map((u) => `${u.proposalId} → ${u.status}`).join(", ")}`);
    }
    return result;
  }

  function poll(): Promise<PollRound> {
    running ??= round()
      .catch((error: unknown): PollRound => {
        log.error(`poll round failed: ${errorMessage(error)}`);
        return { checked: 0, updates: [], errors: 1 };
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(): void {
    if (stopped || !enabled) return;
    timer = setTimeout(() => {
      void poll().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  schedule();
  if (enabled && (options.sync || forge)) {
    log.info(
      `Polling every ${options.intervalSeconds} s for ${[options.sync ? "content" : "", forge ? "proposal states" : ""].filter(Boolean).join(" and ") || "nothing"}.`,
    );
  }

  return {
    enabled,
    poll,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // Let a round in progress finish, but never hold up shutdown for long (a fetch may hang until its timeout).
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((r) => (giveUp = setTimeout(r, STOP_GRACE_MS)))]);
      clearTimeout(giveUp);
    },
  };
}
