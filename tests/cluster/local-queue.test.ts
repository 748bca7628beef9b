/**
 * The local review queue on a cluster (FORGE=local with DATABASE_URL and
 * CONTENT_REMOTE): the queue is shared in PostgreSQL, each instance serves
 * its own checkout of the content remote. A merge on one instance is
 * committed there, pushed to the remote, and the others fetch it at once
 * (NOTIFY); two maintainers merging the same proposal on two instances at
 * the same moment merge it once (advisory locks).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { git } from "../sync/git-fixture";
import { CLUSTER_SECRETS, postForm, proposeOn, startCluster, type Cluster } from "../support/cluster";
import { startAppServer } from "../support/app-server";
import { freshPostgresDatabase, onceForSuite } from "../support/databases";
import { postgresOptedOut } from "../support/postgres";
import { until } from "../support/until";

let cluster: Cluster;
const url = (i: number) => cluster.nodes[i]!.app.url;

describe.skipIf(postgresOptedOut())("the local review queue shared by three instances", () => {
  const setup = onceForSuite(
    () => startCluster({ instances: 3, env: { FORGE: "local", PROPOSAL_RATE_LIMIT: "1000", OUTBOX_RETRY_BASE_MS: "1000", LOG_REQUESTS: "0" } }),
    (c) => c.close(),
  );
  beforeEach(() => {
    cluster = setup.value;
  });

  it("proposed on instance 3, merged on instance 1 while instance 2 merges it too: one merge, and every instance serves it", async () => {
    const title = "How does a local merge reach every instance of a cluster?";
    const id = await proposeOn(cluster, 2, title);
    const [row] = await until("the proposal in the review queue", async () => {
      const r = await cluster.query<{ status: string; slug: string; pr_number: number }>("SELECT status, slug, pr_number FROM proposals WHERE id = $1", [id]);
      return r[0]?.status === "opened" ? r : undefined;
    });
    const slug = row!.slug;

    const signIn = await postForm(url(0), "/auth/token", { token: CLUSTER_SECRETS.maintainerToken });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const page = await fetch(`${url(1)}/review/${id}`, { headers: { Cookie: cookie } });
    expect(page.status, "instance 2 shows the proposal instance 3 took").toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    expect(csrf).not.toBe("");

    const originBefore = git(cluster.repo.origin, "rev-list", "--count", "main");
    const [one, two] = await Promise.all([0, 1].map((i) => postForm(url(i), `/review/${id}`, { intent: "merge", confirm: "yes", csrf }, cookie)));
    const statuses = [one!.status, two!.status].sort();
    expect(statuses, "one merge (303), the other refused (409: merged already)").toEqual([303, 409]);

    // One merge commit on the content remote, one "merged" event.
    expect(Number(git(cluster.repo.origin, "rev-list", "--count", "main"))).toBe(Number(originBefore) + 1);
    const events = await cluster.query<{ type: string }>("SELECT type FROM proposal_events WHERE proposal_id = $1 AND type = 'merged'", [id]);
    expect(events).toHaveLength(1);

    // Every instance serves it within seconds, the same page.
    const etags = await until("every instance serving the merged question", async () => {
      const answers = await Promise.all([0, 1, 2].map((i) => fetch(`${url(i)}/q/${slug}`)));
      for (const a of answers) await a.arrayBuffer();
      return answers.every((a) => a.status === 200) ? answers.map((a) => a.headers.get("etag")) : undefined;
    }, 5000);
    expect(new Set(etags).size).toBe(1);
  });
});

describe.skipIf(postgresOptedOut())("the local review queue with DATABASE_URL but no CONTENT_REMOTE", () => {
  it("is refused at start, saying why: a merge on one instance would never reach the others", async () => {
    const database = await freshPostgresDatabase("c");
    try {
      const started = startAppServer({
        DATABASE_URL: database.url,
        SESSION_SECRET: CLUSTER_SECRETS.session,
        MAINTAINER_TOKEN: CLUSTER_SECRETS.maintainerToken,
        FORGE: "local",
      });
      await expect(started).rejects.toThrow(/DATABASE_URL is set with the local review queue but without CONTENT_REMOTE[^]*would never reach the others/);
    } finally {
      await database.drop();
    }
  });
});
