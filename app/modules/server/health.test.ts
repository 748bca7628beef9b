import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase } from "~/modules/db/index.server";
import type { BusStatus } from "~/modules/db/bus.server";
import { healthFacts, publicError, type HealthFacts } from "./health.server";
import { createServerHandler, loggedUrl, requestIdOf } from "./http.server";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const FACTS: HealthFacts = {
  ready: true,
  contentVersion: "v1",
  questions: 3,
  answers: 2,
  contentErrors: 0,
  contentChecked: true,
  loadedAt: "2026-12-04T10:00:00.000Z",
  database: { dialect: "postgres", ok: true, ms: 1.5 },
  sync: { enabled: true, lastAt: "2026-12-04T10:00:00.000Z", ok: true },
  outbox: { queued: 0, oldestCreatedAt: null },
  instances: { listening: true },
};

/** The handler alone (health paths never reach Remix, so the build is never used). */
async function serve(options: { facts?: () => HealthFacts; draining?: () => boolean } = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = {
    info: (o: Record<string, unknown>) => void lines.push({ level: "info", ...o }),
    warn: (o: Record<string, unknown>) => void lines.push({ level: "warn", ...o }),
    error: (o: Record<string, unknown>) => void lines.push({ level: "error", ...o }),
  };
  const handler = createServerHandler((() => Promise.reject(new Error("no build in this test"))) as unknown as ServerBuild, {
    mode: "production",
    pageCache: true,
    logRequests: true,
    contentVersion: () => "v1",
    health: options.facts ?? (() => FACTS),
    isDraining: options.draining ?? (() => false),
    logger: logger as never,
  });
  const server = http.createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

describe("health endpoints", () => {
  it("/healthz/ready and /healthz answer 200 ok with the facts, never memory figures; /healthz/live says the process answers", async () => {
    const { url } = await serve();
    for (const path of ["/healthz/ready", "/healthz"]) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: "ok", ready: true, questions: 3, database: { dialect: "postgres", ok: true } });
      expect(JSON.stringify(body)).not.toMatch(/memory|rss|heap/i);
    }
    expect(await (await fetch(url + "/healthz/live")).json()).toEqual({ status: "ok" });
  });

  it("answers 503 `unavailable` when the database does not answer, and 503 `draining` once the shutdown started (live stays 200)", async () => {
    let draining = false;
    let facts: HealthFacts = { ...FACTS, ready: false, database: { dialect: "postgres", ok: false, error: "connect ECONNREFUSED" } };
    const { url } = await serve({ facts: () => facts, draining: () => draining });
    let res = await fetch(url + "/healthz/ready");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable", ready: false, database: { ok: false, error: "connect ECONNREFUSED" } });
    facts = FACTS;
    draining = true;
    res = await fetch(url + "/healthz/ready");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "draining", ready: false });
    res = await fetch(url + "/healthz/live");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "draining" });
  });

  it("logs one JSON line per request with its request id (the proxy's, when it sends a valid one), and returns the id", async () => {
    const { url, lines } = await serve();
    const own = await fetch(url + "/healthz/live");
    const given = await fetch(url + "/healthz/live", { headers: { "X-Request-Id": "caddy-0123456789abcdef" } });
    const forged = await fetch(url + "/healthz/live", { headers: { "X-Request-Id": "bad id\twith spaces" } });
    expect(given.headers.get("x-request-id")).toBe("caddy-0123456789abcdef");
    expect(own.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ level: "info", reqId: "caddy-0123456789abcdef", method: "GET", url: "/healthz/live", status: 200, ms: expect.any(Number) });
  });

  it("masks secrets that travel in a query, and keeps only well-formed request ids", () => {
    expect(loggedUrl("/auth/token?token=s3cr3t&returnTo=/review")).toBe("/auth/token?token=***&returnTo=/review");
    expect(loggedUrl("/auth/github/callback?code=abc&state=def")).toBe("/auth/github/callback?code=***&state=***");
    expect(loggedUrl("/search?q=token")).toBe("/search?q=token");
    expect(requestIdOf({ headers: { "x-request-id": "short" } } as never)).not.toBe("short");
  });
});

describe("health facts", () => {
  it("are ready with a database that answers, and not ready when it fails; errors lose their credentials", async () => {
    const db = openMemoryDatabase();
    const data = sqliteDataLayer(db);
    const store = { content: { version: "v9", questions: [{ answers: [1, 2] }], findings: [], loadedAt: new Date(0) } };
    const sync = { enabled: true, lastResult: { error: "git fetch https://x-access-token:ghp_secret@github.com/o/r.git: timed out\nmore", at: "t" } };
    let bus: BusStatus = { listening: true };
    const services = { data, db, store, sync, bus: { status: () => bus } } as unknown as Parameters<typeof healthFacts>[0];
    const ok = await healthFacts(services);
    expect(ok).toMatchObject({ ready: true, contentVersion: "v9", questions: 1, answers: 2, database: { dialect: "sqlite", ok: true }, outbox: { queued: 0 } });
    expect(ok.sync).toEqual({ enabled: true, lastAt: "t", ok: false, error: "git fetch https://***@github.com/o/r.git: timed out" });
    expect(ok.instances).toEqual({ listening: true });
    // An instance that does not hear the others is reported (still ready: the poll catches up), its error without credentials.
    bus = { listening: false, since: "2026-12-04T10:00:00.000Z", error: "connect ECONNREFUSED postgres://app:pw@db:5432/x" };
    const deaf = await healthFacts(services);
    expect(deaf.ready).toBe(true);
    expect(deaf.instances).toEqual({ listening: false, since: "2026-12-04T10:00:00.000Z", error: "connect ECONNREFUSED postgres://***@db:5432/x" });
    db.close();
    const down = await healthFacts(services);
    expect(down.ready).toBe(false);
    expect(down.database).toMatchObject({ ok: false, error: expect.stringMatching(/closed/) });
    expect(publicError(new Error("x".repeat(500)))).toHaveLength(300);
  });
});
