/**
 * Revise after review and hear back, through the production server as a
 * browser without JavaScript uses it (forms, redirects, cookies), with a real
 * SMTP server on loopback (smtp-server) and the local review queue:
 *
 *   propose with an e-mail → the revise link is shown once → mail "in review"
 *   → a maintainer asks for changes → mail with the comment and a revise link
 *   → the revise form, prefilled, for the link's holder only → a revision the
 *   content check refuses, then a good one → the same proposal, "in review"
 *   again, the maintainer sees what changed → merged (mail with the page's
 *   link) → revising now is refused with a clear 409.
 *   SMTP down: proposals and decisions go on, the mail arrives once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startAppServer, type AppServer, type RawResponse } from "../support/app-server";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

const TOKEN = "revise-and-mail-maintainer-token-0123";
const PUBLIC_URL = "http://questions.test";
let app: AppServer;
let smtp: TestSmtpServer;

// Through node:http, as given: no fetch rules on cookies or redirects.
const get = (target: string, headers: Record<string, string> = {}) => rawRequest(app, "GET", target, headers);
const post = (target: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return rawRequest(app, "POST", target, { "Content-Type": "application/x-www-form-urlencoded", ...headers }, params.toString());
};

function cookies(res: RawResponse): string[] {
  return [res.headers["set-cookie"] ?? []].flat();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${app.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let session: string;
async function signIn(): Promise<void> {
  const res = await post("/auth/token", { token: TOKEN });
  const cookie = cookies(res).find((c) => c.startsWith("__session="));
  expect(cookie, "maintainer sign-in").toBeTruthy();
  session = cookie!.split(";")[0]!;
}

async function decide(id: string, intent: "request-changes" | "merge" | "close", comment = ""): Promise<RawResponse> {
  const page = await get(`/review/${id}`, { Cookie: session });
  expect(page.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf).toBeTruthy();
  // A merge needs its "I have read this change" box ticked.
  return post(`/review/${id}`, { csrf: csrf!, intent, comment, ...(intent === "merge" ? { confirm: "yes" } : {}) }, { Cookie: session });
}

async function status(id: string): Promise<string> {
  const page = await get(`/contributions/${id}`);
  return /data-status="([a-z_]+)"/.exec(page.text)?.[1] ?? "?";
}

function html(text: string): string {
  return text.replace(/<!-- -->/g, "").replace(/&amp;/g, "&").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"');
}

const question = {
  title: "How does select_for_update(skip_locked=True) help a job queue?",
  body: "Explain what `select_for_update(skip_locked=True)` does and why a job queue on PostgreSQL uses it.",
  tags: "orm",
  name: "Rana Revises",
  email: "rana@example.org",
  licence: "on",
  intent: "submit",
};

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startAppServer({
    MAINTAINER_TOKEN: TOKEN,
    PUBLIC_URL,
    SMTP_URL: smtp.url,
    MAIL_FROM: "Django Questions <noreply@questions.test>",
    OUTBOX_RETRY_BASE_MS: "200",
  });
  await signIn();
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

describe("revise after review, and hear back by mail", () => {
  let id: string;
  let reviseLink: string;

  it("shows the revise link once after sending, and mails 'in review' once the proposal is in the queue", async () => {
    const sent = await post("/contribute/question", question);
    expect(sent.status).toBe(303);
    id = /\/contributions\/([a-z0-9]+)/.exec(String(sent.headers.location))![1]!;
    // One cookie of /contributions: this browser's list of its proposals, carrying the new one's revise link.
    const mine = cookies(sent).find((c) => c.startsWith("dq_proposals="));
    expect(mine).toMatch(/Path=\/contributions;.*HttpOnly/);
    expect(mine).toMatch(new RegExp(`^dq_proposals=${id}~[A-Za-z0-9_-]{40,}`));

    const first = await get(`/contributions/${id}`, { Cookie: mine!.split(";")[0]! });
    reviseLink = html(/href="(http:\/\/questions\.test\/contributions\/[a-z0-9]+\/revise\?key=[^"]+)"/.exec(first.text)?.[1] ?? "");
    expect(reviseLink).toContain(`/contributions/${id}/revise?key=`);
    expect(first.text).toContain("You get an e-mail at each step");
    // Shown once: the same response drops the secret from the cookie, keeping the id.
    const after = cookies(first).find((c) => c.startsWith("dq_proposals="));
    expect(after).toMatch(new RegExp(`^dq_proposals=${id};`));
    expect((await get(`/contributions/${id}`, { Cookie: after!.split(";")[0]! })).text).not.toContain("revise?key=");
    expect((await get(`/contributions/${id}`)).text).not.toContain("revise?key=");

    // /contributions lists the proposals of this browser.
    const list = html((await get("/contributions", { Cookie: after!.split(";")[0]! })).text);
    expect(list).toContain(`href="/contributions/${id}"`);
    expect(list).toContain(question.title);
    expect(html((await get("/contributions")).text)).not.toContain(question.title);

    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toContain("Your proposal is in review");
    expect(mail!.text).toContain(`${PUBLIC_URL}/contributions/${id}`);
    expect(await status(id)).toBe("opened");
  });

  it("a proposal without an e-mail address gets no mail", async () => {
    const before = smtp.messages.length;
    const sent = await post("/contribute/question", { ...question, title: "When does a QuerySet hit the database, exactly?", email: "" });
    expect(sent.status).toBe(303);
    const other = /\/contributions\/([a-z0-9]+)/.exec(String(sent.headers.location))![1]!;
    expect(html((await get(`/contributions/${other}`)).text)).toContain("Bookmark this page");
    await until("delivery", async () => ((await status(other)) === "opened" ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.messages.length).toBe(before);
  });

  it("mails the maintainer's comment with a revise link when changes are requested", async () => {
    const res = await decide(id, "request-changes", "Please name the PostgreSQL version that added SKIP LOCKED <b>and</b> link the docs.");
    expect(res.status).toBe(303);
    const mails = await smtp.waitFor(2);
    const mail = mails.find((m) => m.subject?.includes("Changes requested"))!;
    expect(mail.text).toContain("Please name the PostgreSQL version that added SKIP LOCKED <b>and</b> link the docs.");
    expect(String(mail.html)).toContain("&lt;b&gt;and&lt;/b&gt;");
    const mailed = /(http:\/\/questions\.test\/contributions\/[a-z0-9]+\/revise\?key=\S+)/.exec(mail.text ?? "")?.[1];
    expect(mailed).toBeTruthy();
    // The mailed link works too (a fresh secret, the first one still works as well).
    const viaMail = await get(new URL(mailed!).pathname + new URL(mailed!).search);
    expect(viaMail.status).toBe(200);
    expect(await status(id)).toBe("changes_requested");
  });

  it("the revise form is for the link's holder only, prefilled with what was sent", async () => {
    const path = new URL(reviseLink).pathname;
    const anonymous = await get(path);
    expect(anonymous.status).toBe(403);
    expect(anonymous.text).toContain("Only the contributor can revise this proposal");
    const wrong = await get(`${path}?key=${"x".repeat(43)}`);
    expect(wrong.status).toBe(403);
    const form = await get(path + new URL(reviseLink).search);
    expect(form.status).toBe(200);
    expect(form.headers["cache-control"]).toContain("no-store");
    // The last policy a browser understands wins: the site's default, then this page's.
    expect(String(form.headers["referrer-policy"]).split(",").pop()!.trim()).toBe("same-origin");
    const page = html(form.text);
    expect(page).toContain(question.title);
    expect(page).toContain("select_for_update(skip_locked=True)");
    expect(page).toContain('value="rana@example.org"');
    expect(page).toContain("Send revision");
  });

  it("runs the content check on a revision exactly as on a new proposal", async () => {
    const target = new URL(reviseLink).pathname + new URL(reviseLink).search;
    const refused = await post(target, { ...question, body: "Too short" });
    expect(refused.status).toBe(422);
    expect(html(refused.text)).toMatch(/too short/i);
    expect(await status(id)).toBe("changes_requested");
  });

  it("a revision updates the same proposal: in review again, every version kept, the maintainer sees what changed", async () => {
    const target = new URL(reviseLink).pathname + new URL(reviseLink).search;
    const revisedBody = "Explain what `select_for_update(skip_locked=True)` does (PostgreSQL 9.5 added SKIP LOCKED) and why a job queue uses it.";
    const sent = await post(target, { ...question, body: revisedBody });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/contributions/${id}`);
    expect(await status(id)).toBe("opened");
    const page = html((await get(`/contributions/${id}`)).text);
    expect(page).toContain("Revised by the contributor (version 2)");
    expect(page).toContain("PostgreSQL 9.5 added SKIP LOCKED");

    const review = html((await get(`/review/${id}`, { Cookie: session })).text);
    // The diff marks the words that changed inside a line: read its lines as text.
    const lines = review.replace(/<[^>]+>/g, "");
    expect(review).toContain("Revised by the contributor");
    // Its date reads as every other date on the site does ("4 December 2026, 07:24 UTC").
    expect(lines).toMatch(/Version 2, \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC: what changed since version 1/);
    expect(lines).toContain("+ Explain what `select_for_update(skip_locked=True)` does (PostgreSQL 9.5 added SKIP LOCKED)");
    expect(lines).toContain("- Explain what `select_for_update(skip_locked=True)` does and why");
    // The same queue item: still one entry for this proposal.
    const queue = (await get("/review", { Cookie: session })).text;
    expect(queue.split(`/review/${id}"`).length - 1).toBe(1);
  });

  it("keeps mail while the SMTP server is down: the merge goes on, the mail arrives once it is back", async () => {
    const before = smtp.messages.length;
    const smtpPort = smtp.port;
    await smtp.close();
    const res = await decide(id, "merge");
    expect(res.status).toBe(303);
    expect(await status(id)).toBe("merged");
    await new Promise((r) => setTimeout(r, 800));
    smtp = await startSmtpServer({ port: smtpPort });
    const mail = await until("the merged mail", async () => smtp.messages.find((m) => m.subject?.startsWith("Merged")));
    expect(before).toBeGreaterThan(0);
    expect(mail.text).toContain(`${PUBLIC_URL}/q/`);
  });

  it("refuses a revision after the merge with a clear 409", async () => {
    const target = new URL(reviseLink).pathname + new URL(reviseLink).search;
    const page = await get(target);
    expect(page.status).toBe(409);
    expect(page.text).toContain("This proposal was merged: it can no longer be revised");
    const sent = await post(target, { ...question, body: "Another change after the merge, long enough." });
    expect(sent.status).toBe(409);
  });
});
