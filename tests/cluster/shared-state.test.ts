/**
 * Three production servers on one PostgreSQL (tests/support/cluster.ts): what
 * must be shared is shared, whichever instance answers.
 *
 *   (c) the rate limits count across instances
 *   (d) a maintainer session made on instance 1 works on 2 and 3; signing out on 3 ends it on 1
 *   (e) one webhook delivery sent to two instances at once is handled once
 *
 * On the same harness: a killed instance's delivery taken over by another (a, delivery.test.ts), content
 * fanned out after a webhook to one instance (b, content.test.ts), mixed load with a restart (f,
 * load.test.ts), and the local review queue shared by the instances (local-queue.test.ts).
 */
import { beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { CLUSTER_SECRETS, startCluster, type Cluster } from "../support/cluster";
import { onceForSuite } from "../support/databases";
import { postgresOptedOut } from "../support/postgres";

let cluster: Cluster;
const url = (i: number) => cluster.nodes[i]!.app.url;

function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body.toString();
}

async function post(i: number, path: string, fields: Record<string, string | string[]>, cookie?: string): Promise<Response> {
  return fetch(url(i) + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url(i), ...(cookie ? { Cookie: cookie } : {}) },
    body: form(fields),
  });
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

// Without PostgreSQL these tests fail with a message saying how to get it (tests/support/postgres.ts),
// unless TEST_WITHOUT_POSTGRES=1 skips them on purpose.
describe.skipIf(postgresOptedOut())("three instances on one PostgreSQL", () => {
  // Started once; should that fail (no PostgreSQL, say), every test below fails with the reason.
  const setup = onceForSuite(
    () => startCluster({ instances: 3, env: { PROPOSAL_RATE_LIMIT: "2", LOG_REQUESTS: "0" } }),
    (c) => c.close(),
  );
  beforeEach(() => {
    cluster = setup.value;
  });

  describe("the cluster", () => {
    it("three instances are ready on the one PostgreSQL database", async () => {
      for (const i of [0, 1, 2]) {
        const res = await fetch(`${url(i)}/healthz/ready`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: "ok", database: { dialect: "postgres", ok: true } });
      }
      expect(await query("SELECT MAX(version)::int AS v FROM schema_migrations")).toEqual([{ v: expect.any(Number) }]);
    });
  });

  describe("(c) rate limits are shared by the instances", () => {
    it("the maintainer sign-in allows 10 attempts per client in all, whichever instances they reach", async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const res = await post(attempt % 3, "/auth/token", { token: `not-the-token-${attempt}` });
        expect(res.status, `attempt ${attempt + 1}`).toBe(403);
        await res.text();
      }
      for (const i of [0, 1, 2]) {
        // Even the right token now waits: the eleventh attempt is refused on every instance.
        const res = await post(i, "/auth/token", { token: CLUSTER_SECRETS.maintainerToken });
        expect(res.status, `instance ${i + 1}`).toBe(429);
        expect(await res.text()).toMatch(/Too many sign-in attempts/);
      }
      const rows = await query<{ key: string; points: number }>("SELECT key, points FROM rate_limits WHERE key LIKE 'sign-in:%'");
      expect(rows).toEqual([{ key: expect.stringMatching(/^sign-in:/), points: 13 }]);
    });

    it("PROPOSAL_RATE_LIMIT=2: one proposal on instance 1 and one on instance 2, and instance 3 asks to wait", async () => {
      const question = (title: string) => ({
        intent: "submit",
        kind: "question",
        title,
        body: "Which settings change, and what does the framework do differently at each step?",
        tags: ["deployment"],
        name: "Hedy Lamarr",
        licence: "on",
        submissionKey: crypto.randomUUID().replace(/-/g, ""),
      });
      const first = await post(0, "/contribute/question", question("How does a cluster share one rate limit per client?"));
      expect(first.status, await first.clone().text()).toBe(303);
      const second = await post(1, "/contribute/question", question("Why is a per-process rate limit not enough behind a load balancer?"));
      expect(second.status, await second.clone().text()).toBe(303);
      const third = await post(2, "/contribute/question", question("What happens to the third proposal sent within the window?"));
      expect(third.status).toBe(422);
      expect(await third.text()).toMatch(/You have sent several proposals in a short time/);
    });
  });

  describe("(d) maintainer sessions are shared by the instances", () => {
    it("a session made on instance 1 works on 2 and 3; signing out on 3 ends it on 1", async () => {
      // (c) used up this client's sign-in attempts: a new window, as fifteen minutes later.
      await query("DELETE FROM rate_limits WHERE key LIKE 'sign-in:%'");
      const signIn = await post(0, "/auth/token", { token: CLUSTER_SECRETS.maintainerToken });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;

      let csrf = "";
      for (const i of [1, 2]) {
        const anonymous = await fetch(`${url(i)}/review`);
        expect(anonymous.status, `instance ${i + 1} without the cookie`).toBe(403);
        await anonymous.text();
        const page = await fetch(`${url(i)}/review`, { headers: { Cookie: cookie } });
        expect(page.status, `instance ${i + 1} with the cookie`).toBe(200);
        const html = await page.text();
        csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
        expect(csrf, "the review page carries the session's form token").not.toBe("");
      }

      const out = await post(2, "/auth/logout", { csrf }, cookie);
      expect(out.status).toBe(303);
      const after = await fetch(`${url(0)}/review`, { headers: { Cookie: cookie } });
      expect(after.status, "the old cookie on instance 1 after signing out on instance 3").toBe(403);
      await after.text();
      expect(await query("SELECT id_hash FROM maintainer_sessions")).toEqual([]);
    });
  });

  describe("(e) webhook deliveries are deduplicated across instances", () => {
    it("each delivery id sent to instances 1 and 2 at the same moment is handled once; instance 3 sees it as done", async () => {
      const ids = Array.from({ length: 12 }, () => crypto.randomUUID());
      const answers = await Promise.all(
        ids.flatMap((id) =>
          [0, 1].map(async (i) => {
            const res = await cluster.webhook(i, "ping", { zen: "Keep it logically awesome.", hook_id: 1 }, id);
            return { id, status: res.status, body: (await res.json()) as Record<string, unknown> };
          }),
        ),
      );
      for (const id of ids) {
        const pair = answers.filter((a) => a.id === id);
        expect(pair.map((a) => a.status)).toEqual([200, 200]);
        expect(pair.filter((a) => a.body.duplicate === true), `delivery ${id}`).toHaveLength(1);
        expect(pair.filter((a) => a.body.ok === true && a.body.event === "ping")).toHaveLength(1);
        const late = await cluster.webhook(2, "ping", { zen: "again" }, id);
        expect(await late.json()).toEqual({ duplicate: true, delivery: id });
      }
      const rows = await query<{ delivery_id: string }>("SELECT delivery_id FROM webhook_deliveries WHERE delivery_id = ANY($1)", [ids]);
      expect(rows.map((r) => r.delivery_id).sort()).toEqual([...ids].sort());
    });
  });
});
