/**
 * What `/healthz/ready` (and `/healthz`, kept for compatibility) reports:
 *
 *   ready       the database answers (PostgreSQL or SQLite) and the local SQLite store opens
 *   database    dialect, round-trip time or the error
 *   content     the version served, questions, answers, content errors, when and how it was last loaded,
 *               and whether every file is checked yet (`contentChecked`: false for a while after a first
 *               start on many files, whose bodies are parsed in the background — decisions/034)
 *   sync        the last git sync: when, and its error if it failed (credentials in URLs redacted)
 *   outbox      proposals waiting for delivery, and the oldest one's age
 *   instances   whether this instance hears the others (PostgreSQL LISTEN): while it does not, a merge or
 *               a push another instance took in reaches this one only with the next poll
 *
 * A failed sync or a backlog does not make an instance unready: every
 * instance would fail alike, and serving the content it has is better than
 * serving nothing; they are reported for monitoring. No memory figures: this
 * answer is public. `/healthz/live` only says the process answers.
 */
import { outboxBacklog } from "~/modules/contributions/store.server";
import type { Services } from "./services.server";

export interface HealthFacts {
  ready: boolean;
  contentVersion: string;
  questions: number;
  answers: number;
  contentErrors: number;
  /** False while a start's first pass is served and the bodies are parsed, checked and indexed in the background. */
  contentChecked: boolean;
  loadedAt: string;
  /** The last full load of the content folder: files, analysed, taken from the cache, milliseconds. */
  lastLoad?: { files: number; analysed: number; fromCache: number; ms: number };
  database: { dialect: "sqlite" | "postgres"; ok: boolean; ms?: number; error?: string };
  sync: { enabled: boolean; lastAt?: string; ok?: boolean; error?: string };
  outbox: { queued: number; oldestCreatedAt: string | null } | { error: string };
  instances: { listening: boolean; since?: string; error?: string };
}

/** One line, at most 300 characters, with any `user:password@` of a URL removed. */
export function publicError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split("\n").find((l) => l.trim() !== "") ?? text).trim();
  return line.replace(/\/\/[^/\s@]+@/g, "//***@").slice(0, 300);
}

type HealthServices = Pick<Services, "data" | "store" | "sync" | "bus">;

export async function healthFacts(services: HealthServices): Promise<HealthFacts> {
  const { content } = services.store;
  const started = performance.now();
  let database: HealthFacts["database"];
  try {
    await services.data.ping(2000);
    database = { dialect: services.data.dialect, ok: true, ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    database = { dialect: services.data.dialect, ok: false, error: publicError(error) };
  }
  let outbox: HealthFacts["outbox"];
  let outboxOk = true;
  try {
    outbox = await outboxBacklog(services.data);
  } catch (error) {
    outboxOk = false;
    outbox = { error: publicError(error) };
  }
  const last = services.sync.lastResult;
  return {
    ready: database.ok && outboxOk,
    contentVersion: content.version,
    questions: content.questions.length,
    answers: content.questions.reduce((n, q) => n + q.answers.length, 0),
    contentErrors: content.findings.filter((f) => f.severity === "error").length,
    contentChecked: services.store.checked,
    loadedAt: content.loadedAt.toISOString(),
    ...(services.store.lastLoad ? { lastLoad: services.store.lastLoad } : {}),
    database,
    sync: {
      enabled: services.sync.enabled,
      ...(last ? { lastAt: last.at, ok: !last.error, ...(last.error ? { error: publicError(last.error) } : {}) } : {}),
    },
    outbox,
    instances: (({ error, ...rest }) => ({ ...rest, ...(error ? { error: publicError(error) } : {}) }))(services.bus.status()),
  };
}
