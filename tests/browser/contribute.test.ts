/**
 * The contribution forms, end to end in Chromium against the production
 * server (local review queue): propose a question with and without
 * JavaScript, preview, fix errors without retyping, answer, suggest an edit,
 * hostile Markdown in the preview, and the abuse guards.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "~/modules/markdown/render";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newContext } from "../support/browser";

const MIGRATIONS = "how-django-migrations-work";
const STATUS_URL = /\/contributions\/[a-z0-9]{12}$/;

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  // The per-client limit gets its own server below; here it must not get in the way.
  [server, browser] = await Promise.all([startAppServer({ PROPOSAL_RATE_LIMIT: "1000" }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(javaScript: boolean): Promise<Page> {
  const ctx = await newContext(browser, { javaScript });
  return ctx.newPage();
}

/** Opens a form page; with JavaScript waits until React has hydrated it. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState("networkidle");
}

/** Rows of the proposals table of a server's database. */
function storedProposals(app: AppServer): { id: string; kind: string; title: string }[] {
  const file = path.join(app.dataDir, "django-questions.sqlite");
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT id, kind, title FROM proposals ORDER BY created_at").all() as { id: string; kind: string; title: string }[];
  } finally {
    db.close();
  }
}

interface QuestionInput {
  title?: string;
  body?: string;
  tags?: string[];
  name?: string;
  licence?: boolean;
}

async function fillQuestion(page: Page, v: QuestionInput): Promise<void> {
  if (v.title !== undefined) await page.fill("#field-title", v.title);
  if (v.body !== undefined) await page.fill("#field-body", v.body);
  for (const tag of v.tags ?? []) await page.check(`input[name=tags][value=${tag}]`);
  if (v.name !== undefined) await page.fill("#field-name", v.name);
  if (v.licence) await page.check("#field-licence");
}

async function checkedTags(page: Page): Promise<string[]> {
  return page.locator("input[name=tags]:checked").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
}

/** The question Markdown of a content file (without its front matter). */
function fileBody(app: AppServer, relative: string): string {
  const text = fs.readFileSync(path.join(app.contentDir, relative), "utf8");
  return text.replace(/^---\n[\s\S]*?\n---\n/, "");
}

/** After sending a form: waits for the status page to be shown. */
async function toStatusPage(page: Page): Promise<void> {
  await page.waitForURL(STATUS_URL);
  await page.locator("[data-status]").waitFor();
}

async function statusOf(page: Page): Promise<string | null> {
  return page.locator("[data-status]").getAttribute("data-status");
}

/** Form-encoded body of a complete, valid question proposal. */
function questionForm(title: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    kind: "question",
    title,
    body: `Explain what ${title.toLowerCase()} means for a Django project, and why it matters?`,
    tags: "orm",
    name: "Form Poster",
    licence: "on",
    intent: "submit",
    ...extra,
  });
}

function post(app: AppServer, pathname: string, body: URLSearchParams | string, headers: Record<string, string> = {}) {
  return fetch(app.url + pathname, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: body.toString(),
  });
}

describe("proposing a question without JavaScript", () => {
  it("previews the rendered question, keeps every field, then sends it and shows the status page", async () => {
    const page = await newPage(false);
    await open(page, server.url + "/contribute/question");
    const title = "Why does select_for_update need a transaction?";
    const body = [
      "What happens when this view runs outside `transaction.atomic()`?",
      "",
      "```python",
      "def reserve(request, pk):",
      "    seat = Seat.objects.select_for_update().get(pk=pk)",
      "    return HttpResponse(seat.number)",
      "```",
    ].join("\n");
    await fillQuestion(page, { title, body, tags: ["orm", "database"], name: "Grace Hopper", licence: true });

    await page.click("button[value=preview]");
    const preview = page.locator(".preview");
    await preview.waitFor();
    expect(await preview.locator(".question-title").textContent()).toBe(title);
    const code = preview.locator(".question-body pre code");
    expect(await code.textContent()).toContain("select_for_update().get(pk=pk)");
    expect(await code.locator("span[class^=hljs-]").count()).toBeGreaterThan(2);
    expect(await preview.locator(".tag-list .tag").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/ORM/i)]));
    // Everything typed is still in the form.
    expect(await page.inputValue("#field-title")).toBe(title);
    expect(await page.inputValue("#field-body")).toBe(body);
    expect((await checkedTags(page)).sort()).toEqual(["database", "orm"]);
    expect(await page.inputValue("#field-name")).toBe("Grace Hopper");
    expect(await page.isChecked("#field-licence")).toBe(true);
    expect(storedProposals(server).some((p) => p.title === title)).toBe(false);

    await page.click("button[value=submit]");
    await toStatusPage(page);
    expect(await page.locator(".proposal-status > .q-kicker").textContent()).toBe("New question");
    expect(await page.locator("h1").textContent()).toBe(title);
    expect(["queued", "opened"]).toContain(await statusOf(page));
    const file = page.locator(".diff-toggle details summary code");
    expect(await file.count()).toBe(1);
    expect(await file.textContent()).toBe("content/questions/why-does-select-for-update-need-a-transaction/question.md");
    const sent = await page.locator("pre.diff").textContent();
    expect(sent).toContain(`title: ${title}`);
    expect(sent).toContain("tags: [orm, database]");
    expect(sent).toContain("seat = Seat.objects.select_for_update().get(pk=pk)");
    const id = page.url().split("/").pop();
    expect(storedProposals(server)).toContainEqual({ id, kind: "question", title });
  });

  it("shows errors next to their fields and keeps what was typed; fixing only those fields sends it", async () => {
    const page = await newPage(false);
    await open(page, server.url + "/contribute/question");
    const title = "When should a Django model define __str__?";
    await fillQuestion(page, { title, body: "Why?", name: "Alan Turing" });
    await page.fill("#field-github", "alan-turing");
    await page.click("button[value=submit]");

    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(page.url()).toBe(server.url + "/contribute/question");
    const summaryText = await summary.textContent();
    expect(summaryText).toMatch(/Text: The question is too short/);
    expect(summaryText).toMatch(/Tags: Choose at least one tag/);
    expect(summaryText).toMatch(/Licence: Please confirm/);
    for (const [field, message] of [
      ["body", /too short: write at least 10 characters/],
      ["licence", /published under the site's licence/],
    ] as const) {
      const input = page.locator(`#field-${field}`);
      expect(await input.getAttribute("aria-invalid"), field).toBe("true");
      expect(await input.getAttribute("aria-describedby"), field).toContain(`${field}-messages`);
      // The message sits in the same field block as the input.
      expect(await page.locator(`.field:has(> #${field}-messages) .field-error`).first().textContent(), field).toMatch(message);
    }
    expect(await page.locator("#tags-messages .field-error").textContent()).toMatch(/Choose at least one tag/);
    expect(await page.locator("#field-title").getAttribute("aria-invalid")).toBeNull();
    // The summary links to the broken fields.
    expect(await summary.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(
      expect.arrayContaining(["#field-body", "#field-tags", "#field-licence"]),
    );
    // Nothing was retyped: the valid fields still hold their values.
    expect(await page.inputValue("#field-title")).toBe(title);
    expect(await page.inputValue("#field-body")).toBe("Why?");
    expect(await page.inputValue("#field-name")).toBe("Alan Turing");
    expect(await page.inputValue("#field-github")).toBe("alan-turing");
    expect(storedProposals(server).some((p) => p.title === title)).toBe(false);

    // Fix only the broken fields.
    await fillQuestion(page, { body: "Why should every Django model define __str__, and where does it show up?", tags: ["models"], licence: true });
    await page.click("button[value=submit]");
    await toStatusPage(page);
    expect(await page.locator("h1").textContent()).toBe(title);
    expect(await page.locator(".facts dd").first().textContent()).toBe("Alan Turing (@alan-turing)");
    expect(await page.locator("pre.diff").textContent()).toContain("tags: [models]");
  });

  it("shows “Is it already here?” with similar questions on the preview", async () => {
    const page = await newPage(false);
    await open(page, server.url + "/contribute/question");
    await fillQuestion(page, { title: "How do Django migrations work in the background?" });
    await page.click("button[value=preview]");
    const similar = page.locator(".similar");
    await similar.waitFor();
    expect(await similar.locator("h2").textContent()).toBe("Is it already here?");
    expect(await similar.locator(`a[href="/q/${MIGRATIONS}"]`).count()).toBe(1);
  });
});

describe("proposing a question with JavaScript", () => {
  it("shows errors next to their fields and keeps what was typed; fixing only those fields sends it", async () => {
    const page = await newPage(true);
    await open(page, server.url + "/contribute/question");
    const title = "When should a Django model define get_absolute_url?";
    await fillQuestion(page, { title, body: "Why?", name: "Barbara Liskov" });
    await page.click("button[value=submit]");

    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(page.url()).toBe(server.url + "/contribute/question");
    expect(await summary.textContent()).toMatch(/Text: The question is too short/);
    expect(await page.locator("#field-body").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#tags-messages .field-error").textContent()).toMatch(/Choose at least one tag/);
    expect(await page.inputValue("#field-title")).toBe(title);
    expect(await page.inputValue("#field-body")).toBe("Why?");
    expect(await page.inputValue("#field-name")).toBe("Barbara Liskov");
    expect(storedProposals(server).some((p) => p.title === title)).toBe(false);

    // Fix only the broken fields; the rest is still there.
    await fillQuestion(page, { body: "Why should a Django model define get_absolute_url, and who calls it?", tags: ["models"], licence: true });
    await page.click("button[value=submit]");
    await toStatusPage(page);
    expect(await page.locator("h1").textContent()).toBe(title);
    expect(await page.locator(".facts dd").first().textContent()).toBe("Barbara Liskov");
    expect(await page.locator("pre.diff").textContent()).toContain("tags: [models]");
    expect(storedProposals(server).filter((p) => p.title === title)).toHaveLength(1);
  });

  it("shows similar questions and the preview while typing, then sends and reaches “In review”", async () => {
    const page = await newPage(true);
    await open(page, server.url + "/contribute/question");
    expect(await page.locator(".similar").count()).toBe(0);
    const title = "How do Django migrations work in the background?";
    await page.locator("#field-title").pressSequentially(title, { delay: 10 });
    const link = page.locator(`.similar a[href="/q/${MIGRATIONS}"]`);
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator(".similar h2").textContent()).toBe("Is it already here?");
    expect(page.url()).toBe(server.url + "/contribute/question");

    const body = "Which table records the applied migrations, and what does `migrate --fake` write there?";
    await page.locator("#field-body").pressSequentially(body, { delay: 5 });
    const previewBody = page.locator(".preview .question-body");
    await expect.poll(() => previewBody.textContent(), { timeout: 10_000 }).toContain("what does migrate --fake write there?");
    expect(await previewBody.locator("code").textContent()).toBe("migrate --fake");
    expect(await page.locator(".preview .question-title").textContent()).toBe(title);

    await fillQuestion(page, { tags: ["migrations"], name: "Katherine Johnson", licence: true });
    await page.click("button[value=submit]");
    await toStatusPage(page);
    expect(await page.locator("h1").textContent()).toBe(title);
    const sentId = page.url().split("/").pop()!;
    // The local outbox delivers it to the review queue within seconds.
    await expect
      .poll(
        async () => {
          await page.reload();
          return statusOf(page);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe("opened");
    expect(await page.locator("[data-status]").textContent()).toBe("In review");
    expect(await page.locator(".technical-details .facts").textContent()).toMatch(/#\d+ in the local review queue/);
    // The browser keeps it in "your proposals" (a cookie of /contributions set when it was sent).
    await page.goto(server.url + "/contributions");
    const listed = page.locator(`.your-proposals-list a[href="/contributions/${sentId}"]`);
    expect(await listed.textContent()).toBe(title);
    expect(await page.locator(".your-proposals-list li").first().textContent()).toContain("In review");
  });
});

describe("answers and edits", () => {
  it("links every question page to its answer form and to an edit of the question and of each answer", async () => {
    const dirs = fs.readdirSync(path.join(server.contentDir, "questions"));
    // Every question of the content folder the server was started on (a copy of content/).
    const questions = fs.readdirSync(path.resolve("content/questions")).filter((d) => fs.existsSync(path.resolve("content/questions", d, "question.md")));
    expect(questions.length).toBeGreaterThan(0);
    expect(dirs.sort()).toEqual(questions.sort());
    for (const slug of dirs) {
      const res = await fetch(`${server.url}/q/${slug}`);
      expect(res.status, slug).toBe(200);
      const html = await res.text();
      expect(html, slug).toContain(`href="/q/${slug}/answer"`);
      expect(html, slug).toContain(`href="/q/${slug}/edit"`);
      const answersDir = path.join(server.contentDir, "questions", slug, "answers");
      const answers = fs.existsSync(answersDir) ? fs.readdirSync(answersDir).filter((f) => f.endsWith(".md")) : [];
      for (const file of answers) expect(html, `${slug}/${file}`).toContain(`href="/q/${slug}/edit?answer=${file.slice(0, -3)}"`);
    }
  });

  it("writes an answer from the question page; the status page names the new answer file", async () => {
    const page = await newPage(true);
    await open(page, `${server.url}/q/${MIGRATIONS}`);
    const asked = (await page.locator(".question-body").textContent())!;
    await page.click("text=Write an answer");
    await page.waitForURL(`${server.url}/q/${MIGRATIONS}/answer`);
    await page.locator("#field-body").waitFor();
    await page.waitForLoadState("networkidle");
    expect(await page.locator("h1").textContent()).toMatch(/^Write an answer to question \d+$/);
    // The question being answered, in full, above the editor.
    const question = page.locator(".answering");
    expect(await question.locator(".question-title").textContent()).toBe("How Django migrations work");
    expect(await question.locator(".question-body").textContent()).toBe(asked);
    const [shown, editor] = [await question.boundingBox(), await page.locator("#field-body").boundingBox()];
    expect(shown!.y + shown!.height).toBeLessThanOrEqual(editor!.y);
    expect(await page.locator("#field-title").count()).toBe(0);
    const body = "Each migration is a Python file of operations; `migrate` applies them in order and records each in `django_migrations`.";
    await page.fill("#field-body", body);
    await page.fill("#field-name", "Ada Lovelace");
    await page.check("#field-licence");
    const preview = page.locator(".preview .answer");
    await expect.poll(() => preview.last().textContent(), { timeout: 10_000 }).toContain("records each in django_migrations");
    await page.click("button[value=submit]");
    await toStatusPage(page);

    expect(await page.locator(".proposal-status > .q-kicker").textContent()).toBe("New answer");
    const file = (await page.locator(".diff-toggle details summary code").textContent())!;
    const m = new RegExp(`^content/questions/${MIGRATIONS}/answers/(\\d{4}-\\d{2}-\\d{2})-ada-lovelace\\.md$`).exec(file);
    expect(m, file).not.toBeNull();
    const day = Date.parse(`${m![1]}T00:00:00Z`);
    expect(Math.abs(Date.now() - day)).toBeLessThan(2 * 86_400_000);
    const sent = await page.locator("pre.diff").textContent();
    expect(sent).toContain("author: Ada Lovelace");
    expect(sent).toContain(body);
  });

  it("suggests an edit of a question: prefilled form, and the status page shows exactly the changed line", async () => {
    const page = await newPage(true);
    await open(page, `${server.url}/q/${MIGRATIONS}`);
    await page.locator(".question-credit a", { hasText: "Suggest an edit" }).click();
    await page.waitForURL(`${server.url}/q/${MIGRATIONS}/edit`);
    await page.locator("#field-body").waitFor();
    await page.waitForLoadState("networkidle");

    const current = fileBody(server, `questions/${MIGRATIONS}/question.md`);
    expect(await page.inputValue("#field-title")).toBe("How Django migrations work");
    expect((await page.inputValue("#field-body")).trim()).toBe(current.trim());
    expect((await checkedTags(page)).sort()).toEqual(["database", "migrations"]);

    expect(current).toContain("In summary, how does");
    await page.fill("#field-body", current.trim().replace("In summary, how does", "In short, how does"));
    await page.fill("#field-name", "Edsger Dijkstra");
    await page.check("#field-licence");
    await page.click("button[value=submit]");
    await toStatusPage(page);

    expect(await page.locator(".proposal-status > .q-kicker").textContent()).toBe("Edit");
    const details = page.locator(".diff-toggle details");
    expect(await details.count()).toBe(1);
    expect(await details.locator("summary").textContent()).toBe(`content/questions/${MIGRATIONS}/question.md (changed)`);
    const del = page.locator("pre.diff .del");
    const add = page.locator("pre.diff .add");
    expect(await del.allTextContents()).toEqual([expect.stringMatching(/^- In summary, how does Django migrations work\?/)]);
    expect(await add.allTextContents()).toEqual([expect.stringMatching(/^\+ In short, how does Django migrations work\?/)]);
  });

  it("suggests an edit of an answer: the form holds the answer's Markdown and the diff shows only the change", async () => {
    const page = await newPage(false);
    const answerId = fs.readdirSync(path.join(server.contentDir, "questions", MIGRATIONS, "answers"))[0]!.slice(0, -3);
    await open(page, `${server.url}/q/${MIGRATIONS}`);
    await page.locator(`#answer-${answerId} a`, { hasText: "Suggest an edit" }).click();
    await page.waitForURL(`${server.url}/q/${MIGRATIONS}/edit?answer=${answerId}`);
    await page.locator("#field-body").waitFor();
    expect(await page.locator("#field-title").count()).toBe(0);
    const current = fileBody(server, `questions/${MIGRATIONS}/answers/${answerId}.md`);
    expect((await page.inputValue("#field-body")).trim()).toBe(current.trim());

    const firstLine = current.split("\n").find((l) => /\bthe\b/.test(l))!;
    const changed = firstLine.replace(/\bthe\b/, "THE");
    await page.fill("#field-body", current.replace(firstLine, changed));
    await page.fill("#field-name", "Barbara Liskov");
    await page.check("#field-licence");
    await page.click("button[value=submit]");
    await toStatusPage(page);

    expect(await page.locator(".diff-toggle details summary code").textContent()).toBe(
      `content/questions/${MIGRATIONS}/answers/${answerId}.md`,
    );
    expect(await page.locator("pre.diff .del").allTextContents()).toEqual([`- ${firstLine}\n`]);
    expect(await page.locator("pre.diff .add").allTextContents()).toEqual([`+ ${changed}\n`]);
  });
});

describe("hostile Markdown in the preview", () => {
  const hostile = [
    "Is this safe?",
    "",
    "<script>alert(1)</script>",
    "",
    "<img src=x onerror=alert(1)>",
    "",
    "[click me](javascript:alert(1)) and <a href=\"javascript:alert(2)\">raw</a>",
    "",
    "Marker paragraph after the payloads.",
  ].join("\n");

  async function expectSafePreview(page: Page, dialogs: string[]) {
    const preview = page.locator(".preview");
    await expect.poll(() => preview.locator(".question-body").textContent(), { timeout: 10_000 }).toContain("Marker paragraph");
    expect(await preview.locator("script").count()).toBe(0);
    expect(await preview.locator("[onerror]").count()).toBe(0);
    expect(await preview.locator("a[href^='javascript:' i]").count()).toBe(0);
    const attributes = await preview.locator("*").evaluateAll((els) =>
      els.flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`)),
    );
    expect(attributes.filter((a) => /^on/i.test(a) || /javascript:/i.test(a))).toEqual([]);
    // Exactly what the site's own Markdown pipeline makes of it.
    const shown = await preview.locator(".question-body").innerHTML();
    const site = await page.evaluate((html) => {
      const t = document.createElement("template");
      t.innerHTML = html;
      return t.innerHTML;
    }, renderMarkdown(hostile));
    expect(shown).toBe(site);
    expect(dialogs).toEqual([]);
  }

  it("with JavaScript: the live preview is sanitised and nothing runs", async () => {
    const page = await newPage(true);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await open(page, server.url + "/contribute/question");
    await page.fill("#field-title", "A hostile question body");
    await page.fill("#field-body", hostile);
    await expectSafePreview(page, dialogs);
  });

  it("without JavaScript: the Preview button's page is sanitised too", async () => {
    const page = await newPage(false);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await open(page, server.url + "/contribute/question");
    await fillQuestion(page, { title: "A hostile question body", body: hostile });
    await page.click("button[value=preview]");
    await expectSafePreview(page, dialogs);
    expect(await page.inputValue("#field-body")).toBe(hostile);
  });
});

describe("abuse guards", () => {
  it("refuses a cross-site form post (403, nothing stored); the same post from the site itself works", async () => {
    const before = storedProposals(server).length;
    const form = questionForm("Cross-site posted question about querysets");
    const refused = {
      origin: await post(server, "/contribute/question", form, { Origin: "https://evil.example" }),
      secFetchSite: await post(server, "/contribute/question", form, { "Sec-Fetch-Site": "cross-site" }),
      answer: await post(server, `/q/${MIGRATIONS}/answer`, new URLSearchParams({ body: "A cross-site answer text.", name: "X", licence: "on", intent: "submit" }), {
        Origin: "https://evil.example",
      }),
      preview: await post(server, "/contribute/preview", form, { Origin: "https://evil.example" }),
    };
    const statuses = Object.fromEntries(Object.entries(refused).map(([k, r]) => [k, r.status]));
    expect(statuses).toEqual({ origin: 403, secFetchSite: 403, answer: 403, preview: 403 });
    expect(await refused.origin.text()).toMatch(/Cross-site form posts are not accepted/);
    expect(storedProposals(server).length).toBe(before);

    const own = await post(server, "/contribute/question", form, { Origin: server.url });
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toMatch(STATUS_URL);
    expect(storedProposals(server).length).toBe(before + 1);
  });

  it("refuses a form another site makes the browser submit", async () => {
    const before = storedProposals(server).length;
    const page = await newPage(true);
    const form = questionForm("Question smuggled in by another site");
    const inputs = [...form].map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, "&quot;")}">`).join("");
    await page.route("http://evil.example/", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><form id="f" method="post" action="${server.url}/contribute/question">${inputs}</form><script>document.getElementById("f").submit()</script>`,
      }),
    );
    const refused = page.waitForResponse((r) => r.url() === `${server.url}/contribute/question` && r.request().method() === "POST");
    await page.goto("http://evil.example/");
    expect((await refused).status()).toBe(403);
    expect(storedProposals(server).length).toBe(before);
  });

  it("refuses a filled-in honeypot with an error and stores nothing", async () => {
    const before = storedProposals(server).length;
    const page = await newPage(false);
    await open(page, server.url + "/contribute/question");
    const title = "Honeypot question about signals";
    await fillQuestion(page, {
      title,
      body: "Why do post_save signals fire twice in this test?",
      tags: ["signals"],
      name: "Bot",
      licence: true,
    });
    await page.locator("#field-website").fill("http://spam.example", { force: true });
    await page.click("button[value=submit]");
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/could not be accepted/);
    expect(page.url()).toBe(server.url + "/contribute/question");
    expect(await page.inputValue("#field-title")).toBe(title);
    expect(storedProposals(server).length).toBe(before);
  });

  it("answers a request larger than 100 KB with 413", async () => {
    const form = questionForm("An oversized proposal", { body: "Why? " + "x".repeat(110 * 1024) });
    const res = await post(server, "/contribute/question", form, { Origin: server.url });
    expect(res.status).toBe(413);
    const ok = await post(server, "/contribute/question", questionForm("A proposal just under the size limit", { body: "Why? " + "y".repeat(90 * 1024) }), {
      Origin: server.url,
    });
    expect(ok.status).not.toBe(413);
  });

  describe("per-client rate limit", () => {
    let limited: AppServer;
    beforeAll(async () => {
      limited = await startAppServer({ PROPOSAL_RATE_LIMIT: "2" });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it("asks to wait on the third proposal and keeps the text", async () => {
      for (const title of ["First rate-limited question on caching", "Second rate-limited question on caching"]) {
        const res = await post(limited, "/contribute/question", questionForm(title), { Origin: limited.url });
        expect(res.status, title).toBe(303);
      }
      expect(storedProposals(limited).length).toBe(2);

      const page = await newPage(true);
      await open(page, limited.url + "/contribute/question");
      const title = "Third rate-limited question on caching";
      const body = "Why would per-view caching serve a stale page after a deploy?";
      await fillQuestion(page, { title, body, tags: ["performance"], name: "Hedy Lamarr", licence: true });
      await page.click("button[value=submit]");
      const summary = page.locator(".error-summary");
      await summary.waitFor({ timeout: 10_000 });
      expect(await summary.textContent()).toMatch(/Please wait about 10 minutes and send this one again/);
      expect(page.url()).toBe(limited.url + "/contribute/question");
      expect(await page.inputValue("#field-title")).toBe(title);
      expect(await page.inputValue("#field-body")).toBe(body);
      expect(await checkedTags(page)).toEqual(["performance"]);
      expect(await page.isChecked("#field-licence")).toBe(true);
      expect(storedProposals(limited).length).toBe(2);
    });

    it("limits the Preview button like the live preview (429), keeping the text", async () => {
      const form = questionForm("How does the cache framework pick a backend?", { intent: "preview" });
      let status = 200;
      let sent = 0;
      while (status === 200 && sent < 400) {
        status = (await post(limited, "/contribute/question", form, { Origin: limited.url })).status;
        sent++;
      }
      expect(status).toBe(429);
      expect(sent).toBeGreaterThan(100); // a contributor previewing by hand never meets it
      const res = await post(limited, "/contribute/question", form, { Origin: limited.url });
      expect(res.status).toBe(429);
      const html = await res.text();
      expect(html).toMatch(/Too many previews in a short time/);
      expect(html).toContain('value="How does the cache framework pick a backend?"');
      expect(storedProposals(limited).length).toBe(2);
    });
  });
});
