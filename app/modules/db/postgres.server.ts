/**
 * PostgreSQL (`DATABASE_URL=postgres://…`): the connection pool and the
 * migrator. The same migrations as SQLite (migrations.ts, their `postgres`
 * statements) and the same `schema_migrations` bookkeeping; all pending
 * migrations run in one transaction that first takes an advisory lock, so
 * several instances starting at once migrate once and the others wait.
 */
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import { migrations as defaultMigrations, orderedMigrations, pendingMigrations, SCHEMA_MIGRATIONS_TABLE, type Migration } from "./migrations";

/** The advisory lock held while migrating (any constant; "dqmigrat" in ASCII). */
export const MIGRATION_LOCK_KEY = "7237470771286909300";

export class PostgresUnreachableError extends Error {
  constructor(where: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code || cause.name : String(cause);
    super(`PostgreSQL at ${where} could not be reached (${why}). Check DATABASE_URL and that the server is running.`);
    this.name = "PostgresUnreachableError";
  }
}

export interface PoolOptions {
  /** Most connections this process opens. Default 10. */
  max?: number;
  /** How long to wait for a connection. Default 5 s. */
  connectionTimeoutMs?: number;
  /** Shown in pg_stat_activity. Default `django-questions`. */
  applicationName?: string;
  /** Where an idle connection's error is reported (the pool replaces the connection). */
  onIdleError?: (error: Error) => void;
}

/** The URL without its password, for messages and logs: `user@host:port/database`. */
export function describePostgresUrl(url: string): string {
  try {
    const c = parseConnectionString(url);
    return `${c.user ? `${c.user}@` : ""}${c.host ?? "localhost"}${c.port ? `:${c.port}` : ""}/${c.database ?? ""}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

const INT8 = 20;

const parseInt8AsNumber = ((oid: number, format?: "text" | "binary") =>
  oid === INT8 && format !== "binary" ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/**
 * A pool over `url`. BIGINT (epoch milliseconds, counters, COUNT(*)) comes back as a number,
 * as SQLite gives it, rather than pg's default string; every value the app stores is far below 2^53.
 */
export function createPostgresPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? "django-questions",
    types: { getTypeParser: parseInt8AsNumber },
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on("error", (error) => (options.onIdleError ?? ((e: Error) => console.warn(`PostgreSQL: idle connection lost: ${e.message}`)))(error));
  return pool;
}

/** One connection outside the pool (LISTEN), with the pool's type parsing; `connect()` it. */
export function createPostgresClient(url: string, options: PoolOptions = {}): pg.Client {
  return new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    application_name: `${options.applicationName ?? "django-questions"} listener`,
    keepAlive: true,
    types: { getTypeParser: parseInt8AsNumber },
  });
}

/** Applies the pending migrations (their PostgreSQL statements). Returns the versions applied. */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = defaultMigrations): Promise<number[]> {
  const sorted = orderedMigrations(migrations);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    await client.query(SCHEMA_MIGRATIONS_TABLE);
    const applied = (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version));
    const pending = pendingMigrations(sorted, applied);
    for (const m of pending) {
      await client.query(m.postgres);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, new Date().toISOString()]);
    }
    await client.query("COMMIT");
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Current schema version of a PostgreSQL database (0 when it has none). */
export async function postgresSchemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return 0;
  const row = await pool.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
  return Number(row.rows[0]?.v ?? 0);
}
