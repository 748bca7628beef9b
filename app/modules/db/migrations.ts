/**
 * Ordered schema migrations of the application database.
 *
 * Rules: never edit or reorder a migration that has shipped; add a new one at
 * the end. Each migration runs inside a transaction together with the row that
 * records it in `schema_migrations`, so a crash never leaves half a migration.
 */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "proposals and their events",
    sql: `
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
  },
  {
    version: 2,
    name: "webhook deliveries already handled",
    sql: `
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
  },
  {
    version: 3,
    name: "maintainer sessions",
    sql: `
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
  },
  {
    version: 4,
    name: "proposal base files and user token deadline",
    sql: `
      -- JSON [{path, content | null}]: each file of the proposal as the content had it when
      -- the proposal was made (null: new file), so the status page diffs against that.
      ALTER TABLE proposals ADD COLUMN base_files TEXT;
      -- epoch milliseconds: a failed proposal forgets user_token after this (NULL: no deadline)
      ALTER TABLE proposals ADD COLUMN user_token_until INTEGER;
    `,
  },
  {
    version: 5,
    name: "token sessions bound to their credential",
    sql: `
      -- 'token' sessions: HMAC (keyed with SESSION_SECRET) of the credential they were made with
      -- (MAINTAINER_TOKEN, or the one-time link of one server process). A session whose credential
      -- is no longer the current one is signed out. NULL for 'github' sessions.
      ALTER TABLE maintainer_sessions ADD COLUMN credential TEXT;
      -- Token sessions made before this could be bound to nothing: they are signed out.
      DELETE FROM maintainer_sessions WHERE kind = 'token';
    `,
  },
];
