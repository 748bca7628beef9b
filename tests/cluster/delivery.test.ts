/**
 * (a) The outbox across instances: the instance delivering a proposal dies
 * (SIGKILL) while the fake GitHub holds its create-pull call; once its lease
 * has lapsed another instance takes the proposal over, and every proposal
 * ends opened with exactly one pull request.
 *
 * The lease is short here (OUTBOX_LEASE_SECONDS=3) so the take-over comes
 * within seconds; nothing releases leases at start, so the restarted instance
 * does not steal anything either.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { proposeOn, startCluster, type Cluster } from "../support/cluster";
import { onceForSuite } from "../support/databases";
import { postgresOptedOut } from "../support/postgres";
import { until } from "../support/until";

let cluster: Cluster;
const LEASE_SECONDS = 3;

interface Row {
  id: string;
  status: string;
  pr_number: number | null;
  branch: string | null;
  lease_owner: string | null;
}

describe.skipIf(postgresOptedOut())("(a) a delivering instance killed mid-delivery", () => {
  const setup = onceForSuite(
    () =>
      startCluster({
        instances: 3,
        env: { PROPOSAL_RATE_LIMIT: "1000", OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS), OUTBOX_RETRY_BASE_MS: "1000", LOG_REQUESTS: "0" },
      }),
    (c) => c.close(),
  );
  beforeEach(() => {
    cluster = setup.value;
  });

  for (const phase of ["after", "before"] as const) {
    const what = phase === "after" ? "GitHub opened the pull request, its answer is held" : "the create-pull call is held before GitHub handles it";
    it(`${what}: SIGKILL the lease holder; another instance takes over once the lease lapses; one pull request per proposal`, async () => {
      const pullsBefore = cluster.fake.pulls().length;
      const hold = cluster.fake.hold({ path: "pulls/create", phase });
      const titles = [
        `How does an outbox lease survive a crash (${phase})?`,
        `Why must a pull request marker make delivery idempotent (${phase})?`,
        `What does FOR UPDATE SKIP LOCKED do for a job queue (${phase})?`,
      ];
      const ids = [await proposeOn(cluster, 0, titles[0]!), await proposeOn(cluster, 1, titles[1]!), await proposeOn(cluster, 2, titles[2]!)];

      const held = await hold.reached;
      const branch = (held.body as { head: string }).head.replace(/^[^:]+:/, "");
      const [heldRow] = await cluster.query<Row>("SELECT id, status, lease_owner FROM proposals WHERE branch = $1", [branch]);
      expect(heldRow, `the proposal of branch ${branch}`).toBeDefined();
      expect(heldRow!.status).toBe("queued");
      const victim = cluster.nodeOfLeaseOwner(heldRow!.lease_owner!);
      expect(victim, `the instance holding the lease ${heldRow!.lease_owner}`).toBeDefined();

      const killedAt = Date.now();
      await cluster.stop(victim!.index, "SIGKILL");
      hold.release();

      const rows = await until("every proposal opened", async () => {
        const r = await cluster.query<Row>("SELECT id, status, pr_number, branch FROM proposals WHERE id = ANY($1)", [ids]);
        return r.length === ids.length && r.every((x) => x.status === "opened") ? r : undefined;
      }, 45_000);

      // Exactly one pull request per proposal, each from the proposal's own branch.
      const pulls = cluster.fake.pulls().slice(pullsBefore);
      expect(pulls).toHaveLength(ids.length);
      expect(new Set(rows.map((r) => r.pr_number)).size).toBe(ids.length);
      for (const r of rows) {
        const mine = pulls.filter((p) => p.head.ref === r.branch);
        expect(mine.map((p) => p.number), `pull requests of ${r.id}`).toEqual([r.pr_number]);
      }

      // The held proposal was attempted twice: by the killed instance, then — after the lease lapsed — by another.
      const events = await cluster.query<{ type: string; at: string; detail: string }>(
        "SELECT type, at, detail FROM proposal_events WHERE proposal_id = $1 ORDER BY id",
        [heldRow!.id],
      );
      const attempts = events.filter((e) => e.type === "attempt");
      expect(attempts).toHaveLength(2);
      const takenOver = Date.parse(attempts[1]!.at) - killedAt;
      expect(takenOver).toBeLessThan((LEASE_SECONDS + 5) * 1000);
      if (phase === "after") {
        expect(events.find((e) => e.type === "pull-request")?.detail).toMatch(/opened by an earlier attempt/);
      }
      cluster.fake.assertNoViolations();

      // The instance comes back; it takes nothing that is not due.
      await cluster.start(victim!.index);
      const ready = await fetch(`${cluster.nodes[victim!.index]!.app.url}/healthz/ready`);
      expect(ready.status).toBe(200);
    }, 120_000);
  }
});
