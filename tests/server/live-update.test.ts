/**
 * Live update end to end: the production server serves a git checkout whose
 * origin is a local bare repository; a maintainer pushes a new question and
 * GitHub's (signed) push webhook makes the running server show it — no
 * restart, no file watcher (CONTENT_WATCH=0), no polling.
 */
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { createContentRepo, type ContentRepo } from "../sync/git-fixture";

const SECRET = "live-update-test-secret";

let repo: ContentRepo;
let server: AppServer;

beforeAll(async () => {
  repo = createContentRepo({ seed: 4 });
  server = await startAppServer({
    CONTENT_DIR: repo.contentDir,
    GITHUB_WEBHOOK_SECRET: SECRET,
    CONTENT_WATCH: "0",
    CONTENT_POLL_INTERVAL: "0",
    FORGE: "local",
    // Local mode follows a remote only when it is named (docs/decisions/009-live-updates.md).
    CONTENT_REMOTE: "origin",
  });
});
afterAll(async () => {
  await server?.stop();
  repo?.cleanup();
});

async function postWebhook(event: string, payload: unknown, options: { signature?: string; delivery?: string } = {}) {
  const body = JSON.stringify(payload);
  return fetch(`${server.url}/webhooks/github`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitHub-Hookshot/test",
      "X-GitHub-Event": event,
      "X-GitHub-Delivery": options.delivery ?? crypto.randomUUID(),
      "X-Hub-Signature-256": options.signature ?? (await sign(SECRET, body)),
    },
    body,
  });
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out; server output:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const pushPayload = (after: string) => ({
  ref: "refs/heads/main",
  before: "0".repeat(40),
  after,
  repository: { full_name: "django-questions/django-questions", default_branch: "main" },
});

describe("live updates after a merge", () => {
  it("refuses an unsigned or wrongly signed webhook with 401 and changes nothing", async () => {
    const sha = repo.pushQuestion({ slug: "should-not-appear-yet", number: 950, title: "Does a forged webhook update the site?" });
    const wrong = await postWebhook("push", pushPayload(sha), { signature: await sign("not the secret", JSON.stringify(pushPayload(sha))) });
    expect(wrong.status).toBe(401);
    const res = await fetch(`${server.url}/webhooks/github`, { method: "POST", body: "{}", headers: { "X-GitHub-Event": "push" } });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${server.url}/q/should-not-appear-yet`)).status).toBe(404);
  });

  it("answers GET with 405", async () => {
    const res = await fetch(`${server.url}/webhooks/github`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("shows a question pushed to the default branch after GitHub's push webhook, without a restart", async () => {
    const before = (await (await fetch(`${server.url}/healthz`)).json()) as { questions: number; contentVersion: string };
    const homeBefore = await (await fetch(`${server.url}/`)).text();
    expect(homeBefore).not.toContain("/q/merged-and-live");

    const sha = repo.pushQuestion({ slug: "merged-and-live", number: 951, title: "How does a merged question go live without a redeploy?" });
    const delivery = crypto.randomUUID();
    const res = await postWebhook("push", pushPayload(sha), { delivery });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sync: "started" });

    const page = await waitFor(async () => {
      const r = await fetch(`${server.url}/q/merged-and-live`);
      return r.status === 200 ? r.text() : undefined;
    });
    expect(page).toContain("How does a merged question go live without a redeploy?");
    const home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain("/q/merged-and-live");
    // The earlier (unsigned) push is part of the same fast-forward: the checkout is at origin's head.
    expect(repo.head()).toBe(sha);
    const after = (await (await fetch(`${server.url}/healthz`)).json()) as { questions: number; contentVersion: string };
    expect(after.questions).toBe(before.questions + 2);
    expect(after.contentVersion).not.toBe(before.contentVersion);

    // GitHub redelivers the same delivery: answered as a duplicate.
    const again = await postWebhook("push", pushPayload(sha), { delivery });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
  });

  it("ignores a push to another branch", async () => {
    const res = await postWebhook("push", { ...pushPayload("f".repeat(40)), ref: "refs/heads/feature" });
    expect(res.status).toBe(202);
  });
});
