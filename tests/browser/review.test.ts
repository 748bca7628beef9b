/**
 * Maintainers' review, end to end in Chromium against the production server:
 *   (a) local review queue: propose through the form, sign in with MAINTAINER_TOKEN, review, merge,
 *       read the new question on the site, the contributor's status page says merged (maintainer without JavaScript);
 *   (b) GitHub mode against the fake GitHub: sign in with GitHub, the queue, the rendered preview,
 *       request changes, merge — as the maintainer;
 *   (c) non-maintainers (no session, and a GitHub user with read access) get 403, also for forged posts.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../fake-github/helpers";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";
import { highestQuestionNumber, ROOT, startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newContext, signInWithToken } from "../support/browser";

const MAINTAINER_TOKEN = "local-maintainer-token-for-the-browser-test";
const STATUS_URL = /\/contributions\/([a-z0-9]{12})$/;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function propose(ctx: BrowserContext, app: AppServer, title: string, body: string): Promise<{ page: Page; id: string }> {
  const page = await ctx.newPage();
  await page.goto(app.url + "/contribute/question");
  await page.waitForLoadState("networkidle");
  await page.fill("#field-title", title);
  await page.fill("#field-body", body);
  await page.check("input[name=tags][value=orm]");
  await page.fill("#field-name", "Grace Hopper");
  await page.fill("input[name=github]", "grace-hopper");
  await page.check("#field-licence");
  await page.click("text=Send proposal");
  await page.waitForURL(STATUS_URL);
  const id = STATUS_URL.exec(page.url())![1]!;
  return { page, id };
}

/** Reloads the contributor's status page until it shows `status`. */
async function waitForStatus(page: Page, status: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await page.locator("[data-status]").first().getAttribute("data-status");
    if (now === status) return;
    if (Date.now() > deadline) throw new Error(`status stayed ${now}, expected ${status}`);
    await page.waitForTimeout(300);
    await page.reload();
  }
}

async function forgedPost(app: AppServer, pathname: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(app.url + pathname, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

async function cookieHeader(ctx: BrowserContext): Promise<string> {
  return (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

describe("(a) the local review queue, end to end", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ MAINTAINER_TOKEN, PROPOSAL_RATE_LIMIT: "1000" });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("a proposal is reviewed and merged by a maintainer without JavaScript, and shows on the site at once", async () => {
    const title = "How does select_for_update lock rows in PostgreSQL?";
    const contributor = await newContext(browser);
    const { page: status, id } = await propose(contributor, app, title, "Which rows does `select_for_update()` lock, and until when?");
    await waitForStatus(status, "opened");

    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    const denied = await page.goto(app.url + "/review");
    expect(denied?.status()).toBe(403);
    expect(denied?.headers()["cache-control"]).toBe("private, no-store");
    expect(await page.locator("h1").textContent()).toBe("Maintainers only");

    await page.click("text=Sign in with the maintainer token");
    await page.waitForURL(/\/auth\/token/);
    await page.fill("#field-token", "not the token");
    await page.click("button[type=submit]");
    expect(await page.locator("[role=alert]").textContent()).toContain("not the maintainer token");
    await page.fill("#field-token", MAINTAINER_TOKEN);
    await page.fill("#field-name", "Ada Lovelace");
    await page.click("button[type=submit]");
    await page.waitForURL(app.url + "/review");
    expect(await page.locator(".review-bar").textContent()).toContain("Signed in as Ada Lovelace");

    const row = page.locator(`tr[data-id="${id}"]`);
    expect(await row.locator("a").first().textContent()).toBe(title);
    expect(await row.locator("[data-check]").getAttribute("data-check")).toBe("success");
    expect(await row.textContent()).toContain("Grace Hopper (@grace-hopper)");
    await row.locator("a").first().click();
    await page.waitForURL(`${app.url}/review/${id}`);

    // The preview is the site's own question view.
    const preview = page.locator(".preview");
    expect(await preview.locator(".question-title").textContent()).toBe(title);
    expect(await preview.locator(".question-body code").first().textContent()).toBe("select_for_update()");
    expect(await page.locator("pre.diff .add").count()).toBeGreaterThan(3);
    expect(await page.locator(".findings-none").count()).toBe(1);

    const highest = highestQuestionNumber(app.contentDir);
    expect(highest).toBeGreaterThan(0);
    // Merge asks for confirmation, without JavaScript too: the required box stops the form until it is ticked.
    await page.locator("form[aria-label=Merge] button").click();
    expect(page.url()).toBe(`${app.url}/review/${id}`);
    expect(await page.locator("#merge-confirm").evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    await page.check("#merge-confirm");
    await page.locator("form[aria-label=Merge] button").click();
    await page.waitForURL(`${app.url}/review/${id}?done=merge`);
    expect(await page.locator("[role=status]").textContent()).toBe("Merged.");
    expect(await page.locator(".status").first().getAttribute("data-status")).toBe("merged");
    const siteLink = page.locator("dt:text('On the site') + dd a");
    const href = (await siteLink.getAttribute("href"))!;
    expect(href).toMatch(/^\/q\/[a-z0-9-]+$/);

    // Readers see it at once (no watcher needed: the merge reloads the store).
    const reader = await (await newContext(browser)).newPage();
    await reader.goto(app.url + href);
    expect(await reader.locator("h1.question-title").textContent()).toBe(title);
    expect(await reader.locator(".q-kicker").first().textContent()).toBe(`Question ${highest + 1}`);
    expect(fs.existsSync(path.join(app.contentDir, "questions", href.slice(3), "question.md"))).toBe(true);

    // The contributor's status page says merged.
    await status.reload();
    expect(await status.locator("[data-status]").first().getAttribute("data-status")).toBe("merged");
    expect(await status.locator(".timeline.steps").textContent()).toContain("Merged by Ada Lovelace: your proposal is part of the wiki.");
    expect(await page.locator("#history-heading + .timeline").textContent()).toMatch(/Merged by Ada Lovelace \(#\d+\)/);

    // The queue is empty again; signing out ends the session.
    await page.goto(app.url + "/review");
    expect(await page.locator(`tr[data-id="${id}"]`).count()).toBe(0);
    await page.click("text=Sign out");
    await page.waitForURL(app.url + "/");
    expect((await page.goto(app.url + "/review"))?.status()).toBe(403);
  });

  it("(c) answers 403 to requests without a session, including a forged merge", async () => {
    const res = await fetch(app.url + "/review");
    expect(res.status).toBe(403);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const forged = await forgedPost(app, "/review/abcdefghijkl", { intent: "merge", csrf: "x" });
    expect(forged.status).toBe(403);
    const forgedData = await forgedPost(app, "/review/abcdefghijkl.data", { intent: "merge" });
    expect(forgedData.status).toBe(403);
  });

  it("(c) refuses a maintainer's form posted without the CSRF token", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    await signInWithToken(ctx, app.url, MAINTAINER_TOKEN);
    const cookie = await cookieHeader(ctx);
    const res = await forgedPost(app, "/review/abcdefghijkl", { intent: "close", comment: "spam" }, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("security token");
  });
});

describe("the one-time sign-in link (no MAINTAINER_TOKEN)", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("is printed at start, signs in once with the button on its page, and is used up afterwards", async () => {
    const link = /Maintainer sign-in \(one-time link[^)]*\): \S*(\/auth\/token\?token=[A-Za-z0-9_-]+)/.exec(app.output())?.[1];
    expect(link).toBeDefined();
    // A link preview (or a mail scanner) fetches the link: that signs nobody in and uses nothing up.
    for (let i = 0; i < 2; i++) {
      const preview = await fetch(app.url + link, { redirect: "manual" });
      expect(preview.status).toBe(200);
      expect(preview.headers.get("set-cookie")).toBeNull();
      expect(await preview.text()).toContain("Sign in as maintainer");
    }
    const page = await (await newContext(browser, { javaScript: false })).newPage();
    await page.goto(app.url + link);
    expect(page.url()).toBe(app.url + link);
    await page.getByRole("button", { name: "Sign in as maintainer" }).click();
    await page.waitForURL(app.url + "/review");
    expect(await page.locator("h1").textContent()).toBe("Review queue");
    const other = await (await newContext(browser)).newPage();
    await other.goto(app.url + link);
    const [again] = await Promise.all([other.waitForResponse((r) => r.request().method() === "POST"), other.getByRole("button", { name: "Sign in as maintainer" }).click()]);
    expect(again.status()).toBe(403);
    await other.waitForLoadState();
    expect(await other.locator("[role=alert]").textContent()).toContain("used already");
    // The session secret was generated into DATA_DIR (production start without SESSION_SECRET).
    expect(fs.statSync(path.join(app.dataDir, "session-secret")).mode & 0o777).toBe(0o600);

    // A restart (same DATA_DIR, so the same session secret and database) makes a new link, and the
    // old link's session ends with the process that printed it.
    await app.stop();
    app = await startAppServer({ DATA_DIR: app.dataDir, CONTENT_DIR: app.contentDir });
    const newLink = /Maintainer sign-in \(one-time link[^)]*\): \S*(\/auth\/token\?token=[A-Za-z0-9_-]+)/.exec(app.output())?.[1];
    expect(newLink).toBeDefined();
    expect(newLink).not.toBe(link);
    const afterRestart = await page.goto(app.url + "/review");
    expect(afterRestart?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Maintainers only");
    expect(await page.locator(".lead").textContent()).toMatch(/Please sign in/);
    expect(await page.locator("text=You are signed in as").count()).toBe(0);
  });
});

/** Every file of the bundled content, as repository paths, for the fake GitHub's first commit. */
function contentFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(ROOT, p).split(path.sep).join("/")] = fs.readFileSync(p, "utf8");
    }
  };
  walk(path.join(ROOT, "content"));
  return out;
}

describe("(b) GitHub mode against the fake GitHub", () => {
  let fake: FakeGitHub;
  let app: AppServer;
  beforeAll(async () => {
    fake = await startFakeGitHub({
      owner: "django-questions",
      repo: "content",
      files: contentFiles(),
      oauth: { clientId: "Iv1.browser", clientSecret: "browser-secret" },
      users: [
        { login: "dq-bot", token: "bot-token", permission: "write" },
        { login: "mia", name: "Mia Maintainer", permission: "write" },
        { login: "rex", name: "Rex Reader", permission: "read" },
      ],
    });
    app = await startAppServer({
      GITHUB_API_URL: fake.url,
      GITHUB_OAUTH_URL: fake.url,
      GITHUB_REPOSITORY: "django-questions/content",
      GITHUB_TOKEN: "bot-token",
      GITHUB_CLIENT_ID: "Iv1.browser",
      GITHUB_CLIENT_SECRET: "browser-secret",
      CONTENT_POLL_INTERVAL: "0",
      PROPOSAL_RATE_LIMIT: "1000",
    });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("a maintainer signs in with GitHub, sees the queue and the preview, requests changes and merges — as themselves", { timeout: 120_000 }, async () => {
    const title = "When does Django evaluate a QuerySet lazily?";
    const contributor = await newContext(browser);
    const { page: status, id } = await propose(contributor, app, title, "Name three operations that make a `QuerySet` hit the database?");
    await waitForStatus(status, "opened", 90_000);
    const pull = fake.pulls().find((p) => p.title === `Question: \u2068${title}\u2069`)!;
    expect(pull.user).toBe("dq-bot");
    fake.setCheckRun(pull.head.sha, { name: "content-check", conclusion: "success" });

    fake.oauthUser = "mia";
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    expect((await page.goto(app.url + "/review"))?.status()).toBe(403);
    await page.click("text=Sign in with GitHub");
    await page.waitForURL(app.url + "/review");
    expect(await page.locator(".review-bar").textContent()).toContain("@mia");

    const row = page.locator(`tr[data-id="${id}"]`);
    expect(await row.locator("[data-check]").getAttribute("data-check")).toBe("success");
    expect(await row.textContent()).toContain(`#${pull.number}`);
    await row.locator("a").first().click();
    await page.waitForURL(`${app.url}/review/${id}`);
    expect(await page.locator(".preview .question-title").textContent()).toBe(title);
    expect(await page.locator(".preview .question-body code").first().textContent()).toBe("QuerySet");
    expect(await page.locator("pre.diff .add").count()).toBeGreaterThan(3);

    await page.fill("#comment-changes", "Please say which Django version you mean.");
    await page.locator("form[aria-label='Request changes'] button").click();
    await page.waitForURL(`${app.url}/review/${id}?done=request-changes`);
    expect(fake.pulls().find((p) => p.number === pull.number)!.reviews).toEqual([
      { user: "mia", state: "CHANGES_REQUESTED", body: "Please say which Django version you mean." },
    ]);
    await status.reload();
    expect(await status.locator("[data-status]").first().getAttribute("data-status")).toBe("changes_requested");
    expect(await status.locator("[data-step=changes-requested]").textContent()).toContain("@mia asked for changes:");
    expect(await status.locator("[data-step=changes-requested] .step-comment").textContent()).toBe("Please say which Django version you mean.");

    // The page says whose identity acts.
    expect(await page.locator("form[aria-label=Merge] .field-hint").textContent()).toBe("Squash-merges the pull request as you.");
    // Closing needs a comment: without one (past the browser's own `required` check) the server refuses, next to the field.
    await page.locator("#comment-close").evaluate((el) => el.removeAttribute("required"));
    await page.locator("form[aria-label=Close] button").click();
    await expect.poll(() => page.locator("#comment-close-error").count()).toBe(1);
    expect(await page.locator("#comment-close-error").textContent()).toMatch(/^Write a comment: tell the contributor why/);
    expect(fake.pulls().find((p) => p.number === pull.number)).toMatchObject({ state: "open", merged: false });

    await page.check("#merge-confirm");
    await page.locator("form[aria-label=Merge] button").click();
    await page.waitForURL(`${app.url}/review/${id}?done=merge`);
    const merged = fake.pulls().find((p) => p.number === pull.number)!;
    expect(merged).toMatchObject({ state: "closed", merged: true });
    expect(fake.requests.find((r) => r.operationId === "pulls/merge")).toMatchObject({ login: "mia", status: 200 });
    const file = fake.branch("main")!.files.find((f) => f.endsWith("/question.md") && fake.readFile("main", f)!.includes(title));
    expect(file).toBeDefined();
    await status.reload();
    expect(await status.locator("[data-status]").first().getAttribute("data-status")).toBe("merged");
    expect(await status.locator("[data-step=merged]").textContent()).toContain("Merged by @mia");
    fake.assertNoViolations();
  });

  it("(c) a GitHub user with read access gets 403 on the queue and on a forged post, even with their own CSRF token", async () => {
    fake.oauthUser = "rex";
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(app.url + "/auth/github");
    await page.waitForURL(app.url + "/review");
    expect(await page.locator("h1").textContent()).toBe("Maintainers only");
    expect(await page.locator(".error-page").textContent()).toContain("@rex has read access to django-questions/content");
    const res = await fetch(app.url + "/review", { headers: { Cookie: await cookieHeader(ctx) } });
    expect(res.status).toBe(403);

    // Rex's own session token (from the sign-out page) does not make a merge his to make.
    await page.goto(app.url + "/auth/logout");
    const csrf = await page.locator("input[name=csrf]").inputValue();
    expect(csrf.length).toBeGreaterThan(20);
    // A real open pull request touching content/, ready to merge (its check passed).
    const target = Object.keys(contentFiles()).find((f) => f.endsWith("/question.md"))!;
    fake.pushCommit("rex-edit", { [target]: `${contentFiles()[target]}\nOne more sentence.\n` }, "Edit", { author: "mia" });
    const { data: opened } = await octokitFor(fake.url, "bot-token").rest.pulls.create({ owner: "django-questions", repo: "content", head: "rex-edit", base: "main", title: "An edit" });
    fake.setCheckRun(opened.head.sha, { name: "content-check", conclusion: "success" });
    const mergesBefore = fake.requests.filter((r) => r.operationId === "pulls/merge").length;
    for (const intent of ["merge", "close"]) {
      const forged = await forgedPost(app, `/review/pr-${opened.number}`, { intent, csrf, comment: "closing", confirm: "yes" }, await cookieHeader(ctx));
      expect(forged.status).toBe(403);
    }
    expect(fake.pulls().find((p) => p.number === opened.number)).toMatchObject({ state: "open", merged: false, comments: [] });
    expect(fake.requests.filter((r) => r.operationId === "pulls/merge")).toHaveLength(mergesBefore);
    fake.assertNoViolations();
  });
});
