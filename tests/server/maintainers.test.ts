/**
 * The maintainers' side and the contributor's status page, as the server renders them (local review queue,
 * production build, no JavaScript involved):
 *   - the review screen shows the contributor's note to reviewers;
 *   - an edit's diff comes first, marks the changed words, and the tags keep their order; no "is it
 *     already here?" box for an edit, and a merged question never lists itself;
 *   - merge asks for confirmation (a required box, checked by the server too) and comes after the other actions;
 *   - a maintainer who gave a name at token sign-in is named as who merged (review history and status page);
 *   - the status page: steps in plain words, the comment as sanitised Markdown, readable dates with a
 *     machine value, the proposal rendered with the diff behind a toggle, delivery internals only in the
 *     collapsed technical details, and "bookmark this page" when no e-mail address was given;
 *   - /contributions says something sensible without JavaScript.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeQuestion, startAppServer, type AppServer } from "../support/app-server";
import { checkHtml } from "../support/vnu";

const TOKEN = "maintainers-test-token-0123456789";
const EDITED = "add-unique-field-backwards-compatibly";

let app: AppServer;
let cookie = "";

beforeAll(async () => {
  app = await startAppServer({ MAINTAINER_TOKEN: TOKEN, PROPOSAL_RATE_LIMIT: "1000" });
  const res = await fetch(app.url + "/auth/token", {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: new URLSearchParams({ token: TOKEN, name: "Mia Maintainer", returnTo: "/review" }).toString(),
  });
  expect(res.status).toBe(303);
  cookie = res.headers.get("set-cookie")!.split(";")[0]!;
});
afterAll(async () => {
  await app?.stop();
});

async function page(pathname: string, withCookie = false): Promise<{ status: number; html: string }> {
  const res = await fetch(app.url + pathname, { headers: withCookie ? { Cookie: cookie } : {} });
  return { status: res.status, html: await res.text() };
}

/** The visible text of some HTML (tags dropped, entities decoded enough for these assertions). */
function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'");
}

/** The status page's main text: what is not behind a toggle (the diff, then the technical details, come last). */
function mainPart(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  return main.split('<details class="diff-toggle"')[0]!;
}

async function waitOpened(id: string): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const { html } = await page(`/contributions/${id}`);
    if (html.includes('data-status="opened"')) return;
    if (Date.now() > end) throw new Error(`proposal ${id} was not opened`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function propose(fields: Record<string, string>): Promise<string> {
  const id = (await proposeQuestion(app, { tags: "orm", ...fields } as Parameters<typeof proposeQuestion>[1])).split("/").pop()!;
  await waitOpened(id);
  return id;
}

async function act(id: string, fields: Record<string, string>): Promise<Response> {
  const screen = await page(`/review/${id}`, true);
  const csrf = /name="csrf" value="([^"]+)"/.exec(screen.html)![1]!;
  return fetch(`${app.url}/review/${id}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: app.url },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
}

describe("the review screen", () => {
  it("shows the note to reviewers, puts Merge last behind a required confirmation, and names the maintainer who merged", async () => {
    const title = "How does select_for_update(skip_locked=True) pick the rows it returns?";
    const id = await propose({ title, body: "Which rows does `select_for_update(skip_locked=True)` return when other transactions hold locks?", note: "I was unsure about the \u2018nowait\u2019 part." });
    const screen = await page(`/review/${id}`, true);
    expect(screen.status).toBe(200);
    expect(screen.html).toMatch(/<h2 id="note-heading">Note to reviewers<\/h2><blockquote class="review-note" dir="auto"><p>I was unsure about the \u2018nowait\u2019 part\.<\/p><\/blockquote>/);

    // Merge is the last of the three forms (on a phone, not the first big button), and asks to confirm.
    const forms = [...screen.html.matchAll(/<form method="post" [^>]*aria-label="([^"]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual(["Request changes", "Close", "Merge"]);
    const box = /<input type="checkbox" id="merge-confirm"[^>]*>/.exec(screen.html)?.[0];
    expect(box).toMatch(/ name="confirm"/);
    expect(box).toMatch(/ required=""/);
    expect(box).toMatch(/ value="yes"/);

    // Without the box ticked (a browser without validation, a script): refused, still open.
    const unconfirmed = await act(id, { intent: "merge" });
    expect(unconfirmed.status).toBe(422);
    expect(text(await unconfirmed.text())).toContain("Tick “I have read this change” to merge it");
    expect((await page(`/contributions/${id}`)).html).toContain('data-status="opened"');

    const merged = await act(id, { intent: "merge", confirm: "yes" });
    expect(merged.status).toBe(303);
    const after = await page(`/review/${id}`, true);
    expect(text(after.html)).toMatch(/Merged by Mia Maintainer \(#\d+\): it is on the site now\./);
    // Once merged, the question is in the site's index: it is never listed as a duplicate of itself.
    const slug = /href="\/q\/([a-z0-9-]+)"/.exec(after.html.split('<dt>On the site</dt>')[1]!)![1]!;
    expect(after.html).not.toMatch(new RegExp(`Is it already here\\?[\\s\\S]*href="/q/${slug}"[\\s\\S]*</aside>`));

    // The contributor's page says who merged it, in plain words, with a readable date.
    const status = await page(`/contributions/${id}`);
    const main = mainPart(status.html);
    expect(text(main)).toContain("Merged by Mia Maintainer: your proposal is part of the wiki.");
    expect(main).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC<\/time>/);
    expect(text(main)).not.toMatch(/Commit [0-9a-f]{7}|content\/questions|Attempt \d/);
  });

  it("shows an edit's diff first, with the changed words marked, keeps the tags' order, and has no similar-questions box", async () => {
    const file = fs.readFileSync(path.join(app.contentDir, "questions", EDITED, "question.md"), "utf8");
    const tags = /^tags: \[(.*)\]$/m.exec(file)![1]!.split(", ");
    const title = /^title: (.*)$/m.exec(file)![1]!;
    const body = file.split(/^---$/m)[2]!.trim();
    expect(body).toContain("backwards compatible manner");
    // Tags in the vocabulary's order, as the form's checkboxes send them (not the question's own order).
    const vocabulary = fs.readFileSync(path.join(app.contentDir, "tags.yml"), "utf8");
    const sent = [...tags].sort((a, b) => vocabulary.indexOf(`id: ${a}\n`) - vocabulary.indexOf(`id: ${b}\n`));
    expect(sent).not.toEqual(tags);
    const form = new URLSearchParams({ title, body: body.replace("backwards compatible manner", "backwards compatible way"), name: "Edit Tester", licence: "on", intent: "submit" });
    for (const t of sent) form.append("tags", t);
    const res = await fetch(`${app.url}/q/${EDITED}/edit`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(res.status).toBe(303);
    const id = res.headers.get("location")!.split("/").pop()!;
    await waitOpened(id);

    const screen = (await page(`/review/${id}`, true)).html;
    // The diff comes before the content check and the rendered page.
    const diffAt = screen.indexOf('id="files-heading"');
    expect(diffAt).toBeGreaterThan(0);
    expect(diffAt).toBeLessThan(screen.indexOf('id="check-heading"'));
    expect(diffAt).toBeLessThan(screen.indexOf('id="preview-heading"'));
    // Words, not lines: the changed words are marked inside their lines.
    expect(screen).toContain("<span>How would you add a unique field (say UUID) to a model, in a backwards compatible </span><del>manner</del><span>?</span>");
    expect(screen).toContain("<span>How would you add a unique field (say UUID) to a model, in a backwards compatible </span><ins>way</ins><span>?</span>");
    // The tags did not change, so their line is not in the diff.
    expect(screen).not.toMatch(/class="(?:add|del)">[+-] (?:<span>)?tags:/);
    expect(screen).not.toContain("Is it already here?");
  });
});

describe("valid HTML (Nu HTML Checker)", () => {
  it("finds 0 errors on the review screen and on a status page with a maintainer's comment", { timeout: 120_000 }, async () => {
    const id = await propose({ title: "Why is a valid review screen worth checking?", body: "What breaks when a page is not valid HTML?", note: "A note with <b>markup</b> & an ampersand." });
    expect((await act(id, { intent: "request-changes", comment: "A list:\n\n- one\n- `two`\n\n> quoted" })).status).toBe(303);
    const documents = [
      { name: "review screen", html: (await page(`/review/${id}`, true)).html },
      { name: "status page", html: (await page(`/contributions/${id}`)).html },
    ];
    const errors = checkHtml(documents);
    expect(errors.map((e) => `${e.document}:${e.line}:${e.column} ${e.message} [${e.extract ?? ""}]`)).toEqual([]);
  });
});

describe("the contributor's status page", () => {
  it("shows the steps in plain words, the comment as sanitised Markdown, the proposal with its diff behind a toggle", async () => {
    const id = await propose({ title: "When does Django close a database connection it opened?", body: "When does Django close the database connection of a request, and what does `CONN_MAX_AGE` change?" });
    const before = await page(`/contributions/${id}`);
    expect(text(mainPart(before.html))).toMatch(/Received[\s\S]*In review[\s\S]*Next[\s\S]*A maintainer reviews it/);
    expect(before.html).toContain("<strong>Bookmark this page</strong>");

    const comment = "Please add **one example** with `CONN_MAX_AGE = 60`.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>";
    expect((await act(id, { intent: "request-changes", comment })).status).toBe(303);
    const res = await page(`/contributions/${id}`);
    expect(res.status).toBe(200);
    const main = mainPart(res.html);
    expect(text(main)).toMatch(/Received[\s\S]*In review[\s\S]*Changes requested[\s\S]*Mia Maintainer asked for changes:/);
    expect(main).toContain("<strong>one example</strong>");
    expect(main).toContain("<code>CONN_MAX_AGE = 60</code>");
    expect(main).not.toMatch(/<script>alert|onerror|<img/);
    // The proposal as the site will show it, the diff behind a toggle (closed), internals only in the technical details.
    expect(main).toContain('id="preview-heading"');
    expect(res.html).toMatch(/<details class="diff-toggle"><summary>Show the changes line by line<\/summary>/);
    expect(text(main)).not.toMatch(/Attempt|Branch|proposal\/|Opened for review as/);
    expect(res.html).toMatch(/<details class="technical-details"><summary>Technical details<\/summary>[\s\S]*Delivery attempts/);
  });

  it("never shows the contributor's e-mail address, and still asks to bookmark when this site sends no mail", async () => {
    // This server has no SMTP_URL: an address on the form brings no mail (tests/server/revise-and-mail.test.ts has the mailing site).
    const id = await propose({ title: "What does select_related do with a nullable foreign key?", body: "Which join does select_related use for a nullable foreign key, and why?", email: "ann@example.org" });
    const res = await page(`/contributions/${id}`);
    expect(res.html).toContain("Bookmark this page");
    expect(res.html).not.toContain("ann@example.org");
  });

  it("/contributions explains itself without JavaScript", async () => {
    const res = await page("/contributions");
    expect(res.status).toBe(200);
    expect(text(res.html)).toContain("The list is kept by your browser only");
    expect(text(res.html)).toContain("None yet.");
    expect(res.html).toContain("<h1>Your proposals</h1>");
  });
});
