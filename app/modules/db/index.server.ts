/**
 * The SQLite database under DATA_DIR (`django-questions.sqlite`): opened
 * synchronously with every pending migration applied (their SQLite statements,
 * migrations.ts). The data layer (data.server.ts) runs over this connection by
 * default; with DATABASE_URL it is PostgreSQL and no SQLite database is opened.
 */
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { migrations as defaultMigrations, orderedMigrations, pendingMigrations, SCHEMA_MIGRATIONS_TABLE, type Migration } from "./migrations";

export type Database = BetterSqlite3.Database;

export const DATABASE_FILE_NAME = "django-questions.sqlite";

export interface OpenDatabaseOptions {
  /** An in-memory database (tests). `dataDir` is ignored. */
  memory?: boolean;
  /** How long a writer waits for a lock held by another connection. Default 5 s. */
  busyTimeoutMs?: number;
  /** Override the migrations (tests of the migrator). */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) `<dataDir>/django-questions.sqlite`: WAL journal,
 * busy timeout, foreign keys on, every pending migration applied.
 * `openDatabase(":memory:")` or `{ memory: true }` gives an in-memory database.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Database {
  const memory = options.memory === true || dataDir === ":memory:";
  let file = ":memory:";
  if (!memory) {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, DATABASE_FILE_NAME);
  }
  const db = new BetterSqlite3(file);
  try {
    if (!memory) db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    migrate(db, options.migrations ?? defaultMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** An in-memory database with the full schema (tests). */
export function openMemoryDatabase(): Database {
  return openDatabase(":memory:", { memory: true });
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order (their SQLite
 * statements). Returns the versions applied. PostgreSQL: `migratePostgres` (postgres.server.ts).
 */
export function migrate(db: Database, migrations: readonly Migration[] = defaultMigrations): number[] {
  const sorted = orderedMigrations(migrations);
  db.exec(SCHEMA_MIGRATIONS_TABLE);
  const applied = (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version);
  const pending = pendingMigrations(sorted, applied);
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sqlite);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return pending.map((m) => m.version);
}

/** Current schema version (0 for an empty database). */
export function schemaVersion(db: Database): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}
