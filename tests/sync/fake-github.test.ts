/**
 * The webhook handler and the poller against the fake GitHub: real, signed
 * deliveries whose payloads are checked against GitHub's OpenAPI description
 * (strict mode), and the real GitHub forge reading pull request states.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderPullRequestBody } from "~/modules/contributions/pull-request";
import { getEvents, getProposalRecord, insertProposal, markOpened } from "~/modules/contributions/store.server";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";
import { createDeliveryStore } from "~/modules/sync/deliveries.server";
import type { GitSyncResult } from "~/modules/sync/git.server";
import type { SyncLog } from "~/modules/sync/log";
import { startPoller } from "~/modules/sync/poller.server";
import { handleGitHubWebhook } from "~/modules/sync/webhook.server";
import { octokitFor, SEED_FILES } from "../fake-github/helpers";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";

const OWNER = "django-questions";
const REPO = "content";
const SECRET = "webhook-secret-for-the-fake";
const quiet: SyncLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

let db: Database;
let fake: FakeGitHub;
let receiver: Server;
let receiverDown = false;
let sync: { sync: ReturnType<typeof vi.fn<(reason?: string) => Promise<GitSyncResult>>> };

/** Our webhook endpoint, as a bare HTTP server around the handler. */
async function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (receiverDown) {
        res.writeHead(503).end("down for maintenance");
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      void handleGitHubWebhook(
        { body: Buffer.concat(chunks).toString("utf8"), headers },
        { secret: SECRET, data: sqliteDataLayer(db), deliveries: createDeliveryStore(sqliteDataLayer(db)), sync, repository: `${OWNER}/${REPO}`, log: quiet },
      ).then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
      });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/github`;
}

async function addProposal(id: string): Promise<string> {
  const body = renderPullRequestBody("{{summary}}\n\n{{files}}", {
    id,
    kind: "question",
    summary: "A new question",
    contributor: { name: "Jane Doe" },
    files: [{ path: `content/questions/${id}/question.md` }],
    statusUrl: `/contributions/${id}`,
  });
  await insertProposal(
    sqliteDataLayer(db),
    {
      id,
      kind: "question",
      target: id,
      slug: id,
      title: "What is a fake?",
      fields: {},
      files: [],
      contributor: { name: "Jane Doe" },
      prTitle: "Question: What is a fake?",
      prBody: body,
      fingerprint: `fp-${id}`,
      createdAt: new Date().toISOString(),
    },
    "Proposal received.",
  );
  await sqliteDataLayer(db).db.updateTable("proposals").set({ forge: "github" }).where("id", "=", id).execute();
  return body;
}

async function openPullRequest(id: string, body: string): Promise<number> {
  fake.pushCommit(`proposal/${id}`, { [`content/questions/${id}/question.md`]: "---\nnumber: 2\n---\nWhat?\n" }, `Add ${id}`, { author: "dq-bot" });
  const bot = octokitFor(fake.url, "bot-token");
  const { data } = await bot.rest.pulls.create({ owner: OWNER, repo: REPO, head: `proposal/${id}`, base: "main", title: `Question: ${id}`, body });
  await markOpened(sqliteDataLayer(db), id, { number: data.number, url: data.html_url, branch: `proposal/${id}` }, Date.now());
  return data.number;
}

beforeEach(async () => {
  receiverDown = false;
  db = openMemoryDatabase();
  sync = { sync: vi.fn(async (reason?: string) => ({ updated: true, from: "a", to: "b", changed: [], reason: reason ?? "", at: "" })) };
  const url = await startReceiver();
  fake = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: SEED_FILES,
    strict: true,
    users: [
      { login: "dq-bot", token: "bot-token", permission: "write" },
      { login: "maintainer", token: "maintainer-token", permission: "admin" },
    ],
    webhook: { url, secret: SECRET },
  });
});
afterEach(async () => {
  await fake.close();
  await new Promise((resolve) => receiver.close(resolve));
  db.close();
});

describe("GitHub deliveries from the fake", () => {
  it("a merge marks the proposal merged and starts the content sync; a redelivery does nothing", async () => {
    const body = await addProposal("what-is-a-fake");
    const number = await openPullRequest("what-is-a-fake", body);
    await fake.flushWebhooks();
    sync.sync.mockClear();

    fake.mergePull(number, { by: "maintainer" });
    await fake.flushWebhooks();

    const proposal = (await getProposalRecord(sqliteDataLayer(db), "what-is-a-fake"))!;
    expect(proposal.status).toBe("merged");
    const merged = (await getEvents(sqliteDataLayer(db), "what-is-a-fake")).filter((e) => e.type === "merged");
    expect(merged).toHaveLength(1);
    expect(merged[0]!.detail).toContain(`#${number}`);
    expect(merged[0]!.detail).toContain("@maintainer");
    expect(sync.sync).toHaveBeenCalledTimes(1);

    const deliveries = fake.deliveries.filter((d) => !d.redelivery);
    const closed = deliveries.find((d) => d.event === "pull_request" && d.action === "closed")!;
    const pushToMain = deliveries.filter((d) => d.event === "push" && d.payload.ref === "refs/heads/main").at(-1)!;
    expect(closed.status).toBe(200);
    expect(pushToMain.status).toBe(200);
    // The branch pushes of the proposal were accepted and ignored.
    expect(deliveries.find((d) => d.event === "push" && d.payload.ref === "refs/heads/proposal/what-is-a-fake")?.status).toBe(202);

    const eventsBefore = (await getEvents(sqliteDataLayer(db), "what-is-a-fake")).length;
    const again = await fake.redeliver(closed.id);
    const pushAgain = await fake.redeliver(pushToMain.id);
    expect(again.status).toBe(200);
    expect(pushAgain.status).toBe(200);
    expect((await getEvents(sqliteDataLayer(db), "what-is-a-fake"))).toHaveLength(eventsBefore);
    expect(sync.sync).toHaveBeenCalledTimes(1);
    fake.assertNoViolations();
  });

  it("the poller catches a close whose webhook was missed, through the GitHub forge", async () => {
    const body = await addProposal("missed-close");
    const number = await openPullRequest("missed-close", body);
    await fake.flushWebhooks();
    receiverDown = true;
    const maintainer = octokitFor(fake.url, "maintainer-token");
    await maintainer.rest.pulls.update({ owner: OWNER, repo: REPO, pull_number: number, state: "closed" });
    await fake.flushWebhooks();
    expect(fake.deliveries.at(-1)).toMatchObject({ event: "pull_request", action: "closed", status: 503 });
    expect((await getProposalRecord(sqliteDataLayer(db), "missed-close"))?.status).toBe("opened");

    const forge = createGitHubForge(
      { kind: "github", owner: OWNER, repo: REPO, apiUrl: fake.url, auth: { type: "token", token: "bot-token" } },
      { requestTimeoutMs: 5000, retries: 0, log: { warn() {}, info() {} } },
    );
    const poller = startPoller({ intervalSeconds: 0, data: sqliteDataLayer(db), forge, log: quiet });
    const round = await poller.poll();
    await poller.stop();

    expect(round).toMatchObject({ checked: 1, errors: 0 });
    expect((await getProposalRecord(sqliteDataLayer(db), "missed-close"))?.status).toBe("closed");
    expect((await getEvents(sqliteDataLayer(db), "missed-close")).at(-1)).toMatchObject({ type: "closed" });
    fake.assertNoViolations();
  });
});
