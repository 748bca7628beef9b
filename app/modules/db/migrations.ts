/**
 * Ordered schema migrations of the application database, for both dialects:
 * SQLite (the embedded default, `DATA_DIR/django-questions.sqlite`) and
 * PostgreSQL (`DATABASE_URL`). See docs/decisions/023-data-layer.md.
 *
 * Rules: never edit or reorder a migration that has shipped; add a new one at
 * the end, with the same schema in both dialects (types differ: SQLite's
 * INTEGER epoch milliseconds are PostgreSQL's BIGINT). Each migration runs
 * inside a transaction together with the row that records it in
 * `schema_migrations`, so a crash never leaves half a migration; on
 * PostgreSQL that transaction holds an advisory lock, so instances starting
 * together migrate once.
 */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "proposals and their events",
    sqlite: `
      CREATE TABLE proposals (
        id                 TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('question', 'answer', 'edit')),
        -- question: the new slug; answer: the question slug; edit: the repository path of the edited file
        target             TEXT NOT NULL,
        -- the question's slug (new, answered or edited)
        slug               TEXT NOT NULL,
        -- the question's title (pull request title, lists)
        title              TEXT NOT NULL,
        -- JSON: the submitted form fields (validated)
        fields             TEXT NOT NULL,
        -- JSON: [{ path, content }] the generated files, repository paths
        files              TEXT NOT NULL,
        contributor_name   TEXT NOT NULL,
        contributor_github TEXT,
        contributor_email  TEXT,
        status             TEXT NOT NULL DEFAULT 'queued'
                           CHECK (status IN ('queued', 'opened', 'merged', 'closed', 'failed', 'changes_requested')),
        forge              TEXT,
        branch             TEXT,
        commit_sha         TEXT,
        pr_number          INTEGER,
        pr_url             TEXT,
        pr_title           TEXT NOT NULL,
        pr_body            TEXT NOT NULL,
        -- JSON: forge-specific progress (fork owner, labels added, ...)
        delivery_state     TEXT NOT NULL DEFAULT '{}',
        -- a signed-in contributor's OAuth token, kept only until the proposal is delivered
        user_token         TEXT,
        attempts           INTEGER NOT NULL DEFAULT 0,
        -- epoch milliseconds
        next_attempt_at    INTEGER,
        -- epoch milliseconds; set while an attempt is in flight
        lease_until        INTEGER,
        last_error         TEXT,
        -- client-generated key of the form submission (double submit protection)
        submission_key     TEXT UNIQUE,
        -- hash of kind, target, files and contributor (same proposal sent twice)
        fingerprint        TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );
      CREATE INDEX proposals_due ON proposals (status, next_attempt_at);
      CREATE INDEX proposals_created ON proposals (created_at);
      CREATE INDEX proposals_fingerprint ON proposals (fingerprint);

      CREATE TABLE proposal_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        type        TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX proposal_events_by_proposal ON proposal_events (proposal_id, id);

      CREATE TABLE sequences (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE proposals (
        id                 TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('question', 'answer', 'edit')),
        target             TEXT NOT NULL,
        slug               TEXT NOT NULL,
        title              TEXT NOT NULL,
        fields             TEXT NOT NULL,
        files              TEXT NOT NULL,
        contributor_name   TEXT NOT NULL,
        contributor_github TEXT,
        contributor_email  TEXT,
        status             TEXT NOT NULL DEFAULT 'queued'
                           CHECK (status IN ('queued', 'opened', 'merged', 'closed', 'failed', 'changes_requested')),
        forge              TEXT,
        branch             TEXT,
        commit_sha         TEXT,
        pr_number          INTEGER,
        pr_url             TEXT,
        pr_title           TEXT NOT NULL,
        pr_body            TEXT NOT NULL,
        delivery_state     TEXT NOT NULL DEFAULT '{}',
        user_token         TEXT,
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at    BIGINT,
        lease_until        BIGINT,
        last_error         TEXT,
        submission_key     TEXT UNIQUE,
        fingerprint        TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );
      CREATE INDEX proposals_due ON proposals (status, next_attempt_at);
      CREATE INDEX proposals_created ON proposals (created_at);
      CREATE INDEX proposals_fingerprint ON proposals (fingerprint);

      CREATE TABLE proposal_events (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        type        TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX proposal_events_by_proposal ON proposal_events (proposal_id, id);

      CREATE TABLE sequences (
        name  TEXT PRIMARY KEY,
        value BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "webhook deliveries already handled",
    sqlite: `
      -- X-GitHub-Delivery ids of webhooks already handled: a redelivery is answered without redoing the work
      CREATE TABLE webhook_deliveries (
        delivery_id TEXT PRIMARY KEY,
        event       TEXT NOT NULL,
        -- epoch milliseconds; rows older than 30 days are pruned
        received_at INTEGER NOT NULL,
        outcome     TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
    `,
    postgres: `
      CREATE TABLE webhook_deliveries (
        delivery_id TEXT PRIMARY KEY,
        event       TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        outcome     TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
    `,
  },
  {
    version: 3,
    name: "maintainer sessions",
    sqlite: `
      -- One row per signed-in browser. The cookie carries only the random session id;
      -- the row is keyed by its SHA-256, so the table alone cannot be used to sign in.
      CREATE TABLE maintainer_sessions (
        id_hash      TEXT PRIMARY KEY,
        -- 'token': MAINTAINER_TOKEN or the one-time link; 'github': GitHub sign-in
        kind         TEXT NOT NULL CHECK (kind IN ('token', 'github')),
        login        TEXT NOT NULL,
        name         TEXT,
        -- the maintainer's GitHub OAuth token, AES-256-GCM encrypted with a key derived from SESSION_SECRET
        github_token TEXT,
        -- epoch milliseconds
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      );
      CREATE INDEX maintainer_sessions_expiry ON maintainer_sessions (expires_at);
    `,
    postgres: `
      CREATE TABLE maintainer_sessions (
        id_hash      TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('token', 'github')),
        login        TEXT NOT NULL,
        name         TEXT,
        github_token TEXT,
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL
      );
      CREATE INDEX maintainer_sessions_expiry ON maintainer_sessions (expires_at);
    `,
  },
  {
    version: 4,
    name: "proposal base files and user token deadline",
    sqlite: `
      -- JSON [{path, content | null}]: each file of the proposal as the content had it when
      -- the proposal was made (null: new file), so the status page diffs against that.
      ALTER TABLE proposals ADD COLUMN base_files TEXT;
      -- epoch milliseconds: a failed proposal forgets user_token after this (NULL: no deadline)
      ALTER TABLE proposals ADD COLUMN user_token_until INTEGER;
    `,
    postgres: `
      ALTER TABLE proposals ADD COLUMN base_files TEXT;
      ALTER TABLE proposals ADD COLUMN user_token_until BIGINT;
    `,
  },
  {
    version: 5,
    name: "token sessions bound to their credential",
    sqlite: `
      -- 'token' sessions: HMAC (keyed with SESSION_SECRET) of the credential they were made with
      -- (MAINTAINER_TOKEN, or the one-time link of one server process). A session whose credential
      -- is no longer the current one is signed out. NULL for 'github' sessions.
      ALTER TABLE maintainer_sessions ADD COLUMN credential TEXT;
      -- Token sessions made before this could be bound to nothing: they are signed out.
      DELETE FROM maintainer_sessions WHERE kind = 'token';
    `,
    postgres: `
      ALTER TABLE maintainer_sessions ADD COLUMN credential TEXT;
      DELETE FROM maintainer_sessions WHERE kind = 'token';
    `,
  },
  {
    version: 6,
    name: "rate limits",
    // The table rate-limiter-flexible's SQLite and PostgreSQL stores use (app/modules/security/rate-limit.server.ts):
    // one row per limiter and client, `<limiter>:<client address>`; with PostgreSQL every instance counts in it.
    sqlite: `
      CREATE TABLE rate_limits (
        key    TEXT PRIMARY KEY,
        points INTEGER NOT NULL DEFAULT 0,
        -- epoch milliseconds: the end of the key's window
        expire INTEGER
      );
      CREATE INDEX rate_limits_expire ON rate_limits (expire);
    `,
    postgres: `
      CREATE TABLE rate_limits (
        key    VARCHAR(255) PRIMARY KEY,
        points INTEGER NOT NULL DEFAULT 0,
        expire BIGINT
      );
      CREATE INDEX rate_limits_expire ON rate_limits (expire);
    `,
  },
  {
    version: 7,
    name: "outbox lease owner",
    // The outbox's lease names its holder (one id per process), so only that process renews it and
    // the others take the proposal once it has lapsed (docs/decisions/027-outbox-and-locks-on-postgresql.md).
    sqlite: `
      ALTER TABLE proposals ADD COLUMN lease_owner TEXT;
    `,
    postgres: `
      ALTER TABLE proposals ADD COLUMN lease_owner TEXT;
    `,
  },
  {
    version: 8,
    name: "e-mail notifications to contributors",
    // Owned by app/modules/notifications/store.server.ts: one row per proposal event worth a mail,
    // queued in the transaction that records the event, sent at most once by the mail worker.
    sqlite: `
      CREATE TABLE notifications (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        -- '<proposal id>:<event id>': one mail per event, however often it is recorded
        event_key       TEXT NOT NULL UNIQUE,
        proposal_id     TEXT NOT NULL,
        -- 'delivered', 'changes_requested', 'merged', 'closed', 'reopened'
        kind            TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        -- the rendered mail; emptied once sent (it may carry a revise link)
        text_body       TEXT NOT NULL,
        html_body       TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        -- epoch milliseconds
        next_attempt_at INTEGER NOT NULL,
        lease_until     INTEGER,
        last_error      TEXT,
        message_id      TEXT,
        created_at      INTEGER NOT NULL,
        sent_at         INTEGER
      );
      CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
      CREATE INDEX notifications_by_proposal ON notifications (proposal_id, id);
    `,
    postgres: `
      CREATE TABLE notifications (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_key       TEXT NOT NULL UNIQUE,
        proposal_id     TEXT NOT NULL,
        kind            TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        text_body       TEXT NOT NULL,
        html_body       TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_until     BIGINT,
        last_error      TEXT,
        message_id      TEXT,
        created_at      BIGINT NOT NULL,
        sent_at         BIGINT
      );
      CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
      CREATE INDEX notifications_by_proposal ON notifications (proposal_id, id);
    `,
  },
  {
    version: 9,
    name: "proposal versions and revise access",
    // Owned by app/modules/contributions/revise.server.ts.
    sqlite: `
      -- Every version of a revised proposal (1: as first sent). A proposal never revised has none.
      CREATE TABLE proposal_versions (
        proposal_id TEXT NOT NULL,
        version     INTEGER NOT NULL,
        title       TEXT NOT NULL,
        -- JSON, as proposals.fields and proposals.files
        fields      TEXT NOT NULL,
        files       TEXT NOT NULL,
        -- the commit of this version on the forge, when it has one
        commit_sha  TEXT,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (proposal_id, version)
      );
      -- Who may revise a proposal: the holder of a revise link (kind 'link', value: SHA-256 of its secret,
      -- hex) or the GitHub account that proposed it signed in (kind 'github', value: the login, lower case).
      CREATE TABLE proposal_revise_access (
        proposal_id TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('link', 'github')),
        value       TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (proposal_id, kind, value)
      );
    `,
    postgres: `
      CREATE TABLE proposal_versions (
        proposal_id TEXT NOT NULL,
        version     INTEGER NOT NULL,
        title       TEXT NOT NULL,
        fields      TEXT NOT NULL,
        files       TEXT NOT NULL,
        commit_sha  TEXT,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (proposal_id, version)
      );
      CREATE TABLE proposal_revise_access (
        proposal_id TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('link', 'github')),
        value       TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        PRIMARY KEY (proposal_id, kind, value)
      );
    `,
  },
];

/** The bookkeeping table, the same in both dialects. */
export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`;

/** The migrations in order, checked to be numbered 1, 2, 3, ... without gaps. */
export function orderedMigrations(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3, ... without gaps (found ${m.version} at position ${i + 1})`);
    }
  });
  return sorted;
}

/**
 * The migrations still to apply, given the versions recorded in the database. A database that
 * records a version this build does not know was written by a newer build: it is refused.
 */
export function pendingMigrations(sorted: readonly Migration[], applied: readonly number[]): Migration[] {
  const newest = Math.max(0, ...applied);
  if (newest > sorted.length) {
    throw new Error(
      `The database is at schema version ${newest} but this build only knows ${sorted.length}: it was opened by a newer version of the app.`,
    );
  }
  const done = new Set(applied);
  return sorted.filter((m) => !done.has(m.version));
}
