import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeDialects, freshPostgresDatabase } from "../../../tests/support/databases";
import { postgresOptedOut } from "../../../tests/support/postgres";
import { openPostgresDataLayer, sqliteDataLayer } from "./data.server";
import { DATABASE_FILE_NAME, migrate, openDatabase, openMemoryDatabase, schemaVersion } from "./index.server";
import { migrations } from "./migrations";
import { createPostgresPool, migratePostgres, postgresSchemaVersion } from "./postgres.server";
import { currentSequenceValue, nextSequenceValue } from "./sequences.server";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dq-db-"));
  dirs.push(d);
  return path.join(d, "nested", "data");
}

describe("openDatabase", () => {
  it("creates <dataDir>/django-questions.sqlite in WAL mode with foreign keys and a busy timeout", () => {
    const dir = tmp();
    const db = openDatabase(dir);
    expect(fs.existsSync(path.join(dir, DATABASE_FILE_NAME))).toBe(true);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
  });

  it("applies migrations once and keeps the data across reopenings", async () => {
    const dir = tmp();
    const db = openDatabase(dir);
    expect(await nextSequenceValue(sqliteDataLayer(db), "x")).toBe(1);
    db.close();
    const again = openDatabase(dir);
    expect(migrate(again)).toEqual([]);
    expect(await nextSequenceValue(sqliteDataLayer(again), "x")).toBe(2);
    expect(again.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: migrations.length });
    again.close();
  });

  it("refuses a database written by a newer version of the app", () => {
    const dir = tmp();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')").run(migrations.length + 1);
    db.close();
    expect(() => openDatabase(dir)).toThrow(/newer version of the app/);
  });

  it("rolls back a failing migration entirely", () => {
    const db = openMemoryDatabase();
    const broken = [...migrations, { version: migrations.length + 1, name: "broken", sqlite: "CREATE TABLE t (x); INSERT INTO nope VALUES (1);", postgres: "" }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
  });

  it("enforces the proposal statuses and deletes events with their proposal", () => {
    const db = openMemoryDatabase();
    const insert = (status: string) =>
      db
        .prepare(
          `INSERT INTO proposals (id, kind, target, slug, title, fields, files, contributor_name, status, pr_title, pr_body, fingerprint, created_at, updated_at)
           VALUES ('p1', 'question', 's', 's', 't', '{}', '[]', 'n', ?, 't', 'b', 'f', 'now', 'now')`,
        )
        .run(status);
    expect(() => insert("lost")).toThrow(/CHECK constraint/);
    insert("queued");
    db.prepare("INSERT INTO proposal_events (proposal_id, at, type) VALUES ('p1', 'now', 'created')").run();
    expect(() => db.prepare("INSERT INTO proposal_events (proposal_id, at, type) VALUES ('nope', 'now', 'x')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM proposals WHERE id = 'p1'").run();
    expect(db.prepare("SELECT COUNT(*) AS n FROM proposal_events").get()).toEqual({ n: 0 });
  });
});

describe("an existing SQLite database upgrades in place", () => {
  it("a database made by the previous build (5 migrations, with data) gets the new tables and keeps its rows", async () => {
    const dir = tmp();
    const old = openDatabase(dir, { migrations: migrations.filter((m) => m.version <= 5) });
    old.prepare("INSERT INTO sequences (name, value) VALUES ('local-review-number', 41)").run();
    old.prepare("INSERT INTO webhook_deliveries (delivery_id, event, received_at) VALUES ('d-1', 'push', 1)").run();
    old.close();
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'rate_limits'").get()).toEqual({ name: "rate_limits" });
    expect(await nextSequenceValue(sqliteDataLayer(db), "local-review-number")).toBe(42);
    expect(db.prepare("SELECT delivery_id FROM webhook_deliveries").all()).toEqual([{ delivery_id: "d-1" }]);
    db.close();
  });
});

describeDialects("named counters (sequences)", (t) => {
  it("count 1, 2, 3 per name, and never hand out a number twice when taken concurrently", async () => {
    const { data } = t();
    expect(await currentSequenceValue(data, "a")).toBe(0);
    expect(await nextSequenceValue(data, "a")).toBe(1);
    expect(await nextSequenceValue(data, "a")).toBe(2);
    expect(await nextSequenceValue(data, "b")).toBe(1);
    const many = await Promise.all(Array.from({ length: 20 }, () => nextSequenceValue(data, "a")));
    expect([...many].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    expect(await currentSequenceValue(data, "a")).toBe(22);
  });
});

describe.skipIf(postgresOptedOut())("PostgreSQL migrations", () => {
  it("three instances starting at once migrate the database once; a restart applies nothing", async () => {
    const database = await freshPostgresDatabase();
    const pools = [1, 2, 3].map(() => createPostgresPool(database.url, { max: 1 }));
    try {
      const applied = await Promise.all(pools.map((p) => migratePostgres(p)));
      expect(applied.map((a) => a.length).sort()).toEqual([0, 0, migrations.length]);
      expect(await postgresSchemaVersion(pools[0]!)).toBe(migrations.length);
      expect((await pools[0]!.query("SELECT COUNT(*) AS n FROM schema_migrations")).rows[0]).toEqual({ n: migrations.length });
      expect(await migratePostgres(pools[1]!)).toEqual([]);
      const tables = (await pools[0]!.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map((r) => r.tablename);
      expect(tables).toEqual([
        "maintainer_sessions",
        "notifications",
        "proposal_events",
        "proposal_revise_access",
        "proposal_versions",
        "proposals",
        "rate_limits",
        "schema_migrations",
        "sequences",
        "webhook_deliveries",
      ]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await database.drop();
    }
  });

  it("refuses a database written by a newer build, and rolls back a failing migration entirely", async () => {
    const database = await freshPostgresDatabase();
    const pool = createPostgresPool(database.url, { max: 1 });
    try {
      const broken = [...migrations, { version: migrations.length + 1, name: "broken", sqlite: "", postgres: "CREATE TABLE t (x int); INSERT INTO nope VALUES (1);" }];
      await expect(migratePostgres(pool, broken)).rejects.toThrow(/nope/);
      expect(await postgresSchemaVersion(pool)).toBe(0);
      await migratePostgres(pool);
      await pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 'x')", [migrations.length + 1]);
      await expect(migratePostgres(pool)).rejects.toThrow(/newer version of the app/);
      await expect(openPostgresDataLayer(database.url)).rejects.toThrow(/newer version of the app/);
    } finally {
      await pool.end();
      await database.drop();
    }
  });

  it("says where PostgreSQL could not be reached, without the password", async () => {
    await expect(openPostgresDataLayer("postgres://someone:hunter2@127.0.0.1:1/nothing", { connectionTimeoutMs: 2000 })).rejects.toThrow(
      /PostgreSQL at someone@127\.0\.0\.1:1\/nothing could not be reached \(.+\)\. Check DATABASE_URL/,
    );
    await expect(openPostgresDataLayer("postgres://someone:hunter2@127.0.0.1:1/nothing", { connectionTimeoutMs: 2000 })).rejects.not.toThrow(/hunter2/);
  });
});
