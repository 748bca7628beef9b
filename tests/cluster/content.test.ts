/**
 * (b) Content across instances: a push to the content remote and a signed
 * `push` webhook to instance 2 only — instance 2 syncs its checkout and tells
 * the others (NOTIFY), which fetch theirs: instances 1 and 3 serve the new
 * question within 5 s, with the same ETag as instance 2.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "../support/cluster";
import { OWNER, REPO } from "../support/fake-github-app";
import { onceForSuite } from "../support/databases";
import { postgresOptedOut } from "../support/postgres";

let cluster: Cluster;

describe.skipIf(postgresOptedOut())("(b) a webhook to one instance updates every instance", () => {
  const setup = onceForSuite(() => startCluster({ instances: 3, env: { LOG_REQUESTS: "0" } }), (c) => c.close());
  beforeEach(() => {
    cluster = setup.value;
  });

  it("push + signed webhook to instance 2 only: instances 1 and 3 serve the new question within 5 s, with the same ETag", async () => {
    const slug = "how-does-a-webhook-reach-every-instance";
    const page = (i: number) => fetch(`${cluster.nodes[i]!.app.url}/q/${slug}`);
    for (const i of [0, 1, 2]) expect((await page(i)).status, `instance ${i + 1} before the push`).toBe(404);

    const sha = cluster.repo.pushQuestion({ slug, number: 950, title: "How does a webhook reach every instance of the site?" });
    const sent = Date.now();
    const res = await cluster.webhook(1, "push", {
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: sha,
      repository: { full_name: `${OWNER}/${REPO}`, default_branch: "main" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, event: "push", sync: "started" });

    const served: Record<number, { ms: number; etag: string }> = {};
    while (Object.keys(served).length < 3 && Date.now() - sent < 5000) {
      for (const i of [0, 1, 2]) {
        if (served[i]) continue;
        const r = await page(i);
        await r.arrayBuffer();
        if (r.status === 200) served[i] = { ms: Date.now() - sent, etag: r.headers.get("etag") ?? "" };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const i of [0, 1, 2]) expect(served[i], `instance ${i + 1} serves the question within 5 s`).toBeDefined();
    expect(served[0]!.etag).not.toBe("");
    expect(new Set(Object.values(served).map((s) => s.etag)).size, JSON.stringify(served)).toBe(1);
    console.info(`(b) served after: ${Object.entries(served).map(([i, s]) => `instance ${Number(i) + 1} ${s.ms} ms`).join(", ")}`);

    // Every checkout is at the pushed commit; only instance 2 was told by GitHub.
    for (const i of [0, 1, 2]) {
      const ready = (await (await fetch(`${cluster.nodes[i]!.app.url}/healthz/ready`)).json()) as { sync?: { ok?: boolean } };
      expect(ready.sync?.ok, `instance ${i + 1}'s last sync`).toBe(true);
    }
  });
});
