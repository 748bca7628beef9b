/**
 * (f) 60 s of mixed load on three instances — readers on the pages, a
 * contributor sending proposals — with instance 2 restarted (SIGTERM, then
 * started again) midway. The test plays the load balancer: it sends nothing
 * new to an instance from the moment it is told to stop until it is ready
 * again, so only requests already in flight there could fail.
 *
 * Must hold: no 5xx (nor a failed connection) anywhere but on those in-flight
 * requests; every proposal the site accepted (303) is stored once and ends
 * with exactly one pull request; none is lost or doubled.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ROOT } from "../support/app-server";
import { postForm, questionFields, startCluster, type Cluster } from "../support/cluster";
import { onceForSuite } from "../support/databases";
import { postgresOptedOut } from "../support/postgres";

const LOAD_MS = 60_000;
const RESTART_AT_MS = 25_000;
const READERS = 4;
const PROPOSAL_EVERY_MS = 2000;
const RESTARTED = 1;

let cluster: Cluster;

interface Sample {
  instance: number;
  kind: "read" | "propose";
  path: string;
  status: number | "error";
  /** Sent to the instance while it was restarting (before its SIGTERM, answered after). */
  inFlightAtRestart: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readingPaths(): string[] {
  const slugs = fs.readdirSync(path.join(ROOT, "content/questions")).sort().slice(0, 25);
  return ["/", "/search?q=queryset", "/tags/orm", "/feed.xml", "/practice", ...slugs.map((s) => `/q/${s}`)];
}

describe.skipIf(postgresOptedOut())("(f) mixed load on three instances with a restart midway", () => {
  const setup = onceForSuite(
    () =>
      startCluster({
        instances: 3,
        env: { PROPOSAL_RATE_LIMIT: "100000", OUTBOX_RETRY_BASE_MS: "1000", OUTBOX_LEASE_SECONDS: "5", LOG_REQUESTS: "0" },
      }),
    (c) => c.close(),
  );
  beforeEach(() => {
    cluster = setup.value;
  });

  it("60 s of reading and proposals, instance 2 restarted: no 5xx but its in-flight requests, no proposal lost or doubled", async () => {
    const paths = readingPaths();
    const samples: Sample[] = [];
    /** Instances the "load balancer" sends to. */
    const live = new Set([0, 1, 2]);
    let restarting = false;
    let stopping = false;
    const start = Date.now();
    const pullsBefore = cluster.fake.pulls().length;
    let turn = 0;
    const pick = (): number | undefined => {
      const order = [...live];
      if (order.length === 0) return undefined;
      return order[turn++ % order.length];
    };

    async function send(kind: Sample["kind"], route: string, request: (base: string) => Promise<Response>): Promise<Response | undefined> {
      const instance = pick();
      if (instance === undefined) return undefined;
      const base = cluster.nodes[instance]!.app.url;
      const sample: Sample = { instance, kind, path: route, status: "error", inFlightAtRestart: false };
      samples.push(sample);
      const beganDuringLife = !restarting || instance !== RESTARTED;
      try {
        const res = await request(base);
        sample.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        return res;
      } catch {
        return undefined;
      } finally {
        // Sent while the instance was still taking requests, answered (or not) after it was told to stop.
        if (instance === RESTARTED && beganDuringLife && restarting) sample.inFlightAtRestart = true;
      }
    }

    const readers = Array.from({ length: READERS }, async (_, r) => {
      for (let i = r; !stopping; i++) {
        const route = paths[i % paths.length]!;
        await send("read", route, (base) => fetch(base + route, { redirect: "manual" }));
        await sleep(20);
      }
    });

    const accepted: string[] = [];
    const proposer = (async () => {
      for (let n = 1; !stopping; n++) {
        const title = `How does load test proposal number ${n} reach GitHub exactly once?`;
        const res = await send("propose", "/contribute/question", (base) =>
          postForm(base, "/contribute/question", questionFields(title, `Proposal ${n} of the load test: which instance stores it, and which delivers it?`)),
        );
        if (res?.status === 303) accepted.push(res.headers.get("location")!.replace("/contributions/", ""));
        await sleep(PROPOSAL_EVERY_MS);
      }
    })();

    const restart = (async () => {
      await sleep(RESTART_AT_MS);
      restarting = true;
      live.delete(RESTARTED);
      await cluster.stop(RESTARTED, "SIGTERM");
      await cluster.start(RESTARTED);
      restarting = false;
      live.add(RESTARTED);
    })();

    await sleep(LOAD_MS);
    stopping = true;
    await Promise.all([...readers, proposer, restart]);
    const elapsed = Date.now() - start;

    // Every accepted proposal ends opened (the outboxes keep delivering after the load).
    const deadline = Date.now() + 150_000;
    let rows: { id: string; status: string; pr_number: number | null; branch: string | null }[] = [];
    for (;;) {
      rows = await cluster.query("SELECT id, status, pr_number, branch FROM proposals");
      if (rows.every((r) => r.status === "opened") || Date.now() > deadline) break;
      await sleep(500);
    }

    const failures = samples.filter((s) => s.status === "error" || (typeof s.status === "number" && s.status >= 500));
    const unexpected = failures.filter((s) => !s.inFlightAtRestart);
    const byStatus = samples.reduce<Record<string, number>>((acc, s) => ((acc[String(s.status)] = (acc[String(s.status)] ?? 0) + 1), acc), {});
    const pulls = cluster.fake.pulls().slice(pullsBefore);
    console.info(
      `(f) ${samples.length} requests in ${Math.round(elapsed / 1000)} s (${samples.filter((s) => s.kind === "read").length} reads, ` +
        `${samples.filter((s) => s.kind === "propose").length} proposals sent, ${accepted.length} accepted); statuses ${JSON.stringify(byStatus)}; ` +
        `5xx/failed: ${failures.length} (in flight at the restart: ${failures.length - unexpected.length}); ` +
        `proposals stored ${rows.length}, opened ${rows.filter((r) => r.status === "opened").length}, pull requests ${pulls.length}`,
    );

    expect(unexpected, JSON.stringify(unexpected.slice(0, 10))).toEqual([]);
    expect(samples.filter((s) => s.instance === RESTARTED && !s.inFlightAtRestart).length, "the restarted instance served again").toBeGreaterThan(0);
    // No proposal lost: each accepted one is stored (once: ids are unique) and opened.
    const stored = new Set(rows.map((r) => r.id));
    for (const id of accepted) expect(stored.has(id), `accepted proposal ${id} is stored`).toBe(true);
    expect(rows.filter((r) => r.status !== "opened"), "proposals not delivered").toEqual([]);
    // None doubled: one pull request per stored proposal, from its own branch.
    expect(pulls).toHaveLength(rows.length);
    for (const r of rows) expect(pulls.filter((p) => p.head.ref === r.branch).map((p) => p.number), r.id).toEqual([r.pr_number]);
    cluster.fake.assertNoViolations();
  }, 300_000);
});
