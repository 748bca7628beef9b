import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verify } from "@octokit/webhooks-methods";
import { startFakeGitHub, type FakeGitHub } from "./server.js";
import { octokitFor, SEED_FILES } from "./helpers.js";

const owner = "django-questions";
const repo = "content";
const secret = "it's a secret to everybody";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(statuses.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, received, server };
}

function summary(r: Received): string {
  const payload = JSON.parse(r.body) as { action?: string };
  return payload.action ? `${r.headers["x-github-event"]}.${payload.action}` : String(r.headers["x-github-event"]);
}

describe("fake GitHub webhooks", () => {
  let fake: FakeGitHub;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    receiver = await startReceiver([200, 200, 500]);
    fake = await startFakeGitHub({
      files: SEED_FILES,
      strict: true,
      users: [{ login: "alice", token: "alice-token", permission: "write" }],
      webhook: { url: receiver.url, secret },
    });
  });
  afterEach(async () => {
    await fake.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  it("delivers signed push and pull_request events in order, for API calls and maintainer actions", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    const main = fake.branch("main")!.sha;
    const { data: base } = await alice.rest.git.getCommit({ owner, repo, commit_sha: main });
    const { data: tree } = await alice.rest.git.createTree({ owner, repo, base_tree: base.tree.sha, tree: [{ path: "content/new.md", mode: "100644", type: "blob", content: "new\n" }, { path: "README.md", mode: "100644", type: "blob", sha: null }] });
    const { data: commit } = await alice.rest.git.createCommit({ owner, repo, message: "Add new", tree: tree.sha, parents: [main] });
    await alice.rest.git.createRef({ owner, repo, ref: "refs/heads/contrib/new", sha: commit.sha });
    const { data: pr } = await alice.rest.pulls.create({ owner, repo, title: "New", head: "contrib/new", base: "main" });
    await alice.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: ["new-question"] });
    const pushed = fake.pushCommit("contrib/new", { "content/new.md": "newer\n" }, "Tweak", { author: "alice" });
    const merged = fake.mergePull(pr.number, { method: "squash", by: "alice" });
    await fake.flushWebhooks();

    expect(receiver.received.map(summary)).toEqual([
      "push",
      "pull_request.opened",
      "pull_request.labeled",
      "push",
      "pull_request.synchronize",
      "push",
      "pull_request.closed",
    ]);
    for (const r of receiver.received) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await verify(secret, r.body, String(r.headers["x-hub-signature-256"]))).toBe(true);
      expect(await verify("wrong secret", r.body, String(r.headers["x-hub-signature-256"]))).toBe(false);
    }

    const [created, opened, labeled, sync, syncPr, mainPush, closed] = receiver.received.map((r) => JSON.parse(r.body));
    expect(created).toMatchObject({ ref: "refs/heads/contrib/new", before: "0".repeat(40), after: commit.sha, created: true, deleted: false });
    expect(created.commits[0]).toMatchObject({ id: commit.sha, message: "Add new", added: ["content/new.md"], removed: ["README.md"], modified: [] });
    expect(created.repository.full_name).toBe("django-questions/content");
    expect(opened.pull_request).toMatchObject({ number: pr.number, state: "open", html_url: pr.html_url, head: { ref: "contrib/new" } });
    expect(labeled.label.name).toBe("new-question");
    expect(sync).toMatchObject({ before: commit.sha, after: pushed, head_commit: { id: pushed, modified: ["content/new.md"] } });
    expect(syncPr).toMatchObject({ action: "synchronize", before: commit.sha, after: pushed });
    expect(mainPush).toMatchObject({ ref: "refs/heads/main", before: main, after: merged });
    expect(closed.pull_request).toMatchObject({ merged: true, merge_commit_sha: merged, state: "closed" });

    // The log mirrors what the receiver answered (the third delivery got a 500).
    expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200, 500, 200, 200, 200, 200]);
    fake.assertNoViolations();
  });

  it("redelivers with the same delivery id and signature", async () => {
    fake.pushCommit("main", { "x.md": "x\n" }, "x");
    await fake.flushWebhooks();
    const [first] = fake.deliveries;
    await fake.redeliver(first!.id);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["x-github-delivery"]).toBe(first!.id);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(fake.deliveries.map((d) => d.redelivery)).toEqual([false, true]);
  });

  it("records failed deliveries when nobody listens", async () => {
    const lonely = await startFakeGitHub({ webhook: { url: "http://127.0.0.1:9/hook", secret } });
    try {
      lonely.pushCommit("main", { "y.md": "y\n" }, "y");
      await lonely.flushWebhooks();
      expect(lonely.deliveries).toHaveLength(1);
      expect(lonely.deliveries[0]!.status).toBeUndefined();
      expect(lonely.deliveries[0]!.error).toBeTruthy();
    } finally {
      await lonely.close();
    }
  });
});
