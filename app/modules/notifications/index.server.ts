/**
 * Hearing back: a contributor who gave an e-mail address receives a mail at
 * each status change of their proposal — delivered (in review), changes
 * requested (with the maintainer's comment and a revise link), merged (with
 * the link to the published page), closed (with the reason) — when an SMTP
 * server is configured (`SMTP_URL`, `MAIL_FROM`). No address or no SMTP: no
 * mail, and nothing is queued.
 *
 * `onStatusChange` is the listener the proposal store calls where it records
 * a status change (inside that transaction when it passes one): the mail is
 * rendered and queued durably (store.server.ts); the worker
 * (worker.server.ts) sends it with retries. A failing SMTP server therefore
 * never loses or blocks a proposal.
 */
import { readDecision } from "~/modules/contributions/decisions";
import type { ProposalStatusChange, ProposalStatusListener } from "~/modules/contributions/events.server";
import type { DataLayer } from "~/modules/db/data.server";
import { renderStatusMail, type NotificationKind } from "./mail";
import type { Mailer } from "./mailer.server";
import { createNotificationStore, type Executor, type NotificationStore } from "./store.server";
import { startMailWorker, type MailWorker, type MailWorkerOptions, type WorkerLog } from "./worker.server";

export { createSmtpMailer, describeSmtpUrl, type Mailer } from "./mailer.server";
export type { Executor, Notification, NotificationStore } from "./store.server";
export type { ProposalStatusChange } from "~/modules/contributions/events.server";

/** The mail worker's own settings (intervals, retries, clock) pass through as they are. */
export interface NotificationsOptions extends Pick<MailWorkerOptions, "intervalMs" | "baseDelayMs" | "maxAttempts" | "now" | "random"> {
  data: Pick<DataLayer, "db">;
  /** No mailer: no mail is queued at all. */
  mailer?: Mailer;
  /** The site's public URL (links in mails must be absolute). */
  siteUrl: string;
  /** A fresh revise link of the proposal (for the changes-requested mail), made in the same transaction. */
  reviseLink?: (proposalId: string, executor: Executor | undefined) => Promise<string | undefined>;
  log: WorkerLog;
}

export interface Notifications {
  /** Mail is configured. */
  readonly enabled: boolean;
  readonly store: NotificationStore;
  /** Queues the mail of a status change, if it warrants one (in `executor`'s transaction when given). */
  onStatusChange(change: ProposalStatusChange, executor?: Executor): Promise<void>;
  /** The proposal store's listener (`onProposalStatusChange`): queues in the store's transaction, sends after it. */
  readonly listener: ProposalStatusListener;
  /** Nudges the worker (after the transaction that queued a mail committed). */
  kick(): void;
  /** Sends everything due (tests). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Which mail a status change warrants, if any. */
export function notificationKind(change: Pick<ProposalStatusChange, "from" | "to" | "event">): NotificationKind | null {
  switch (change.to) {
    case "opened":
      // A revision is the contributor's own doing: the page they are on says so.
      if (change.event.type === "revised") return null;
      return change.from === "queued" ? "delivered" : "reopened";
    case "changes_requested":
      return "changes_requested";
    case "merged":
      return "merged";
    case "closed":
      return "closed";
    default:
      return null;
  }
}

function absolute(siteUrl: string, path: string): string {
  return new URL(path, siteUrl.endsWith("/") ? siteUrl : `${siteUrl}/`).toString();
}

export function createNotifications(options: NotificationsOptions): Notifications {
  const store = createNotificationStore(options.data);
  const now = options.now ?? Date.now;
  const worker: MailWorker | undefined = options.mailer
    ? startMailWorker({
        store,
        mailer: options.mailer,
        log: options.log,
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.random ? { random: options.random } : {}),
        now,
      })
    : undefined;

  async function onStatusChange(change: ProposalStatusChange, executor?: Executor): Promise<void> {
    const email = change.proposal.contributor.email;
    if (!worker || !email) return;
    const kind = notificationKind(change);
    if (!kind) return;
    const p = change.proposal;
    const reviseUrl = kind === "changes_requested" ? await options.reviseLink?.(p.id, executor) : undefined;
    // Rendering runs before any statement of the mail: a bug here is logged and costs the mail, never the status change.
    let mail: ReturnType<typeof renderStatusMail>;
    try {
      mail = renderStatusMail({
        kind,
        title: p.title,
        proposalKind: p.kind,
        contributorName: p.contributor.name,
        // What the maintainer wrote, without the timeline's "X asked for changes:" around it.
        detail: readDecision(change.event).comment ?? change.event.detail,
        statusUrl: absolute(options.siteUrl, `/contributions/${encodeURIComponent(p.id)}`),
        ...(kind === "merged"
          ? {
              pageUrl: absolute(options.siteUrl, `/q/${encodeURIComponent(p.slug)}`),
            }
          : {}),
        ...(p.prUrl && /^https?:\/\//.test(p.prUrl) ? { changeUrl: p.prUrl } : {}),
        ...(reviseUrl ? { reviseUrl } : {}),
      });
    } catch (error) {
      options.log.error("mail not rendered", { proposal: p.id, error: (error as Error).message });
      return;
    }
    await store.enqueue(
      {
        eventKey: `${p.id}:${change.event.id}`,
        proposalId: p.id,
        kind,
        recipient: email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      },
      change.at,
      executor
    );
  }

  return {
    enabled: worker !== undefined,
    store,
    onStatusChange,
    listener: {
      inTransaction: (change, trx) => onStatusChange(change, trx),
      afterCommit: () => worker?.kick(),
    },
    kick() {
      worker?.kick();
    },
    async drain() {
      await worker?.drain();
    },
    async stop() {
      await worker?.stop();
    },
  };
}
