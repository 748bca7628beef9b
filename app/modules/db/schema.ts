/**
 * The tables the typed data layer (Kysely, data.server.ts) may query, as the
 * migrations (migrations.ts) make them, with one owner module each:
 *
 *   maintainer_sessions   auth/store.server.ts
 *   webhook_deliveries    sync/deliveries.server.ts
 *   sequences             db/sequences.server.ts
 *   rate_limits           security/rate-limit.server.ts (through rate-limiter-flexible's stores)
 *   proposals             contributions/store.server.ts
 *   proposal_events       contributions/store.server.ts
 *   notifications         notifications/store.server.ts
 *   proposal_versions, proposal_revise_access   contributions/revise.server.ts
 *
 * Epoch-millisecond columns are numbers in both dialects (PostgreSQL's BIGINT
 * is parsed to a number by the pool).
 */
import type { Generated } from "kysely";

export interface MaintainerSessionsTable {
  id_hash: string;
  kind: "token" | "github";
  login: string;
  name: string | null;
  github_token: string | null;
  credential: string | null;
  created_at: number;
  expires_at: number;
}

export interface WebhookDeliveriesTable {
  delivery_id: string;
  event: string;
  received_at: number;
  outcome: Generated<string>;
}

export interface SequencesTable {
  name: string;
  value: number;
}

export interface RateLimitsTable {
  key: string;
  points: Generated<number>;
  expire: number | null;
}

export type ProposalStatusValue = "queued" | "opened" | "merged" | "closed" | "failed" | "changes_requested";

export interface ProposalsTable {
  id: string;
  kind: "question" | "answer" | "edit";
  target: string;
  slug: string;
  title: string;
  /** JSON */
  fields: string;
  /** JSON */
  files: string;
  /** JSON, or null for proposals stored before it was recorded */
  base_files: string | null;
  contributor_name: string;
  contributor_github: string | null;
  contributor_email: string | null;
  status: Generated<ProposalStatusValue>;
  forge: "local" | "github" | null;
  branch: string | null;
  commit_sha: string | null;
  pr_number: number | null;
  pr_url: string | null;
  pr_title: string;
  pr_body: string;
  /** JSON */
  delivery_state: Generated<string>;
  user_token: string | null;
  user_token_until: number | null;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  lease_until: number | null;
  /** Which process holds the lease (migration 7). */
  lease_owner: string | null;
  last_error: string | null;
  submission_key: string | null;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

export interface ProposalEventsTable {
  id: Generated<number>;
  proposal_id: string;
  at: string;
  type: string;
  detail: Generated<string>;
}

export interface NotificationsTable {
  id: Generated<number>;
  event_key: string;
  proposal_id: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: Generated<"pending" | "sending" | "sent" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  message_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface ProposalVersionsTable {
  proposal_id: string;
  version: number;
  title: string;
  fields: string;
  files: string;
  commit_sha: string | null;
  created_at: string;
}

export interface ProposalReviseAccessTable {
  proposal_id: string;
  kind: "link" | "github";
  value: string;
  created_at: number;
}

export interface DataSchema {
  proposals: ProposalsTable;
  proposal_events: ProposalEventsTable;
  maintainer_sessions: MaintainerSessionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sequences: SequencesTable;
  rate_limits: RateLimitsTable;
  notifications: NotificationsTable;
  proposal_versions: ProposalVersionsTable;
  proposal_revise_access: ProposalReviseAccessTable;
}
