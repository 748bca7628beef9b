/**
 * Proposals and their timeline on the data layer (Kysely; SQLite by default,
 * PostgreSQL shared by every instance with DATABASE_URL): the one owner of the
 * `proposals` and `proposal_events` tables. Every query on them is here — the
 * forms' (insert, duplicates), the outbox's (claim under a lease, progress,
 * outcome), the local forge's queue (`proposalRecords`), the review's (status,
 * renumbering) and the sync's (the proposal of a pull request). Every state
 * change is one transaction together with its event, so the status page never
 * shows a state without the event that explains it.
 *
 * Every function takes the data layer (`ProposalData`: its Kysely instance
 * and dialect). Inside a transaction only the transaction's own executor is
 * used: on SQLite Kysely has one connection, and a query on `data.db` from
 * inside a transaction would wait for the transaction to end. Transactions
 * start with their write, so a SQLite writer never has to upgrade a read lock.
 */
import { Kysely, sql, type ExpressionBuilder, type Selectable, type Transaction } from "kysely";
import type { DataLayer } from "~/modules/db/data.server";
import type { DataSchema, ProposalsTable } from "~/modules/db/schema";
import { nextSequenceValue } from "~/modules/db/sequences.server";
import type {
  Contributor,
  DeliverableProposal,
  DeliveryProgress,
  ForgeName,
  ProgressStore,
  ProposalFile,
  ProposalKind,
  ProposalRecords,
  QueueEntry,
} from "~/modules/forge/types";
import { emitStatusChange, hasStatusListeners } from "./events.server";

export type ProposalStatus = "queued" | "opened" | "merged" | "closed" | "failed" | "changes_requested";

export const PROPOSAL_STATUSES: readonly ProposalStatus[] = ["queued", "opened", "merged", "closed", "failed", "changes_requested"];

export interface Proposal {
  id: string;
  kind: ProposalKind;
  /** New slug, answered slug, or edited repository path. */
  target: string;
  slug: string;
  /** The question's title. */
  title: string;
  /** The submitted form fields (validated; no honeypot, no licence box). */
  fields: Record<string, unknown>;
  files: ProposalFile[];
  /**
   * Each file as the content had it when the proposal was made (`content: null`: a new
   * file); null for proposals stored before this was recorded.
   */
  baseFiles: BaseFile[] | null;
  contributor: Contributor;
  status: ProposalStatus;
  forge: ForgeName | null;
  branch: string | null;
  commitSha: string | null;
  prNumber: number | null;
  prUrl: string | null;
  prTitle: string;
  prBody: string;
  /** Forge progress (branch, commit, fork, labels). */
  progress: DeliveryProgress;
  /** A signed-in contributor's token is waiting for delivery (the token itself is never exposed). */
  hasUserToken: boolean;
  attempts: number;
  /** ISO timestamp of the next delivery attempt, when one is scheduled. */
  nextAttemptAt: string | null;
  /** An attempt is in flight (or was, when the process stopped). */
  inFlight: boolean;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BaseFile {
  path: string;
  content: string | null;
}

export interface ProposalEvent {
  id: number;
  proposalId: string;
  at: string;
  type: string;
  detail: string;
}

/** The data layer as this store uses it (a DataLayer fits). */
export type ProposalData = Pick<DataLayer, "db" | "dialect">;

type Executor = Kysely<DataSchema> | Transaction<DataSchema>;
type Row = Selectable<ProposalsTable>;

function toProposal(r: Row): Proposal {
  const state = JSON.parse(r.delivery_state) as DeliveryProgress;
  return {
    id: r.id,
    kind: r.kind,
    target: r.target,
    slug: r.slug,
    title: r.title,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
    files: JSON.parse(r.files) as ProposalFile[],
    baseFiles: r.base_files === null ? null : (JSON.parse(r.base_files) as BaseFile[]),
    contributor: {
      name: r.contributor_name,
      ...(r.contributor_github ? { github: r.contributor_github } : {}),
      ...(r.contributor_email ? { email: r.contributor_email } : {}),
    },
    status: r.status,
    forge: r.forge,
    branch: r.branch,
    commitSha: r.commit_sha,
    prNumber: r.pr_number,
    prUrl: r.pr_url,
    prTitle: r.pr_title,
    prBody: r.pr_body,
    progress: {
      ...state,
      ...(r.branch ? { branch: r.branch } : {}),
      ...(r.commit_sha ? { commitSha: r.commit_sha } : {}),
      ...(r.pr_number !== null ? { prNumber: r.pr_number } : {}),
      ...(r.pr_url ? { prUrl: r.pr_url } : {}),
    },
    hasUserToken: r.user_token !== null,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at === null ? null : new Date(r.next_attempt_at).toISOString(),
    inFlight: r.lease_until !== null,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What a new proposal is stored with (everything else starts empty: status `queued`, no attempt yet). */
export type NewProposal = Pick<Proposal, "id" | "kind" | "target" | "slug" | "title" | "fields" | "files" | "contributor" | "prTitle" | "prBody" | "createdAt"> & {
  baseFiles?: BaseFile[];
  userToken?: string;
  submissionKey?: string;
  fingerprint: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Adds an event to the proposal's timeline; returns its id. */
export async function addEvent(data: Pick<ProposalData, "db"> | Executor, id: string, type: string, detail: string, at: string = new Date().toISOString()): Promise<number> {
  const db = data instanceof Kysely ? data : data.db;
  const row = await db.insertInto("proposal_events").values({ proposal_id: id, at, type, detail }).returning("id").executeTakeFirstOrThrow();
  return Number(row.id);
}

const nothingAfter = () => {};

/**
 * A status change, inside its transaction: records its event and tells the status listeners
 * (events.server.ts: the one hook, e.g. the contributor's mail). Returns what to run after the commit.
 */
async function statusEvent(
  data: Pick<ProposalData, "db">,
  trx: Executor,
  id: string,
  from: ProposalStatus | null,
  event: { type: string; detail: string },
  at: string,
): Promise<() => void> {
  const eventId = await addEvent(trx, id, event.type, event.detail, at);
  if (!hasStatusListeners(data.db)) return nothingAfter;
  const row = await rowById(trx, id);
  if (!row) return nothingAfter;
  const p = toProposal(row);
  return emitStatusChange(data.db, trx, {
    proposal: { id, kind: p.kind, title: p.title, slug: p.slug, contributor: p.contributor, prUrl: p.prUrl },
    from,
    to: p.status,
    event: { id: eventId, ...event },
    at: Date.parse(at),
  });
}

/** Runs a status-changing transaction, then what its listeners asked to run after the commit. */
async function changeStatus<T>(data: Pick<ProposalData, "db">, work: (trx: Executor, after: (run: () => void) => void) => Promise<T>): Promise<T> {
  let afterCommit: () => void = nothingAfter;
  const result = await data.db.transaction().execute((trx) => work(trx, (run) => (afterCommit = run)));
  afterCommit();
  return result;
}

async function rowById(db: Executor, id: string): Promise<Row | undefined> {
  return db.selectFrom("proposals").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertProposal(data: ProposalData, p: NewProposal, detail: string): Promise<Proposal> {
  const row = await data.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("proposals")
      .values({
        id: p.id,
        kind: p.kind,
        target: p.target,
        slug: p.slug,
        title: p.title,
        fields: JSON.stringify(p.fields),
        files: JSON.stringify(p.files),
        base_files: p.baseFiles ? JSON.stringify(p.baseFiles) : null,
        contributor_name: p.contributor.name,
        contributor_github: p.contributor.github ?? null,
        contributor_email: p.contributor.email ?? null,
        status: "queued",
        pr_title: p.prTitle,
        pr_body: p.prBody,
        user_token: p.userToken ?? null,
        attempts: 0,
        next_attempt_at: null,
        submission_key: p.submissionKey ?? null,
        fingerprint: p.fingerprint,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addEvent(trx, p.id, "created", detail, p.createdAt);
    return inserted;
  });
  return toProposal(row);
}

/** The same submission key stored twice (a double submit racing itself), in either dialect. */
export function isDuplicateSubmission(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE") return /submission_key/.test(e.message ?? "");
  return e.code === "23505" && (e.constraint ?? "").includes("submission_key");
}

export async function getProposalRecord(data: Pick<ProposalData, "db">, id: string): Promise<Proposal | undefined> {
  const row = await rowById(data.db, id);
  return row ? toProposal(row) : undefined;
}

export async function findBySubmissionKey(data: Pick<ProposalData, "db">, key: string): Promise<Proposal | undefined> {
  const row = await data.db.selectFrom("proposals").selectAll().where("submission_key", "=", key).executeTakeFirst();
  return row ? toProposal(row) : undefined;
}

/** A proposal with the same content that is still alive (not merged or closed). */
export async function findLiveByFingerprint(data: Pick<ProposalData, "db">, fingerprint: string): Promise<Proposal | undefined> {
  const row = await data.db
    .selectFrom("proposals")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .where("status", "not in", ["merged", "closed"])
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toProposal(row) : undefined;
}

export async function getEvents(data: Pick<ProposalData, "db">, id: string): Promise<ProposalEvent[]> {
  const rows = await data.db.selectFrom("proposal_events").select(["id", "proposal_id", "at", "type", "detail"]).where("proposal_id", "=", id).orderBy("id").execute();
  return rows.map((r) => ({ id: Number(r.id), proposalId: r.proposal_id, at: r.at, type: r.type, detail: r.detail }));
}

export interface ProposalFilter {
  status?: ProposalStatus | ProposalStatus[];
  kind?: ProposalKind;
  forge?: ForgeName;
  /** Contributor's GitHub username (case-insensitive). */
  github?: string;
  limit?: number;
  offset?: number;
  /** Newest first (default) or oldest first. */
  order?: "newest" | "oldest";
}

/** The order proposals were stored in within one millisecond: their `created` event's id (rows have no other sequence in both dialects). */
const insertionOrder = sql<number>`(SELECT MIN(e.id) FROM proposal_events e WHERE e.proposal_id = proposals.id)`;

export async function listProposalRecords(data: Pick<ProposalData, "db">, filter: ProposalFilter = {}): Promise<Proposal[]> {
  let q = data.db.selectFrom("proposals").selectAll();
  if (filter.status !== undefined) {
    const list = Array.isArray(filter.status) ? filter.status : [filter.status];
    if (list.length === 0) return [];
    q = q.where("status", "in", list);
  }
  if (filter.kind) q = q.where("kind", "=", filter.kind);
  if (filter.forge) q = q.where("forge", "=", filter.forge);
  if (filter.github) q = q.where(sql`lower(contributor_github)`, "=", filter.github.toLowerCase());
  const limit = Math.max(1, Math.min(500, Math.floor(filter.limit ?? 50)));
  const offset = Math.max(0, Math.floor(filter.offset ?? 0));
  const order = filter.order === "oldest" ? "asc" : "desc";
  const rows = await q.orderBy("created_at", order).orderBy(insertionOrder, order).limit(limit).offset(offset).execute();
  return rows.map(toProposal);
}

// ---------------------------------------------------------------------------
// Outbox operations

/** Queued, due at `now`, and not leased (or its lease lapsed). */
function dueAt(now: number) {
  return (eb: ExpressionBuilder<DataSchema, "proposals">) =>
    eb.and([
      eb("status", "=", "queued"),
      eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]),
      eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]),
    ]);
}

/** Ids of queued proposals due at `now` and not leased, oldest first. */
export async function dueProposalIds(data: Pick<ProposalData, "db">, now: number, limit = 20): Promise<string[]> {
  const rows = await data.db
    .selectFrom("proposals")
    .select("id")
    .where(dueAt(now))
    .orderBy(sql`COALESCE(next_attempt_at, 0)`)
    .orderBy("created_at")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Proposals waiting for delivery, and when the oldest was made (readiness: /healthz). */
export async function outboxBacklog(data: Pick<ProposalData, "db">): Promise<{ queued: number; oldestCreatedAt: string | null }> {
  const row = await data.db
    .selectFrom("proposals")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
    .where("status", "=", "queued")
    .executeTakeFirstOrThrow();
  return { queued: Number(row.n), oldestCreatedAt: (row.oldest as string | null) ?? null };
}

/** Epoch ms of the earliest scheduled attempt, if any. */
export async function nextDueTime(data: Pick<ProposalData, "db">): Promise<number | undefined> {
  const row = await data.db
    .selectFrom("proposals")
    .select((eb) => eb.fn.min("next_attempt_at").as("t"))
    .where("status", "=", "queued")
    .executeTakeFirst();
  const t = row?.t as number | null | undefined;
  return t === null || t === undefined ? undefined : Number(t);
}

export interface Lease {
  /** Who holds it: one id per outbox (process). */
  owner: string;
  /** Epoch ms it lapses at, unless renewed. */
  until: number;
}

async function recordClaim(trx: Transaction<DataSchema>, row: Row, now: number, forgeLabel: string): Promise<Proposal> {
  await addEvent(trx, row.id, "attempt", `Attempt ${row.attempts}: delivering to ${forgeLabel}.`, iso(now));
  return toProposal(row);
}

/**
 * Takes the proposal for one attempt (lease until `lease.until`, held by `lease.owner`, attempts + 1);
 * `forgeLabel` names the forge in the timeline. Returns the claimed proposal, or undefined when
 * another worker holds it or it is no longer queued/due.
 */
export async function claimProposal(
  data: ProposalData,
  id: string,
  now: number,
  lease: Lease | number,
  forge: ForgeName,
  forgeLabel: string = forge,
): Promise<Proposal | undefined> {
  const { owner, until } = typeof lease === "number" ? { owner: null, until: lease } : lease;
  return data.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("proposals")
      .set((eb) => ({ lease_until: until, lease_owner: owner, attempts: eb("attempts", "+", 1), forge, updated_at: iso(now) }))
      .where("id", "=", id)
      .where(dueAt(now))
      .returningAll()
      .executeTakeFirst();
    return row ? recordClaim(trx, row, now, forgeLabel) : undefined;
  });
}

/**
 * Takes the next due proposal (oldest first) for one attempt, as `claimProposal`. On PostgreSQL the
 * candidate row is locked with `FOR UPDATE SKIP LOCKED`: instances claiming at the same moment each get
 * a different proposal, never wait for each other, and never both get the same one.
 */
export async function claimNextProposal(
  data: ProposalData,
  now: number,
  lease: Lease,
  forge: ForgeName,
  forgeLabel: string = forge,
  /** Ids not to take (already attempted in this pass). */
  exclude: readonly string[] = [],
): Promise<Proposal | undefined> {
  return data.db.transaction().execute(async (trx) => {
    let candidate = trx.selectFrom("proposals").select("id").where(dueAt(now));
    if (exclude.length > 0) candidate = candidate.where("id", "not in", exclude);
    candidate = candidate.orderBy(sql`COALESCE(next_attempt_at, 0)`).orderBy("created_at").limit(1);
    if (data.dialect === "postgres") candidate = candidate.forUpdate().skipLocked();
    const row = await trx
      .updateTable("proposals")
      .set((eb) => ({ lease_until: lease.until, lease_owner: lease.owner, attempts: eb("attempts", "+", 1), forge, updated_at: iso(now) }))
      .where("id", "=", candidate)
      .where(dueAt(now))
      .returningAll()
      .executeTakeFirst();
    return row ? recordClaim(trx, row, now, forgeLabel) : undefined;
  });
}

/** Extends a lease its owner still holds on a queued proposal; false when it was lost (lapsed and taken, or decided). */
export async function renewLease(data: Pick<ProposalData, "db">, id: string, lease: Lease): Promise<boolean> {
  const r = await data.db
    .updateTable("proposals")
    .set({ lease_until: lease.until })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .where("lease_owner", "=", lease.owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function readUserToken(data: Pick<ProposalData, "db">, id: string): Promise<string | undefined> {
  const row = await data.db.selectFrom("proposals").select("user_token").where("id", "=", id).executeTakeFirst();
  return row?.user_token ?? undefined;
}

/** A ProgressStore bound to one proposal: every save is written before it resolves. */
export async function progressStore(data: Pick<ProposalData, "db">, id: string, clock: () => number = Date.now): Promise<ProgressStore> {
  let current: DeliveryProgress = (await getProposalRecord(data, id))?.progress ?? {};
  return {
    get current() {
      return current;
    },
    async save(patch) {
      const next = { ...current, ...patch };
      const { branch, commitSha, prNumber, prUrl, ...rest } = next;
      await data.db
        .updateTable("proposals")
        .set({
          branch: branch ?? null,
          commit_sha: commitSha ?? null,
          pr_number: prNumber ?? null,
          pr_url: prUrl ?? null,
          delivery_state: JSON.stringify(rest),
          updated_at: iso(clock()),
        })
        .where("id", "=", id)
        .execute();
      current = next;
    },
    async note(type, detail) {
      await addEvent(data, id, type, detail, iso(clock()));
    },
  };
}

// The outcome of an attempt is recorded only while the proposal is still queued:
// a stale attempt (e.g. one that outlived its lease) never overwrites a newer outcome.

/**
 * Delivered: `opened`, or `merged`/`closed` when a retry found the pull request of an
 * earlier attempt already decided on the forge. The user token is forgotten.
 * Returns false when the outcome was not recorded (the proposal had moved on).
 */
export async function markOpened(
  data: Pick<ProposalData, "db">,
  id: string,
  result: { number: number; url: string; branch: string; state?: "merged" | "closed" },
  now: number,
): Promise<boolean> {
  const at = iso(now);
  return changeStatus(data, async (trx, after) => {
    const r = await trx
      .updateTable("proposals")
      .set({
        status: result.state ?? "opened",
        pr_number: result.number,
        pr_url: result.url,
        branch: result.branch,
        lease_until: null,
        lease_owner: null,
        next_attempt_at: null,
        last_error: null,
        user_token: null,
        user_token_until: null,
        updated_at: at,
      })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    const opened = { type: "opened", detail: `Opened for review as #${result.number}: ${result.url}` };
    if (result.state) {
      await addEvent(trx, id, opened.type, opened.detail, at);
      const decided = { type: result.state, detail: `Pull request #${result.number} was ${result.state} on GitHub before this site heard back; nothing more to deliver.` };
      after(await statusEvent(data, trx, id, "queued", decided, at));
    } else {
      after(await statusEvent(data, trx, id, "queued", opened, at));
    }
    return true;
  });
}

export async function scheduleRetry(data: Pick<ProposalData, "db">, id: string, at: number, error: string, type: string, detail: string, now: number): Promise<boolean> {
  return data.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("proposals")
      .set({ lease_until: null, lease_owner: null, next_attempt_at: at, last_error: error, updated_at: iso(now) })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await addEvent(trx, id, type, detail, iso(now));
    return true;
  });
}

/** How long a failed proposal keeps a signed-in contributor's token for a retry after a configuration fix. */
export const USER_TOKEN_GRACE_MS = 24 * 3_600_000;

/**
 * `failed` with the human reason. A configuration failure (`keepUserToken`)
 * keeps the contributor's token for a retry after the fix, for at most
 * {@link USER_TOKEN_GRACE_MS}; any other failure forgets it at once.
 */
export async function markFailed(
  data: Pick<ProposalData, "db">,
  id: string,
  reason: string,
  now: number,
  options: { keepUserToken?: boolean } = {},
): Promise<boolean> {
  const keep = options.keepUserToken === true;
  return changeStatus(data, async (trx, after) => {
    const r = await trx
      .updateTable("proposals")
      .set({
        status: "failed",
        lease_until: null,
        lease_owner: null,
        next_attempt_at: null,
        last_error: reason,
        updated_at: iso(now),
        ...(keep
          ? { user_token_until: sql<number | null>`CASE WHEN user_token IS NOT NULL THEN CAST(${now + USER_TOKEN_GRACE_MS} AS BIGINT) ELSE NULL END` }
          : { user_token: null, user_token_until: null }),
      })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    after(await statusEvent(data, trx, id, "queued", { type: "failed", detail: reason }, iso(now)));
    return true;
  });
}

/**
 * Forgets the tokens that failed proposals kept past their grace period.
 * A retry after that delivers with the site's own credentials. Returns the ids.
 */
export async function forgetExpiredUserTokens(data: Pick<ProposalData, "db">, now: number): Promise<string[]> {
  return data.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable("proposals")
      .set({ user_token: null, user_token_until: null })
      .where("user_token", "is not", null)
      .where("user_token_until", "is not", null)
      .where("user_token_until", "<=", now)
      .returning("id")
      .execute();
    for (const { id } of rows) {
      await addEvent(
        trx,
        id,
        "sign-in-forgotten",
        "The contributor's GitHub sign-in was forgotten (kept 24 hours for a retry); a retry now delivers with the site's own GitHub access.",
        iso(now),
      );
    }
    return rows.map((r) => r.id);
  });
}

/**
 * Puts a failed (or waiting) proposal back in the queue, due now. Returns
 * false when the proposal is missing or already delivered.
 */
export async function requeue(data: Pick<ProposalData, "db">, id: string, now: number, detail: string): Promise<boolean> {
  return changeStatus(data, async (trx, after) => {
    const r = await trx
      .updateTable("proposals")
      .set({ status: "queued", next_attempt_at: now, attempts: 0, lease_until: null, lease_owner: null, user_token_until: null, updated_at: iso(now) })
      .where("id", "=", id)
      .where("status", "in", ["failed", "queued"])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    after(await statusEvent(data, trx, id, null, { type: "retry-requested", detail }, iso(now)));
    return true;
  });
}

/**
 * After a restart of the single instance (SQLite): attempts left in flight by the previous process
 * are released (and retried at once; delivery is idempotent). Returns their ids. Never used with
 * PostgreSQL, where a lease in flight may be a live sibling's: a lapsed lease is simply claimable.
 */
export async function releaseInterruptedAttempts(data: Pick<ProposalData, "db">, now: number): Promise<string[]> {
  return data.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable("proposals")
      .set({ lease_until: null, lease_owner: null, next_attempt_at: now, updated_at: iso(now) })
      .where("status", "=", "queued")
      .where("lease_until", "is not", null)
      .returning("id")
      .execute();
    for (const { id } of rows) {
      await addEvent(trx, id, "recovered", "The previous attempt was interrupted (the server stopped); retrying.", iso(now));
    }
    return rows.map((r) => r.id);
  });
}

/** Status change made by the review side (merged, closed, changes requested). */
export async function setReviewStatus(
  data: Pick<ProposalData, "db">,
  id: string,
  status: Exclude<ProposalStatus, "queued" | "failed">,
  detail: string,
  now: number,
): Promise<boolean> {
  return changeStatus(data, async (trx, after) => {
    // A decided proposal needs no contributor token any more.
    const r = await trx
      .updateTable("proposals")
      .set({ status, user_token: null, user_token_until: null, updated_at: iso(now) })
      .where("id", "=", id)
      .where("status", "!=", status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    after(await statusEvent(data, trx, id, null, { type: status === "changes_requested" ? "changes-requested" : status, detail }, iso(now)));
    return true;
  });
}

/** What a proposal takes from its contributor's revision (contributions/revise.server.ts). */
export interface ProposalRevision {
  title: string;
  fields: Record<string, unknown>;
  files: ProposalFile[];
  contributor: Contributor;
  prTitle: string;
  prBody: string;
  /** The revised content's fingerprint (a resend of it is the same proposal). */
  fingerprint: string;
  /** The timeline entry (`revised`). */
  detail: string;
  /** ISO timestamp. */
  at: string;
}

/**
 * A revision: when the proposal is still in one of `from`, it takes the revised files, title, fields
 * and contributor and goes back to `opened` (in review) with the event `revised`; `also` runs in the
 * same transaction (the revision's version rows). False when the status had moved on meanwhile.
 */
export async function applyRevision(
  data: Pick<ProposalData, "db">,
  id: string,
  from: readonly ProposalStatus[],
  revision: ProposalRevision,
  also: (trx: Executor) => Promise<void>,
): Promise<boolean> {
  if (from.length === 0) return false;
  return changeStatus(data, async (trx, after) => {
    const r = await trx
      .updateTable("proposals")
      .set({
        status: "opened",
        title: revision.title,
        fields: JSON.stringify(revision.fields),
        files: JSON.stringify(revision.files),
        contributor_name: revision.contributor.name,
        contributor_github: revision.contributor.github ?? null,
        contributor_email: revision.contributor.email ?? null,
        pr_title: revision.prTitle,
        pr_body: revision.prBody,
        fingerprint: revision.fingerprint,
        updated_at: revision.at,
      })
      .where("id", "=", id)
      .where("status", "in", [...from])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await also(trx);
    after(await statusEvent(data, trx, id, null, { type: "revised", detail: revision.detail }, revision.at));
    return true;
  });
}

export function toDeliverable(p: Proposal): DeliverableProposal {
  return {
    id: p.id,
    kind: p.kind,
    slug: p.slug,
    questionTitle: p.title,
    files: p.files,
    contributor: p.contributor,
    title: p.prTitle,
    body: p.prBody,
    createdAt: p.createdAt,
  };
}

// ---------------------------------------------------------------------------
// The review side and the sync

/** The proposal (newest first) that a forge's change `number` belongs to; `orUnassigned`: also one whose forge is not recorded. */
export async function findProposalByChange(
  data: Pick<ProposalData, "db">,
  forge: ForgeName,
  number: number,
  options: { orUnassigned?: boolean } = {},
): Promise<Proposal | undefined> {
  const row = await data.db
    .selectFrom("proposals")
    .selectAll()
    .where("pr_number", "=", number)
    .where((eb) => (options.orUnassigned ? eb.or([eb("forge", "=", forge), eb("forge", "is", null)]) : eb("forge", "=", forge)))
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toProposal(row) : undefined;
}

/**
 * After a renumbering at merge time the stored files (and the number in the fields) become what was
 * merged, so the contributor's status page shows the merged text; a `renumbered` event per change.
 */
export async function recordRenumbering(
  data: Pick<ProposalData, "db">,
  id: string,
  files: ProposalFile[],
  plan: readonly { from: number; to: number }[],
  now: number,
): Promise<void> {
  if (plan.length === 0) return;
  const proposal = await getProposalRecord(data, id);
  if (!proposal) return;
  const fields = { ...proposal.fields };
  if (proposal.kind === "question" && plan[0]) fields.number = plan[0].to;
  const at = iso(now);
  await data.db.transaction().execute(async (trx) => {
    await trx.updateTable("proposals").set({ files: JSON.stringify(files), fields: JSON.stringify(fields), updated_at: at }).where("id", "=", id).execute();
    for (const r of plan) {
      await addEvent(trx, id, "renumbered", `Question number ${r.from} was taken by another question meanwhile: renumbered to ${r.to}.`, at);
    }
  });
}

function toQueueEntry(r: Row): QueueEntry {
  const p = toProposal(r);
  return {
    id: p.id,
    kind: p.kind,
    number: p.prNumber,
    title: p.prTitle,
    branch: p.branch,
    contributor: p.contributor,
    files: p.files,
    status: p.status,
    createdAt: p.createdAt,
  };
}

/**
 * The stored proposals as a forge reads its queue from them (the local review queue); the change
 * numbers come from the data layer's counters (`sequences`), shared by every instance on PostgreSQL.
 */
export function proposalRecords(data: Pick<ProposalData, "db">): ProposalRecords {
  const { db } = data;
  return {
    async open(forge) {
      const rows = await db
        .selectFrom("proposals")
        .selectAll()
        .where("forge", "=", forge)
        .where("pr_number", "is not", null)
        .where("status", "in", ["opened", "changes_requested"])
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(toQueueEntry);
    },
    async byNumber(forge, number) {
      const row = await db.selectFrom("proposals").selectAll().where("forge", "=", forge).where("pr_number", "=", number).executeTakeFirst();
      return row ? toQueueEntry(row) : undefined;
    },
    async byId(id) {
      const row = await rowById(db, id);
      return row ? toQueueEntry(row) : undefined;
    },
    async allocateNumber(forge, save) {
      // A number is never repeated; a crash between taking it and saving it skips it (one gap). (Both in one
      // transaction would hold SQLite's only connection across the caller's save.)
      const n = await nextSequenceValue(data, `${forge}-review-number`);
      await save(n);
      return n;
    },
  };
}
