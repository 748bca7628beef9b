/**
 * Proposals and their timeline in SQLite: the one owner of the `proposals`
 * and `proposal_events` tables. Every query on them is here — the forms'
 * (insert, duplicates), the outbox's (claim, progress, outcome), the local
 * forge's queue (`proposalRecords`), the review's (status, renumbering) and
 * the sync's (the proposal of a pull request). Every state change is one
 * transaction together with its event, so the status page never shows a
 * state without the event that explains it.
 */
import { sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import type { Database } from "~/modules/db/index.server";
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

interface Row {
  id: string;
  kind: ProposalKind;
  target: string;
  slug: string;
  title: string;
  fields: string;
  files: string;
  base_files: string | null;
  contributor_name: string;
  contributor_github: string | null;
  contributor_email: string | null;
  status: ProposalStatus;
  forge: ForgeName | null;
  branch: string | null;
  commit_sha: string | null;
  pr_number: number | null;
  pr_url: string | null;
  pr_title: string;
  pr_body: string;
  delivery_state: string;
  user_token: string | null;
  user_token_until: number | null;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_error: string | null;
  submission_key: string | null;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

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

export function insertProposal(db: Database, p: NewProposal, detail: string): Proposal {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO proposals (id, kind, target, slug, title, fields, files, base_files, contributor_name, contributor_github,
         contributor_email, status, pr_title, pr_body, user_token, attempts, next_attempt_at, submission_key,
         fingerprint, created_at, updated_at)
       VALUES (@id, @kind, @target, @slug, @title, @fields, @files, @baseFiles, @name, @github, @email, 'queued', @prTitle,
         @prBody, @userToken, 0, NULL, @submissionKey, @fingerprint, @createdAt, @createdAt)`,
    ).run({
      id: p.id,
      kind: p.kind,
      target: p.target,
      slug: p.slug,
      title: p.title,
      fields: JSON.stringify(p.fields),
      files: JSON.stringify(p.files),
      baseFiles: p.baseFiles ? JSON.stringify(p.baseFiles) : null,
      name: p.contributor.name,
      github: p.contributor.github ?? null,
      email: p.contributor.email ?? null,
      prTitle: p.prTitle,
      prBody: p.prBody,
      userToken: p.userToken ?? null,
      submissionKey: p.submissionKey ?? null,
      fingerprint: p.fingerprint,
      createdAt: p.createdAt,
    });
    addEvent(db, p.id, "created", detail, p.createdAt);
  })();
  return getProposalRecord(db, p.id)!;
}

export function getProposalRecord(db: Database, id: string): Proposal | undefined {
  const row = db.prepare("SELECT * FROM proposals WHERE id = ?").get(id) as Row | undefined;
  return row ? toProposal(row) : undefined;
}

export function findBySubmissionKey(db: Database, key: string): Proposal | undefined {
  const row = db.prepare("SELECT * FROM proposals WHERE submission_key = ?").get(key) as Row | undefined;
  return row ? toProposal(row) : undefined;
}

/** A proposal with the same content that is still alive (not merged or closed). */
export function findLiveByFingerprint(db: Database, fingerprint: string): Proposal | undefined {
  const row = db
    .prepare(
      `SELECT * FROM proposals WHERE fingerprint = ? AND status NOT IN ('merged', 'closed')
       ORDER BY created_at DESC LIMIT 1`,
    )
    .get(fingerprint) as Row | undefined;
  return row ? toProposal(row) : undefined;
}

export function getEvents(db: Database, id: string): ProposalEvent[] {
  const rows = db
    .prepare("SELECT id, proposal_id, at, type, detail FROM proposal_events WHERE proposal_id = ? ORDER BY id")
    .all(id) as { id: number; proposal_id: string; at: string; type: string; detail: string }[];
  return rows.map((r) => ({ id: r.id, proposalId: r.proposal_id, at: r.at, type: r.type, detail: r.detail }));
}

export function addEvent(db: Database, id: string, type: string, detail: string, at: string = new Date().toISOString()): void {
  db.prepare("INSERT INTO proposal_events (proposal_id, at, type, detail) VALUES (?, ?, ?, ?)").run(id, at, type, detail);
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

export function listProposalRecords(db: Database, filter: ProposalFilter = {}): Proposal[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    const list = Array.isArray(filter.status) ? filter.status : [filter.status];
    if (list.length === 0) return [];
    where.push(`status IN (${list.map(() => "?").join(", ")})`);
    params.push(...list);
  }
  if (filter.kind) {
    where.push("kind = ?");
    params.push(filter.kind);
  }
  if (filter.forge) {
    where.push("forge = ?");
    params.push(filter.forge);
  }
  if (filter.github) {
    where.push("lower(contributor_github) = lower(?)");
    params.push(filter.github);
  }
  const limit = Math.max(1, Math.min(500, Math.floor(filter.limit ?? 50)));
  const offset = Math.max(0, Math.floor(filter.offset ?? 0));
  const order = filter.order === "oldest" ? "ASC" : "DESC";
  const sql = `SELECT * FROM proposals ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY created_at ${order}, rowid ${order} LIMIT ? OFFSET ?`; // rowid: insertion order within one millisecond
  return (db.prepare(sql).all(...params, limit, offset) as Row[]).map(toProposal);
}

// ---------------------------------------------------------------------------
// Outbox operations

/** Ids of queued proposals due at `now` and not leased, oldest first. */
export function dueProposalIds(db: Database, now: number, limit = 20): string[] {
  const rows = db
    .prepare(
      `SELECT id FROM proposals
       WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at, created_at LIMIT ?`,
    )
    .all(now, now, limit) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Proposals waiting for delivery, and when the oldest was made (readiness: /healthz). */
export function outboxBacklog(db: Database): { queued: number; oldestCreatedAt: string | null } {
  const row = db.prepare("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM proposals WHERE status = 'queued'").get() as { n: number; oldest: string | null };
  return { queued: row.n, oldestCreatedAt: row.oldest };
}

/** Epoch ms of the earliest scheduled attempt, if any. */
export function nextDueTime(db: Database): number | undefined {
  const row = db.prepare("SELECT MIN(next_attempt_at) AS t FROM proposals WHERE status = 'queued'").get() as { t: number | null };
  return row.t ?? undefined;
}

/**
 * Takes the proposal for one attempt (lease until `leaseUntil`, attempts + 1); `forgeLabel` names the
 * forge in the timeline.
 * Returns false when another worker holds it or it is no longer queued/due.
 */
export function claimProposal(db: Database, id: string, now: number, leaseUntil: number, forge: ForgeName, forgeLabel: string = forge): boolean {
  return db.transaction(() => {
    const r = db
      .prepare(
        `UPDATE proposals SET lease_until = ?, attempts = attempts + 1, forge = ?, updated_at = ?
         WHERE id = ? AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
           AND (lease_until IS NULL OR lease_until <= ?)`,
      )
      .run(leaseUntil, forge, new Date(now).toISOString(), id, now, now);
    if (r.changes !== 1) return false;
    const { attempts } = db.prepare("SELECT attempts FROM proposals WHERE id = ?").get(id) as { attempts: number };
    addEvent(db, id, "attempt", `Attempt ${attempts}: delivering to ${forgeLabel}.`, new Date(now).toISOString());
    return true;
  }).immediate();
}

export function readUserToken(db: Database, id: string): string | undefined {
  const row = db.prepare("SELECT user_token FROM proposals WHERE id = ?").get(id) as { user_token: string | null } | undefined;
  return row?.user_token ?? undefined;
}

/** A ProgressStore bound to one proposal: every save is written before it returns. */
export function progressStore(db: Database, id: string, clock: () => number = Date.now): ProgressStore {
  const load = (): DeliveryProgress => getProposalRecord(db, id)?.progress ?? {};
  let current = load();
  return {
    get current() {
      return current;
    },
    save(patch) {
      const next = { ...current, ...patch };
      const { branch, commitSha, prNumber, prUrl, ...rest } = next;
      db.prepare(
        `UPDATE proposals SET branch = ?, commit_sha = ?, pr_number = ?, pr_url = ?, delivery_state = ?, updated_at = ?
         WHERE id = ?`,
      ).run(branch ?? null, commitSha ?? null, prNumber ?? null, prUrl ?? null, JSON.stringify(rest), new Date(clock()).toISOString(), id);
      current = next;
    },
    note(type, detail) {
      addEvent(db, id, type, detail, new Date(clock()).toISOString());
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
export function markOpened(
  db: Database,
  id: string,
  result: { number: number; url: string; branch: string; state?: "merged" | "closed" },
  now: number,
): boolean {
  return db.transaction(() => {
    const at = new Date(now).toISOString();
    const r = db
      .prepare(
        `UPDATE proposals SET status = ?, pr_number = ?, pr_url = ?, branch = ?, lease_until = NULL,
           next_attempt_at = NULL, last_error = NULL, user_token = NULL, user_token_until = NULL, updated_at = ?
         WHERE id = ? AND status = 'queued'`,
      )
      .run(result.state ?? "opened", result.number, result.url, result.branch, at, id);
    if (r.changes !== 1) return false;
    addEvent(db, id, "opened", `Opened for review as #${result.number}: ${result.url}`, at);
    if (result.state) {
      addEvent(db, id, result.state, `Pull request #${result.number} was ${result.state} on GitHub before this site heard back; nothing more to deliver.`, at);
    }
    return true;
  })();
}

export function scheduleRetry(db: Database, id: string, at: number, error: string, type: string, detail: string, now: number): boolean {
  return db.transaction(() => {
    const r = db
      .prepare(
        `UPDATE proposals SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?
         WHERE id = ? AND status = 'queued'`,
      )
      .run(at, error, new Date(now).toISOString(), id);
    if (r.changes !== 1) return false;
    addEvent(db, id, type, detail, new Date(now).toISOString());
    return true;
  })();
}

/** How long a failed proposal keeps a signed-in contributor's token for a retry after a configuration fix. */
export const USER_TOKEN_GRACE_MS = 24 * 3_600_000;

/**
 * `failed` with the human reason. A configuration failure (`keepUserToken`)
 * keeps the contributor's token for a retry after the fix, for at most
 * {@link USER_TOKEN_GRACE_MS}; any other failure forgets it at once.
 */
export function markFailed(db: Database, id: string, reason: string, now: number, options: { keepUserToken?: boolean } = {}): boolean {
  return db.transaction(() => {
    const keep = options.keepUserToken === true;
    const r = db
      .prepare(
        `UPDATE proposals SET status = 'failed', lease_until = NULL, next_attempt_at = NULL, last_error = ?, updated_at = ?,
           user_token = CASE WHEN ? THEN user_token ELSE NULL END,
           user_token_until = CASE WHEN ? AND user_token IS NOT NULL THEN ? ELSE NULL END
         WHERE id = ? AND status = 'queued'`,
      )
      .run(reason, new Date(now).toISOString(), keep ? 1 : 0, keep ? 1 : 0, now + USER_TOKEN_GRACE_MS, id);
    if (r.changes !== 1) return false;
    addEvent(db, id, "failed", reason, new Date(now).toISOString());
    return true;
  })();
}

/**
 * Forgets the tokens that failed proposals kept past their grace period.
 * A retry after that delivers with the site's own credentials. Returns the ids.
 */
export function forgetExpiredUserTokens(db: Database, now: number): string[] {
  return db.transaction(() => {
    const rows = db
      .prepare("SELECT id FROM proposals WHERE user_token IS NOT NULL AND user_token_until IS NOT NULL AND user_token_until <= ?")
      .all(now) as { id: string }[];
    for (const { id } of rows) {
      db.prepare("UPDATE proposals SET user_token = NULL, user_token_until = NULL WHERE id = ?").run(id);
      addEvent(
        db,
        id,
        "sign-in-forgotten",
        "The contributor's GitHub sign-in was forgotten (kept 24 hours for a retry); a retry now delivers with the site's own GitHub access.",
        new Date(now).toISOString(),
      );
    }
    return rows.map((r) => r.id);
  })();
}

/**
 * Puts a failed (or waiting) proposal back in the queue, due now. Returns
 * false when the proposal is missing or already delivered.
 */
export function requeue(db: Database, id: string, now: number, detail: string): boolean {
  return db.transaction(() => {
    const r = db
      .prepare(
        `UPDATE proposals SET status = 'queued', next_attempt_at = ?, attempts = 0, lease_until = NULL, user_token_until = NULL,
           updated_at = ?
         WHERE id = ? AND status IN ('failed', 'queued')`,
      )
      .run(now, new Date(now).toISOString(), id);
    if (r.changes !== 1) return false;
    addEvent(db, id, "retry-requested", detail, new Date(now).toISOString());
    return true;
  })();
}

/**
 * After a restart: attempts left in flight by the previous process are
 * released (and retried at once; delivery is idempotent). Returns their ids.
 */
export function releaseInterruptedAttempts(db: Database, now: number): string[] {
  return db.transaction(() => {
    const rows = db.prepare("SELECT id FROM proposals WHERE status = 'queued' AND lease_until IS NOT NULL").all() as { id: string }[];
    for (const { id } of rows) {
      db.prepare("UPDATE proposals SET lease_until = NULL, next_attempt_at = ?, updated_at = ? WHERE id = ?").run(
        now,
        new Date(now).toISOString(),
        id,
      );
      addEvent(db, id, "recovered", "The previous attempt was interrupted (the server stopped); retrying.", new Date(now).toISOString());
    }
    return rows.map((r) => r.id);
  })();
}

/** Status change made by the review side (merged, closed, changes requested). */
export function setReviewStatus(db: Database, id: string, status: Exclude<ProposalStatus, "queued" | "failed">, detail: string, now: number): boolean {
  return db.transaction(() => {
    // A decided proposal needs no contributor token any more.
    const r = db.prepare("UPDATE proposals SET status = ?, user_token = NULL, user_token_until = NULL, updated_at = ? WHERE id = ? AND status != ?").run(
      status,
      new Date(now).toISOString(),
      id,
      status,
    );
    if (r.changes !== 1) return false;
    addEvent(db, id, status === "changes_requested" ? "changes-requested" : status, detail, new Date(now).toISOString());
    return true;
  })();
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
export function findProposalByChange(db: Database, forge: ForgeName, number: number, options: { orUnassigned?: boolean } = {}): Proposal | undefined {
  const row = db
    .prepare(`SELECT * FROM proposals WHERE pr_number = ? AND (forge = ?${options.orUnassigned ? " OR forge IS NULL" : ""}) ORDER BY created_at DESC LIMIT 1`)
    .get(number, forge) as Row | undefined;
  return row ? toProposal(row) : undefined;
}

/**
 * After a renumbering at merge time the stored files (and the number in the fields) become what was
 * merged, so the contributor's status page shows the merged text; a `renumbered` event per change.
 */
export function recordRenumbering(db: Database, id: string, files: ProposalFile[], plan: readonly { from: number; to: number }[], now: number): void {
  if (plan.length === 0) return;
  const proposal = getProposalRecord(db, id);
  if (!proposal) return;
  const fields = { ...proposal.fields };
  if (proposal.kind === "question" && plan[0]) fields.number = plan[0].to;
  const at = new Date(now).toISOString();
  db.transaction(() => {
    db.prepare("UPDATE proposals SET files = ?, fields = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(files), JSON.stringify(fields), at, id);
    for (const r of plan) {
      addEvent(db, id, "renumbered", `Question number ${r.from} was taken by another question meanwhile: renumbered to ${r.to}.`, at);
    }
  })();
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
 * numbers come from the data layer's counters (`sequences`; default: the same SQLite database).
 */
export function proposalRecords(db: Database, data: Pick<DataLayer, "db"> = sqliteDataLayer(db)): ProposalRecords {
  return {
    open(forge) {
      const rows = db
        .prepare(
          `SELECT * FROM proposals WHERE forge = ? AND pr_number IS NOT NULL AND status IN ('opened', 'changes_requested')
           ORDER BY created_at DESC, id DESC`,
        )
        .all(forge) as Row[];
      return rows.map(toQueueEntry);
    },
    byNumber(forge, number) {
      const row = db.prepare("SELECT * FROM proposals WHERE forge = ? AND pr_number = ?").get(forge, number) as Row | undefined;
      return row ? toQueueEntry(row) : undefined;
    },
    byId(id) {
      const row = db.prepare("SELECT * FROM proposals WHERE id = ?").get(id) as Row | undefined;
      return row ? toQueueEntry(row) : undefined;
    },
    async allocateNumber(forge, save) {
      // A number is never repeated; a crash between taking it and saving it skips it (one gap). Issue 11
      // part B puts both in one transaction once the proposals are on the data layer too.
      const n = await nextSequenceValue(data, `${forge}-review-number`);
      save(n);
      return n;
    },
  };
}
