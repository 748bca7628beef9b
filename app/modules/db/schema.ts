/**
 * The tables the typed data layer (Kysely, data.server.ts) may query, as the
 * migrations (migrations.ts) make them, with one owner module each:
 *
 *   maintainer_sessions   auth/store.server.ts
 *   webhook_deliveries    sync/deliveries.server.ts
 *   sequences             db/sequences.server.ts
 *   rate_limits           security/rate-limit.server.ts (through rate-limiter-flexible's stores)
 *   notifications         notifications/store.server.ts
 *   proposal_versions, proposal_revise_access   contributions/revise.server.ts
 *
 * The proposal tables (`proposals`, `proposal_events`) exist in both dialects
 * but are not listed here yet: until they move onto this layer their stores
 * use the SQLite connection directly (db/index.server.ts), so Kysely cannot
 * reach them by mistake. Epoch-millisecond columns are numbers in both
 * dialects (PostgreSQL's BIGINT is parsed to a number by the pool).
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
  maintainer_sessions: MaintainerSessionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sequences: SequencesTable;
  rate_limits: RateLimitsTable;
  notifications: NotificationsTable;
  proposal_versions: ProposalVersionsTable;
  proposal_revise_access: ProposalReviseAccessTable;
}
