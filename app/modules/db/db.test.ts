import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_FILE_NAME, migrate, nextSequenceValue, openDatabase, openMemoryDatabase, schemaVersion } from "./index.server";
import { migrations } from "./migrations";

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

  it("applies migrations once and keeps the data across reopenings", () => {
    const dir = tmp();
    const db = openDatabase(dir);
    expect(nextSequenceValue(db, "x")).toBe(1);
    db.close();
    const again = openDatabase(dir);
    expect(migrate(again)).toEqual([]);
    expect(nextSequenceValue(again, "x")).toBe(2);
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
    const broken = [...migrations, { version: migrations.length + 1, name: "broken", sql: "CREATE TABLE t (x); INSERT INTO nope VALUES (1);" }];
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
