/**
 * PostgreSQL for the tests: where it is, whether it answers, and fresh
 * databases made for a test suite or a cluster and dropped afterwards.
 *
 *   TEST_DATABASE_URL      an administrative connection (it must be allowed to CREATE DATABASE).
 *                          Default: the local server as the current OS user — through the socket
 *                          directory /var/run/postgresql when it exists (Debian's `postgresql`
 *                          package), else 127.0.0.1:5432.
 *   TEST_WITHOUT_POSTGRES  `1`: a developer without PostgreSQL skips the PostgreSQL tests on purpose
 *                          (they are reported as skipped). CI never sets it (.ci/run unsets it): there,
 *                          and everywhere else, PostgreSQL tests FAIL when it cannot be reached.
 *
 * Databases are named `<checkout folder>_<kind>_<run>_…`, so parallel checkouts sharing one server
 * never touch each other's, and a run's leftovers (a crashed worker) are dropped at its end; those
 * of runs older than six hours too.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parse } from "pg-connection-string";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface PostgresInfo {
  /** The administrative connection URL. */
  url: string;
  /** The same, without a password, for messages. */
  where: string;
  available: boolean;
  /** Why it is not available. */
  reason?: string;
  /** TEST_WITHOUT_POSTGRES=1. */
  optedOut: boolean;
  /** This run's part of database names. */
  run: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: PostgresInfo;
  }
}

/** The folder name of this checkout as a database-name prefix (`pginfra`, `main`, …). */
export const DATABASE_PREFIX = (path.basename(ROOT).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "dq").slice(0, 20);

function connectionUrl(c: { user?: string | undefined; password?: string | undefined; host?: string | null | undefined; port?: string | number | null | undefined }, database: string): string {
  const auth = c.user ? `${encodeURIComponent(c.user)}${c.password ? `:${encodeURIComponent(c.password)}` : ""}@` : "";
  if (c.host?.startsWith("/")) return `postgresql://${auth}/${database}?host=${encodeURIComponent(c.host)}`;
  return `postgresql://${auth}${c.host ?? "127.0.0.1"}${c.port ? `:${c.port}` : ""}/${database}`;
}

/** The administrative URL: TEST_DATABASE_URL, or the local server as the OS user. */
export function adminUrl(): string {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) return given;
  const socketDir = "/var/run/postgresql";
  const host = fs.existsSync(socketDir) ? socketDir : "127.0.0.1";
  return connectionUrl({ user: os.userInfo().username, host, port: host.startsWith("/") ? null : 5432 }, "postgres");
}

/** `url` with another database. */
export function withDatabase(url: string, database: string): string {
  const c = parse(url);
  return connectionUrl({ user: c.user ?? os.userInfo().username, password: c.password, host: c.host, port: c.port }, database);
}

export function describeUrl(url: string): string {
  const c = parse(url);
  return `${c.user ?? os.userInfo().username}@${c.host ?? "localhost"}${c.port ? `:${c.port}` : ""}/${c.database ?? ""}`;
}

export function postgresOptedOut(): boolean {
  return ["1", "true", "yes"].includes((process.env.TEST_WITHOUT_POSTGRES ?? "").trim().toLowerCase());
}

/** What a developer reads when PostgreSQL is missing. */
export function unavailableMessage(info: Pick<PostgresInfo, "where" | "reason">): string {
  return [
    `PostgreSQL is not reachable at ${info.where} (${info.reason ?? "no answer"}).`,
    "These tests run against PostgreSQL as well as SQLite, and fail without it. To get PostgreSQL (README → Tests):",
    '  Debian/Ubuntu: sudo apt-get install -y postgresql && sudo -u postgres createuser --superuser "$(id -un)"',
    "  Docker:        docker compose up -d postgres   then   export TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres",
    "  Elsewhere:     set TEST_DATABASE_URL to a role allowed to CREATE DATABASE.",
    "To run without PostgreSQL on purpose (never in CI), set TEST_WITHOUT_POSTGRES=1: those tests are then skipped.",
  ].join("\n");
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Probes the server once. */
export async function probePostgres(run = newRunId()): Promise<PostgresInfo> {
  const url = adminUrl();
  const info: PostgresInfo = { url, where: describeUrl(url), available: false, optedOut: postgresOptedOut(), run };
  try {
    await withAdmin(url, async (c) => {
      await c.query("SELECT 1");
    });
    info.available = true;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    info.reason = e.message || e.code || String(error);
  }
  return info;
}

/** A run id: its start time (base 36, for the six-hour cleanup) and a random part. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

let counter = 0;

export interface FreshDatabase {
  name: string;
  /** Connection URL of the new database. */
  url: string;
  drop(): Promise<void>;
}

/** Makes an empty database (`kind`: `t` test suite, `c` cluster) and returns its URL. */
export async function createDatabase(info: PostgresInfo, kind: "t" | "c"): Promise<FreshDatabase> {
  const name = `${DATABASE_PREFIX}_${kind}_${info.run}_${process.pid}_${++counter}`;
  await withAdmin(info.url, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(info.url, name),
    drop: () => withAdmin(info.url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops this run's leftovers and those of runs started more than six hours ago. Never throws. */
export async function dropLeftovers(info: PostgresInfo): Promise<string[]> {
  if (!info.available) return [];
  try {
    return await withAdmin(info.url, async (c) => {
      const rows = (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${DATABASE_PREFIX}\\_%`])).rows;
      const pattern = new RegExp(`^${DATABASE_PREFIX}_[tc]_([0-9a-z]+)_\\d+_\\d+$`);
      const old = Date.now() - 6 * 3600_000;
      const dropped: string[] = [];
      for (const { datname } of rows) {
        const run = pattern.exec(datname)?.[1];
        if (!run) continue;
        const started = parseInt(run.slice(0, -4), 36);
        if (run === info.run || started < old) {
          await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
          dropped.push(datname);
        }
      }
      return dropped;
    });
  } catch {
    return [];
  }
}
