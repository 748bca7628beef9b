/**
 * The mail worker: sends queued mails in the background, one at a time,
 * retrying like the outbox (exponential backoff with jitter, capped at one
 * hour) while the SMTP server is down or refuses for a passing reason. A mail
 * is sent at most once (see store.server.ts); nothing here ever touches a
 * proposal, so a failing SMTP server never blocks or loses one.
 */
import { backoffDelay, type OutboxLog } from "~/modules/contributions/outbox.server";
import { classifyMailError, type Mailer } from "./mailer.server";
import type { NotificationStore } from "./store.server";
import { startRepeatingPass } from "~/modules/process/repeating-pass.server";

/** The same log lines as the outbox's. */
export type WorkerLog = OutboxLog;

export interface MailWorkerOptions {
  store: NotificationStore;
  mailer: Mailer;
  log: WorkerLog;
  /** How often the worker looks for due mails. Default 15 s. */
  intervalMs?: number;
  /** First retry delay (OUTBOX_RETRY_BASE_MS). Default 30 s; doubles on every attempt. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts the mail is given up (`failed`). Default 30 (days of retrying). */
  maxAttempts?: number;
  /** How long one send may hold a mail. Default 5 min. */
  leaseMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface MailWorker {
  /** Looks for due mails now. */
  kick(): void;
  /** Sends everything due now, including retries falling due meanwhile (tests). */
  drain(): Promise<void>;
  /** Stops the timer and waits for the send in progress. */
  stop(): Promise<void>;
}

export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const { store, mailer, log } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 3_600_000;
  const maxAttempts = options.maxAttempts ?? 30;
  const leaseMs = options.leaseMs ?? 300_000;
  /** Whether the worker was stopped (`passes`, below, runs the passes). */
  const stopped = () => passes.stopped;

  async function sendOne(id: number): Promise<void> {
    const mail = await store.claim(id, now(), now() + leaseMs);
    if (!mail) return;
    try {
      const { messageId } = await mailer.send({
        to: mail.recipient,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      await store.markSent(id, now(), messageId);
      log.info("mail sent", { id, proposal: mail.proposalId, kind: mail.kind });
    } catch (error) {
      const { permanent, message } = classifyMailError(error);
      if (permanent || mail.attempts >= maxAttempts) {
        await store.markFailed(id, permanent ? message : `Gave up after ${mail.attempts} attempts. Last error: ${message}`);
        log.error("mail not sent", {
          id,
          proposal: mail.proposalId,
          error: message,
        });
      } else {
        const delay = backoffDelay(mail.attempts, random(), baseDelayMs, maxDelayMs);
        await store.scheduleRetry(id, now() + delay, message);
        log.warn("mail not sent yet; will retry", {
          id,
          proposal: mail.proposalId,
          attempt: mail.attempts,
          delayMs: delay,
          error: message,
        });
      }
    }
  }

  async function sendDue(): Promise<void> {
    const abandoned = await store.abandonInterrupted(now());
    if (abandoned.length > 0)
      log.warn("mails interrupted mid-send are not sent again (at most once)", {
        mails: abandoned,
      });
    const tried = new Set<number>();
    let batch = await store.due(now(), 20);
    while (!stopped() && batch.some((id) => !tried.has(id))) {
      for (const id of batch) {
        if (stopped() || tried.has(id)) continue;
        tried.add(id);
        await sendOne(id).catch((error: unknown) =>
          log.error("mail attempt crashed", {
            id,
            error: (error as Error).message,
          })
        );
      }
      batch = await store.due(now(), 20);
    }
  }

  const passes = startRepeatingPass(sendDue, {
    intervalMs: options.intervalMs ?? 15_000,
    onError: (error) => log.error("mail pass failed", { error: (error as Error).message }),
  });

  return {
    kick() {
      if (!passes.stopped) void passes.run();
    },
    drain: () =>
      passes.drain(async () => {
        const next = await store.nextDue();
        return next !== undefined && next <= now();
      }),
    async stop() {
      await passes.stop();
      mailer.close();
    },
  };
}
