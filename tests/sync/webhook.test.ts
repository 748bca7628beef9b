import { readDecision } from "~/modules/contributions/decisions";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ContentStore } from "~/modules/content/store.server";
import { renderPullRequestBody } from "~/modules/contributions/pull-request";
import { getEvents, getProposalRecord, insertProposal, markOpened } from "~/modules/contributions/store.server";
import { sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import { createDeliveryStore } from "~/modules/sync/deliveries.server";
import { createGitSync, type GitSyncResult } from "~/modules/sync/git.server";
import type { SyncLog } from "~/modules/sync/log";
import { handleGitHubWebhook, type WebhookContext } from "~/modules/sync/webhook.server";
import { describeDialects } from "../support/databases";
import { createContentRepo, git } from "./git-fixture";

const SECRET = "it's a secret to everybody";
const NOW = Date.parse("2026-12-01T10:00:00Z");
const quiet: SyncLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The data layer of the test (the proposals and the delivery ids). */
let db: Database;
let data: DataLayer;
let deliveries = 0;

function fakeSync() {
  const result: GitSyncResult = { updated: true, from: "a", to: "b", changed: [], reason: "test", at: new Date(NOW).toISOString() };
  return { sync: vi.fn(async (_reason?: string) => result) };
}

function context(overrides: Partial<WebhookContext> = {}): WebhookContext {
  // A new context is a new process: a delivery store of its own over the same database.
  return { secret: SECRET, data, deliveries: createDeliveryStore(data), sync: fakeSync(), now: () => NOW, log: quiet, ...overrides };
}

interface Delivery {
  event: string;
  payload: unknown;
  id?: string;
  /** A signature to send instead of the right one (null: no header). */
  signature?: string | null;
  body?: string;
}

async function deliver(ctx: WebhookContext, d: Delivery) {
  const body = d.body ?? JSON.stringify(d.payload);
  const headers = new Headers({ "content-type": "application/json", "x-github-event": d.event });
  headers.set("x-github-delivery", d.id ?? `delivery-${++deliveries}`);
  const signature = d.signature === undefined ? await sign(SECRET, body) : d.signature;
  if (signature !== null) headers.set("x-hub-signature-256", signature);
  const response = await handleGitHubWebhook({ body, headers }, ctx);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const repository = { full_name: "django-questions/django-questions", default_branch: "main" };
const push = (ref = "refs/heads/main") => ({ ref, before: "0".repeat(40), after: "1234567890abcdef".repeat(2) + "12345678", repository });

async function seedProposal(id: string, prNumber: number) {
  const body = renderPullRequestBody("{{summary}}\n\nStatus: {{statusUrl}}", {
    id,
    kind: "question",
    summary: "A new question",
    contributor: { name: "Jane Doe", github: "janedoe" },
    files: [{ path: "content/questions/what-is-a-webhook/question.md" }],
    statusUrl: `/contributions/${id}`,
  });
  await insertProposal(
    data,
    {
      id,
      kind: "question",
      target: "what-is-a-webhook",
      slug: "what-is-a-webhook",
      title: "What is a webhook?",
      fields: {},
      files: [{ path: "content/questions/what-is-a-webhook/question.md", content: "---\n---\n" }],
      contributor: { name: "Jane Doe", github: "janedoe" },
      prTitle: "Question: What is a webhook?",
      prBody: body,
      fingerprint: `fp-${id}`,
      createdAt: new Date(NOW - 3_600_000).toISOString(),
    },
    "Proposal received.",
  );
  await data.db.updateTable("proposals").set({ forge: "github" }).where("id", "=", id).execute();
  await markOpened(data, id, { number: prNumber, url: `https://github.com/o/r/pull/${prNumber}`, branch: `proposal/${id}` }, NOW - 3_000_000);
  return body;
}

function pullRequestEvent(action: string, prNumber: number, body: string | null, extra: Record<string, unknown> = {}) {
  return {
    action,
    number: prNumber,
    pull_request: { number: prNumber, state: action === "closed" ? "closed" : "open", body, merged: false, merged_at: null, ...extra },
    repository,
  };
}

/** The suites that reach the delivery ids run on both dialects; authentication refuses before. */
function onEachDialect(name: string, body: () => void): void {
  describeDialects(name, (t) => {
    beforeEach(() => {
      ({ db, data } = t());
    });
    body();
  });
}

describe("webhook authentication", () => {
  beforeEach(() => {
    db = openMemoryDatabase();
    data = sqliteDataLayer(db);
  });
  afterEach(() => {
    db.close();
  });

  it("refuses every delivery with 503 while no secret is configured", async () => {
    const ctx = context({ secret: undefined });
    const r = await deliver(ctx, { event: "push", payload: push() });
    expect(r.status).toBe(503);
    expect(r.json.error).toMatch(/GITHUB_WEBHOOK_SECRET/);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });

  it("answers 401 to a missing or wrong signature, and does no work", async () => {
    const ctx = context();
    const missing = await deliver(ctx, { event: "push", payload: push(), signature: null });
    const wrong = await deliver(ctx, { event: "push", payload: push(), signature: await sign("another secret", JSON.stringify(push())) });
    const garbage = await deliver(ctx, { event: "push", payload: push(), signature: "sha256=nothex" });
    expect([missing.status, wrong.status, garbage.status]).toEqual([401, 401, 401]);
    expect(missing.json.error).toMatch(/missing/);
    expect(wrong.json.error).toMatch(/does not match/);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });

  it("rejects a body that was changed after signing", async () => {
    const ctx = context();
    const signature = await sign(SECRET, JSON.stringify(push("refs/heads/other")));
    const r = await deliver(ctx, { event: "push", payload: push(), signature });
    expect(r.status).toBe(401);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });
});

onEachDialect("webhook payloads", () => {
  it("answers 400 to malformed JSON and to a payload without the needed fields", async () => {
    const ctx = context();
    const malformed = await deliver(ctx, { event: "push", payload: null, body: '{"ref": "refs/heads/main",' });
    const notObject = await deliver(ctx, { event: "push", payload: [1, 2] });
    const noRepository = await deliver(ctx, { event: "push", payload: { ref: "refs/heads/main" } });
    const noPullRequest = await deliver(ctx, { event: "pull_request", payload: { action: "closed", repository } });
    expect([malformed.status, notObject.status, noRepository.status, noPullRequest.status]).toEqual([400, 400, 400, 400]);
    expect(noRepository.json.error).toMatch(/repository/);
    expect(noPullRequest.json.error).toMatch(/pull_request/);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });

  it("answers 400 when the event or delivery header is missing", async () => {
    const body = JSON.stringify(push());
    const headers = new Headers({ "x-hub-signature-256": await sign(SECRET, body), "x-github-delivery": "d-1" });
    const r = await handleGitHubWebhook({ body, headers }, context());
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/X-GitHub-Event/);
  });

  it("answers ping with 200", async () => {
    const r = await deliver(context(), { event: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1 } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, event: "ping" });
  });

  it("accepts but ignores other events with 202", async () => {
    const ctx = context();
    const r = await deliver(ctx, { event: "issues", payload: { action: "opened", repository } });
    expect(r.status).toBe(202);
    expect(r.json.ignored).toMatch(/issues/);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });

  it("reads a form-encoded delivery (payload=<json>) like a JSON one", async () => {
    const ctx = context();
    const body = new URLSearchParams({ payload: JSON.stringify(push()) }).toString();
    const headers = new Headers({
      "content-type": "application/x-www-form-urlencoded",
      "x-github-event": "push",
      "x-github-delivery": "form-1",
      "x-hub-signature-256": await sign(SECRET, body),
    });
    const r = await handleGitHubWebhook({ body, headers }, ctx);
    expect(r.status).toBe(200);
    expect(ctx.sync.sync).toHaveBeenCalledTimes(1);
  });
});

onEachDialect("push events", () => {
  it("starts the git sync for a push to the default branch, and tells the other instances the pushed commit", async () => {
    const announced: string[] = [];
    const ctx = context({ announce: (head) => announced.push(head) });
    const r = await deliver(ctx, { event: "push", payload: push() });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ sync: "started", branch: "main" });
    expect(ctx.sync.sync).toHaveBeenCalledTimes(1);
    expect(announced).toEqual([push().after]);
    // A push that is ignored announces nothing.
    await deliver(ctx, { event: "push", payload: push("refs/heads/feature") });
    expect(announced).toHaveLength(1);
  });

  it("ignores pushes to other branches, deleted branches and other repositories with 202", async () => {
    const ctx = context({ repository: "django-questions/django-questions" });
    const other = await deliver(ctx, { event: "push", payload: push("refs/heads/feature") });
    const tag = await deliver(ctx, { event: "push", payload: push("refs/tags/v1") });
    const deleted = await deliver(ctx, { event: "push", payload: { ...push(), deleted: true } });
    const fork = await deliver(ctx, { event: "push", payload: { ...push(), repository: { ...repository, full_name: "someone/fork" } } });
    expect([other.status, tag.status, deleted.status, fork.status]).toEqual([202, 202, 202, 202]);
    expect(other.json.ignored).toMatch(/refs\/heads\/feature/);
    expect(ctx.sync.sync).not.toHaveBeenCalled();
  });

  it("acts on pushes to the branch the sync follows, not the repository's default branch", async () => {
    const sync = { ...fakeSync(), followedBranch: async () => "published" };
    const ctx = context({ sync });
    expect((await deliver(ctx, { event: "push", payload: push("refs/heads/main") })).status).toBe(202);
    expect((await deliver(ctx, { event: "push", payload: push("refs/heads/published") })).status).toBe(200);
    expect(sync.sync).toHaveBeenCalledTimes(1);
  });

  it("with a real checkout on another branch than the default one (no CONTENT_BRANCH), follows the checkout's branch", async () => {
    const repo = createContentRepo({ seed: 2 });
    git(repo.author, "push", "--quiet", "origin", "HEAD:refs/heads/published");
    git(repo.checkout, "fetch", "--quiet", "origin");
    git(repo.checkout, "checkout", "--quiet", "-b", "published", "origin/published");
    const store = new ContentStore(repo.contentDir);
    try {
      await store.load();
      const sync = createGitSync({ store, log: quiet });
      // A question lands on main (the default branch): not what this site serves.
      repo.pushQuestion({ slug: "only-on-main", number: 911, title: "Is main what the site serves?" });
      const onMain = await deliver(context({ sync }), { event: "push", payload: push("refs/heads/main") });
      expect(onMain.status).toBe(202);
      expect(onMain.json.ignored).toMatch(/not to refs\/heads\/published/);
      // The same question pushed to published is.
      git(repo.author, "push", "--quiet", "origin", "HEAD:refs/heads/published");
      const onPublished = await deliver(context({ sync }), { event: "push", payload: push("refs/heads/published") });
      expect(onPublished).toMatchObject({ status: 200, json: { branch: "published" } });
      await sync.whenIdle();
      expect(store.content.bySlug.get("only-on-main")?.number).toBe(911);
    } finally {
      await store.close();
      repo.cleanup();
    }
  });

  it("acknowledges and ignores pushes when the content sync is off (local review queue without CONTENT_REMOTE)", async () => {
    const sync = { ...fakeSync(), enabled: false };
    const r = await deliver(context({ sync }), { event: "push", payload: push() });
    expect(r.status).toBe(202);
    expect(r.json.ignored).toMatch(/content sync is off/);
    expect(sync.sync).not.toHaveBeenCalled();
  });

  it("does no second sync for a redelivery of the same delivery id, even after a restart", async () => {
    const ctx = context();
    const first = await deliver(ctx, { event: "push", payload: push(), id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    const again = await deliver(ctx, { event: "push", payload: push(), id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    // A new process: a fresh handler context over the same database.
    const restarted = context();
    const third = await deliver(restarted, { event: "push", payload: push(), id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    expect(first.status).toBe(200);
    expect(again).toEqual({ status: 200, json: { duplicate: true, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958" } });
    expect(third.json.duplicate).toBe(true);
    expect(ctx.sync.sync).toHaveBeenCalledTimes(1);
    expect(restarted.sync.sync).not.toHaveBeenCalled();
    // A different delivery of the same push is new work.
    expect((await deliver(ctx, { event: "push", payload: push() })).status).toBe(200);
    expect(ctx.sync.sync).toHaveBeenCalledTimes(2);
  });

  it("the same delivery sent to two instances at once is handled by exactly one of them", async () => {
    const instances = [context(), context()];
    const ids = Array.from({ length: 10 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(ids.flatMap((id) => instances.map((ctx) => deliver(ctx, { event: "push", payload: push(), id }))));
    for (const id of ids) {
      const pair = answers.filter((a) => a.json.delivery === id);
      expect(pair.map((a) => a.status)).toEqual([200, 200]);
      expect(pair.filter((a) => a.json.duplicate === true)).toHaveLength(1);
    }
    const syncs = instances.reduce((n, ctx) => n + (ctx.sync.sync as ReturnType<typeof vi.fn>).mock.calls.length, 0);
    expect(syncs).toBe(ids.length);
  });

  it("forgets delivery ids after 30 days", async () => {
    let now = NOW;
    const ctx = context({ now: () => now });
    await deliver(ctx, { event: "ping", payload: {}, id: "old-delivery" });
    const recorded = (id: string) => createDeliveryStore(data).isRecorded(id);
    expect(await recorded("old-delivery")).toBe(true);
    now += 31 * 24 * 60 * 60 * 1000;
    await deliver(ctx, { event: "ping", payload: {}, id: "new-delivery" });
    expect(await recorded("old-delivery")).toBe(false);
    expect(await recorded("new-delivery")).toBe(true);
  });

  it("fast-forwards a real checkout: the pushed question is served once the sync is idle", async () => {
    const repo = createContentRepo({ seed: 2 });
    const store = new ContentStore(repo.contentDir);
    try {
      await store.load();
      const sync = createGitSync({ store, log: quiet });
      repo.pushQuestion({ slug: "delivered-by-webhook", number: 910, title: "How does a webhook update the site?" });
      const r = await deliver(context({ sync }), { event: "push", payload: push() });
      expect(r.status).toBe(200);
      await sync.whenIdle();
      expect(store.content.bySlug.get("delivered-by-webhook")?.number).toBe(910);
    } finally {
      await store.close();
      repo.cleanup();
    }
  });
});

onEachDialect("pull_request events", () => {
  it("marks the proposal merged when its pull request is merged, with an event in its timeline", async () => {
    const body = await seedProposal("p-merged", 12);
    const r = await deliver(context(), {
      event: "pull_request",
      payload: pullRequestEvent("closed", 12, body, { merged: true, merged_at: "2026-12-01T09:59:00Z", merged_by: { login: "maintainer" } }),
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ proposal: "p-merged", status: "merged", changed: true });
    expect((await getProposalRecord(data, "p-merged"))?.status).toBe("merged");
    const last = (await getEvents(data, "p-merged")).at(-1)!;
    expect(last.type).toBe("merged");
    expect(last.detail).toContain("#12");
    expect(last.detail).toContain("@maintainer");
    expect(last.at).toBe(new Date(NOW).toISOString());
  });

  it("marks a pull request closed without merging as closed, and a reopened one as opened again", async () => {
    const body = await seedProposal("p-closed", 13);
    const closed = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("closed", 13, body) });
    expect(closed.json).toMatchObject({ status: "closed", changed: true });
    expect((await getProposalRecord(data, "p-closed"))?.status).toBe("closed");
    const reopened = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("reopened", 13, body) });
    expect(reopened.json).toMatchObject({ status: "opened", changed: true });
    expect((await getEvents(data, "p-closed")).map((e) => e.type).slice(-2)).toEqual(["closed", "opened"]);
  });

  it("finds the proposal by pull request number when the body lost its marker", async () => {
    await seedProposal("p-by-number", 14);
    const r = await deliver(context(), {
      event: "pull_request",
      payload: pullRequestEvent("closed", 14, "A maintainer rewrote the description.", { merged: true }),
    });
    expect(r.json).toMatchObject({ proposal: "p-by-number", status: "merged" });
  });

  it("a marker copied into another pull request claims nothing; before its number is recorded, only the proposal's own branch does", async () => {
    // A proposal whose delivery stopped after GitHub opened the pull request, before the number was saved.
    const body = await seedProposal("p-unrecorded", 17);
    await data.db
      .updateTable("proposals")
      .set({ pr_number: null, pr_url: null, status: "queued", branch: "contrib/question/what-is-a-webhook-punrecor" })
      .where("id", "=", "p-unrecorded")
      .execute();

    const copied = await deliver(context(), {
      event: "pull_request",
      payload: pullRequestEvent("closed", 40, body, { merged: true, head: { ref: "attacker/copied-marker" } }),
    });
    expect(copied.status).toBe(202);
    expect(copied.json).toMatchObject({ ignored: expect.stringContaining("#40 is not a proposal of this site") });
    const noBranch = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("closed", 41, body, { merged: true }) });
    expect(noBranch.status).toBe(202);

    const own = await deliver(context(), {
      event: "pull_request",
      payload: pullRequestEvent("opened", 18, body, { head: { ref: "contrib/question/what-is-a-webhook-punrecor" } }),
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ proposal: "p-unrecorded" });
    // A recorded proposal is not claimed by a copy either.
    const recordedBody = await seedProposal("p-recorded", 19);
    const other = await deliver(context(), {
      event: "pull_request",
      payload: pullRequestEvent("closed", 42, recordedBody, { merged: true, head: { ref: "proposal/p-recorded" } }),
    });
    expect(other.status).toBe(202);
    expect((await getProposalRecord(data, "p-recorded"))?.status).toBe("opened");
  });

  it("changes nothing on a second delivery of the same state (new delivery id)", async () => {
    const body = await seedProposal("p-twice", 15);
    const payload = pullRequestEvent("closed", 15, body, { merged: true });
    await deliver(context(), { event: "pull_request", payload });
    const events = (await getEvents(data, "p-twice")).length;
    const again = await deliver(context(), { event: "pull_request", payload });
    expect(again.json).toMatchObject({ status: "merged", changed: false });
    expect((await getEvents(data, "p-twice"))).toHaveLength(events);
  });

  it("notes new commits in the timeline, and ignores pull requests that are not proposals", async () => {
    const body = await seedProposal("p-sync", 16);
    const r = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("synchronize", 16, body) });
    expect(r.status).toBe(200);
    expect((await getEvents(data, "p-sync")).at(-1)).toMatchObject({ type: "updated" });
    expect((await getProposalRecord(data, "p-sync"))?.status).toBe("opened");

    const foreign = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("closed", 99, "Bump a dependency", { merged: true }) });
    expect(foreign.status).toBe(202);
    const assigned = await deliver(context(), { event: "pull_request", payload: pullRequestEvent("assigned", 16, body) });
    expect(assigned.status).toBe(202);
    expect((await getProposalRecord(data, "p-sync"))?.status).toBe("opened");
  });

  it("records a review that requests changes, and new commits send it back to review", async () => {
    const body = await seedProposal("p-review", 17);
    const review = await deliver(context(), {
      event: "pull_request_review",
      payload: {
        action: "submitted",
        review: { state: "changes_requested", user: { login: "maintainer" } },
        pull_request: { number: 17, state: "open", body },
        repository,
      },
    });
    expect(review.json).toMatchObject({ status: "changes_requested", changed: true });
    expect((await getEvents(data, "p-review")).at(-1)?.detail).toContain("@maintainer");
    await deliver(context(), { event: "pull_request", payload: pullRequestEvent("synchronize", 17, body) });
    expect((await getProposalRecord(data, "p-review"))?.status).toBe("opened");
  });

  it("keeps the review's text as the maintainer's comment, which the status page and the mail show", async () => {
    const body = await seedProposal("p-review-text", 18);
    const review = await deliver(context(), {
      event: "pull_request_review",
      payload: {
        action: "submitted",
        review: { state: "changes_requested", body: "Please link the **QuerySet** reference.", user: { login: "mia" } },
        pull_request: { number: 18, state: "open", body },
        repository,
      },
    });
    expect(review.json).toMatchObject({ status: "changes_requested", changed: true });
    const event = (await getEvents(data, "p-review-text")).at(-1)!;
    expect(readDecision(event)).toEqual({ by: "@mia", comment: "Please link the **QuerySet** reference." });
  });
});
