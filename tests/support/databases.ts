/**
 * Database tests on both dialects.
 *
 *   describeDialects("maintainer sessions", (t) => {
 *     it("…", async () => {
 *       const { data, db, dialect } = t();   // data: the data layer; db: the SQLite store of proposals
 *       …
 *     });
 *   });
 *
 * runs the suite twice, as `… [sqlite]` and `… [postgres]`:
 *
 *   sqlite    a fresh in-memory SQLite database per test; `data` shares its connection (the embedded default)
 *   postgres  a fresh PostgreSQL database per suite — created for it, migrated, dropped afterwards —
 *             emptied before each test (every table but schema_migrations), so each test starts from
 *             an empty migrated database; `url` reaches it from another process; `db` is an unused
 *             in-memory SQLite database (a PostgreSQL deployment opens none)
 *
 * When PostgreSQL cannot be reached the `[postgres]` suites FAIL with a message saying how to get it
 * (tests/support/postgres.ts); with TEST_WITHOUT_POSTGRES=1 they are skipped instead.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from "vitest";
import { openPostgresDataLayer, sqliteDataLayer, type DataLayer, type Dialect, type PostgresDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import { createDatabase, postgresOptedOut, probePostgres, unavailableMessage, type FreshDatabase, type PostgresInfo } from "./postgres";

export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres"];

export interface TestDatabases {
  dialect: Dialect;
  /** The data layer under test. */
  data: DataLayer;
  /** SQLite: the connection `data` shares. PostgreSQL: an unused in-memory SQLite database. */
  db: Database;
  /** PostgreSQL: the database's URL (for another process, e.g. a worker the test kills). */
  url?: string;
}

let probed: Promise<PostgresInfo> | undefined;

/** This run's PostgreSQL facts (from the global setup, or probed here when a config has none). */
export function postgresInfo(): Promise<PostgresInfo> {
  let provided: PostgresInfo | undefined;
  try {
    provided = inject("postgres");
  } catch {
    provided = undefined;
  }
  if (provided) return Promise.resolve(provided);
  probed ??= probePostgres();
  return probed;
}

let explained = false;

/** The error of a test that needs PostgreSQL when there is none: the whole explanation once per file, then short. */
function unavailableError(info: PostgresInfo): Error {
  const message = explained
    ? `PostgreSQL is not reachable at ${info.where} (${info.reason ?? "no answer"}): see the first failure of this file for how to get it.`
    : unavailableMessage(info);
  explained = true;
  return new Error(message);
}

/** A fresh PostgreSQL database for the calling suite, or a thrown, explanatory error when there is none. */
export async function freshPostgresDatabase(kind: "t" | "c" = "t"): Promise<FreshDatabase> {
  const info = await postgresInfo();
  if (!info.available) throw unavailableError(info);
  return createDatabase(info, kind);
}

/**
 * For a suite that sets something up once in `beforeAll`: a failure there (PostgreSQL unreachable, say) fails
 * every test of the suite with it, so each one counts as failed — never as skipped or passed.
 *
 *   const setup = onceForSuite(async () => startCluster());
 *   it("…", () => { const cluster = setup.value; … });
 */
export function onceForSuite<T>(make: () => Promise<T>, cleanup?: (value: T) => Promise<void> | void, timeoutMs = 180_000) {
  const state: { value: T; error?: unknown; ready: boolean } = { value: undefined as T, ready: false };
  beforeAll(async () => {
    try {
      state.value = await make();
      state.ready = true;
    } catch (error) {
      state.error = error;
    }
  }, timeoutMs);
  beforeEach(() => {
    if (!state.ready) throw state.error;
  });
  afterAll(async () => {
    if (state.ready && cleanup) await cleanup(state.value);
  }, timeoutMs);
  return state;
}

/** Empties every table but `schema_migrations` (a test that needs a second fresh start within itself). */
export async function emptyTables(data: PostgresDataLayer): Promise<void> {
  const tables = (
    await data.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'")
  ).rows.map((r) => `"${r.tablename}"`);
  if (tables.length > 0) await data.pool.query(`TRUNCATE TABLE ${tables.join(", ")} RESTART IDENTITY CASCADE`);
}

export function describeDialects(name: string, body: (current: () => TestDatabases) => void): void {
  for (const dialect of DIALECTS) {
    const suite = dialect === "postgres" && postgresOptedOut() ? describe.skip : describe;
    suite(`${name} [${dialect}]`, () => {
      let current: TestDatabases | undefined;
      // PostgreSQL: one database for the suite; without PostgreSQL every test fails, saying how to get it.
      const postgres =
        dialect === "postgres"
          ? onceForSuite(
              async () => {
                const database = await freshPostgresDatabase();
                try {
                  return { database, data: await openPostgresDataLayer(database.url, { max: 4 }) };
                } catch (error) {
                  await database.drop();
                  throw error;
                }
              },
              async ({ database, data }) => {
                await data.close();
                await database.drop();
              },
              60_000,
            )
          : undefined;

      beforeEach(async () => {
        const db = openMemoryDatabase();
        if (!postgres) {
          current = { dialect, data: sqliteDataLayer(db), db };
        } else {
          await emptyTables(postgres.value.data);
          current = { dialect, data: postgres.value.data, db, url: postgres.value.database.url };
        }
      });
      afterEach(() => {
        current?.db.close();
        current = undefined;
      });

      body(() => {
        if (!current) throw new Error("describeDialects: the database is only available inside a test");
        return current;
      });
    });
  }
}
