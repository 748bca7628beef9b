import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { migrations as defaultMigrations, type Migration } from "./migrations";

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

/** Applies the migrations not yet recorded in `schema_migrations`, in order. Returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = defaultMigrations): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3, ... without gaps (found ${m.version} at position ${i + 1})`);
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...applied);
  if (newest > sorted.length) {
    throw new Error(
      `The database is at schema version ${newest} but this build only knows ${sorted.length}: it was opened by a newer version of the app.`,
    );
  }
  const done: number[] = [];
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    done.push(m.version);
  }
  return done;
}

/** Current schema version (0 for an empty database). */
export function schemaVersion(db: Database): number {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/** Atomically increments and returns the named counter (1, 2, 3, ...). */
export function nextSequenceValue(db: Database, name: string): number {
  const row = db
    .prepare(
      `INSERT INTO sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1
       RETURNING value`,
    )
    .get(name) as { value: number };
  return row.value;
}
