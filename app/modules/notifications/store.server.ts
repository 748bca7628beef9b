/**
 * The mail queue (`notifications`, owned by this module) on the data layer:
 * SQLite by default, PostgreSQL shared by every instance with DATABASE_URL.
 *
 * A mail is queued once per proposal event (`event_key` is unique: INSERT …
 * ON CONFLICT DO NOTHING), in the caller's transaction when it passes one, so
 * the event and its mail are recorded together. A worker claims a due mail
 * with one conditional UPDATE (`pending` → `sending`), so of two instances
 * only one sends it; the outcome is `sent` (its body is then emptied: it may
 * carry a revise link), a retry later (`pending`), or `failed`.
 *
 * At most once: a mail left `sending` by a process that stopped mid-send may
 * have been accepted by the SMTP server already, so it is never sent again —
 * it becomes `failed` with a note.
 */
import type { Kysely, Selectable } from "kysely";
import type { DataLayer } from "~/modules/db/data.server";
import type { DataSchema, NotificationsTable } from "~/modules/db/schema";
import type { NotificationKind } from "./mail";

/** A query executor: the data layer's `db`, or a transaction of it. */
export type Executor = Kysely<DataSchema>;

export type NotificationStatus = "pending" | "sending" | "sent" | "failed";

export interface NewNotification {
  eventKey: string;
  proposalId: string;
  kind: NotificationKind;
  recipient: string;
  subject: string;
  text: string;
  html: string;
}

/** A queued mail: what was queued, and how its sending goes. */
export interface Notification extends NewNotification {
  id: number;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: number;
  sentAt: number | null;
}

type Row = Selectable<NotificationsTable>;

function toNotification(r: Row): Notification {
  return {
    id: Number(r.id),
    eventKey: r.event_key,
    proposalId: r.proposal_id,
    kind: r.kind as NotificationKind,
    recipient: r.recipient,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    messageId: r.message_id,
    createdAt: Number(r.created_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
  };
}

export interface NotificationStore {
  /** Queues a mail (in `executor`'s transaction when given); false when this event's mail was queued already. */
  enqueue(n: NewNotification, now: number, executor?: Executor): Promise<boolean>;
  /** Ids of mails due at `now`, oldest first. */
  due(now: number, limit: number): Promise<number[]>;
  /** Takes a due mail for one attempt; null when another worker has it or it is no longer due. */
  claim(id: number, now: number, leaseUntil: number): Promise<Notification | null>;
  markSent(id: number, now: number, messageId: string): Promise<void>;
  scheduleRetry(id: number, at: number, error: string): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /** Mails left `sending` whose lease ran out (the process stopped mid-send) become `failed`; returns their ids. */
  abandonInterrupted(now: number): Promise<number[]>;
  /** Epoch ms of the earliest pending mail, if any. */
  nextDue(): Promise<number | undefined>;
  /** A proposal's mails, oldest first (the status page, tests). */
  forProposal(proposalId: string): Promise<Notification[]>;
}

/** A mail that will not be sent (again): `failed` with why, no lease, its bodies emptied (they may carry a revise link). */
function failed(error: string) {
  return { status: "failed" as const, lease_until: null, last_error: error, text_body: "", html_body: "" };
}

export function createNotificationStore(data: Pick<DataLayer, "db">): NotificationStore {
  const { db } = data;
  return {
    async enqueue(n, now, executor = db) {
      const row = await executor
        .insertInto("notifications")
        .values({
          event_key: n.eventKey,
          proposal_id: n.proposalId,
          kind: n.kind,
          recipient: n.recipient,
          subject: n.subject,
          text_body: n.text,
          html_body: n.html,
          next_attempt_at: now,
          lease_until: null,
          last_error: null,
          message_id: null,
          created_at: now,
          sent_at: null,
        })
        .onConflict((oc) => oc.column("event_key").doNothing())
        .returning("id")
        .executeTakeFirst();
      return row !== undefined;
    },

    async due(now, limit) {
      const rows = await db
        .selectFrom("notifications")
        .select("id")
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },

    async claim(id, now, leaseUntil) {
      const row = await db
        .updateTable("notifications")
        .set((eb) => ({
          status: "sending",
          lease_until: leaseUntil,
          attempts: eb("attempts", "+", 1),
        }))
        .where("id", "=", id)
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .returningAll()
        .executeTakeFirst();
      return row ? toNotification(row) : null;
    },

    async markSent(id, now, messageId) {
      await db
        .updateTable("notifications")
        .set({
          status: "sent",
          sent_at: now,
          message_id: messageId,
          lease_until: null,
          last_error: null,
          text_body: "",
          html_body: "",
        })
        .where("id", "=", id)
        .execute();
    },

    async scheduleRetry(id, at, error) {
      await db
        .updateTable("notifications")
        .set({
          status: "pending",
          next_attempt_at: at,
          lease_until: null,
          last_error: error,
        })
        .where("id", "=", id)
        .where("status", "=", "sending")
        .execute();
    },

    async markFailed(id, error) {
      await db.updateTable("notifications").set(failed(error)).where("id", "=", id).execute();
    },

    async abandonInterrupted(now) {
      const rows = await db
        .updateTable("notifications")
        .set(failed("Interrupted while sending (the server stopped): it may have been sent, so it is not sent again."))
        .where("status", "=", "sending")
        .where("lease_until", "<=", now)
        .returning("id")
        .execute();
      return rows.map((r) => Number(r.id));
    },

    async nextDue() {
      const row = await db
        .selectFrom("notifications")
        .select((eb) => eb.fn.min("next_attempt_at").as("t"))
        .where("status", "=", "pending")
        .executeTakeFirst();
      return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
    },

    async forProposal(proposalId) {
      const rows = await db.selectFrom("notifications").selectAll().where("proposal_id", "=", proposalId).orderBy("id").execute();
      return rows.map((r) => toNotification(r));
    },
  };
}
