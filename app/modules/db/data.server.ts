/**
 * The data layer: one typed query builder (Kysely) over either dialect.
 *
 *   no DATABASE_URL (embedded default)  → SQLite, DATA_DIR/django-questions.sqlite, through the
 *                                          better-sqlite3 connection the composition root opens
 *   DATABASE_URL=postgres://…            → PostgreSQL, shared by every instance
 *
 * Its tables are listed in schema.ts, each with one owner module. On SQLite
 * Kysely has the one better-sqlite3 connection and serialises its queries and
 * transactions on it; the only other user of that connection is
 * rate-limiter-flexible's SQLite store (single statements). A transaction
 * body uses only its transaction's executor (a query on the layer itself
 * from inside one would wait for it forever). With PostgreSQL nothing is
 * kept in SQLite (see docs/decisions/023-data-layer.md and 027).
 */
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type pg from "pg";
import type { Database } from "./index.server";
import { createPostgresPool, describePostgresUrl, migratePostgres, PostgresUnreachableError, type PoolOptions } from "./postgres.server";
import type { DataSchema } from "./schema";

export type Dialect = "sqlite" | "postgres";

interface DataLayerBase {
  readonly db: Kysely<DataSchema>;
  /** Where the data is, for logs and messages (no password). */
  readonly description: string;
  /** One round trip to the database; rejects when it is unreachable (readiness). */
  ping(timeoutMs?: number): Promise<void>;
  /** Releases what this layer opened (PostgreSQL: the pool; SQLite: nothing, the connection has its owner). */
  close(): Promise<void>;
}

export interface SqliteDataLayer extends DataLayerBase {
  readonly dialect: "sqlite";
  /** The better-sqlite3 connection (shared; for rate-limiter-flexible's SQLite store). */
  readonly sqlite: Database;
}

export interface PostgresDataLayer extends DataLayerBase {
  readonly dialect: "postgres";
  /** The pg pool (for rate-limiter-flexible's PostgreSQL store). */
  readonly pool: pg.Pool;
}

export type DataLayer = SqliteDataLayer | PostgresDataLayer;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sqliteLayers = new WeakMap<Database, SqliteDataLayer>();

/**
 * The data layer over an open (migrated) SQLite connection, which stays open when the layer closes.
 * One per connection (the same object for the same connection): Kysely serialises its queries and
 * transactions per instance, so two instances over one connection could interleave a transaction.
 */
export function sqliteDataLayer(sqlite: Database): SqliteDataLayer {
  let layer = sqliteLayers.get(sqlite);
  if (!layer) {
    layer = makeSqliteDataLayer(sqlite);
    sqliteLayers.set(sqlite, layer);
  }
  return layer;
}

function makeSqliteDataLayer(sqlite: Database): SqliteDataLayer {
  const db = new Kysely<DataSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    dialect: "sqlite",
    db,
    sqlite,
    description: `SQLite ${sqlite.name}`,
    async ping() {
      if (!sqlite.open) throw new Error("the SQLite database is closed");
      sqlite.prepare("SELECT 1").get();
    },
    // Not db.destroy(): that would close the shared connection.
    async close() {},
  };
}

export interface OpenPostgresOptions extends PoolOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Connects to PostgreSQL, applies pending migrations, and returns the data layer over a pool. */
export async function openPostgresDataLayer(url: string, options: OpenPostgresOptions = {}): Promise<PostgresDataLayer> {
  const description = `PostgreSQL ${describePostgresUrl(url)}`;
  const pool = createPostgresPool(url, options);
  try {
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      throw new PostgresUnreachableError(describePostgresUrl(url), error);
    }
    if (options.migrate !== false) await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const db = new Kysely<DataSchema>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    dialect: "postgres",
    db,
    pool,
    description,
    async ping(timeoutMs = 2000) {
      await withTimeout(sql`SELECT 1`.execute(db), timeoutMs, "PostgreSQL");
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}

