/**
 * The site on a 390 px phone, whatever the content: every page type — home,
 * tag, question, search, about, practice, the three forms, a proposal's
 * status page, the review queue and screen, sign-in, a 404 — with hostile
 * content (a title made of one long code name, a credit and an author name
 * without a space, a code line of 300 characters, a table of long words, a
 * long URL). None scrolls sideways (document.scrollingElement.scrollWidth ≤
 * clientWidth); the header is the title and ONE line of navigation; long
 * words break inside themselves; code keeps its lines and scrolls in its own
 * focusable, labelled box; tables scroll in theirs.
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyContent, highestQuestionNumber, proposeQuestion, startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, PHONE, phoneContext, signInWithToken } from "../support/browser";

const TOKEN = "phone-test-maintainer-token-0123456789";
const SLUG = "select-for-update-skip-locked";
const TITLE = 'When is select_for_update(skip_locked=True,no_key=True,of=("self",)) safe?';
const LONG_WORD = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege";
const CODE_LINE = `rows = Job.objects.select_for_update(skip_locked=True).filter(${Array.from({ length: 12 }, (_, i) => `field_${i}__gte=${i}`).join(", ")})`;
const URL_WORD = `https://docs.djangoproject.com/en/stable/ref/models/querysets/#${"select-for-update-".repeat(8)}`;

let server: AppServer;
let browser: Browser;
let maintainer: BrowserContext;
let proposalId: string;

/** A question (and an answer) written to break a phone layout. */
function addHostileQuestion(contentDir: string): number {
  const number = highestQuestionNumber(contentDir) + 1;
  const dir = path.join(contentDir, "questions", SLUG);
  fs.mkdirSync(path.join(dir, "answers"), { recursive: true });
  const table = ["| " + Array.from({ length: 6 }, (_, i) => `column_${i}_${LONG_WORD.slice(0, 20)}`).join(" | ") + " |", "|" + " --- |".repeat(6), "| " + Array.from({ length: 6 }, () => LONG_WORD.slice(0, 30)).join(" | ") + " |"].join("\n");
  fs.writeFileSync(
    path.join(dir, "question.md"),
    `---\nnumber: ${number}\ntitle: '${TITLE}'\ntags: [orm, database]\nadded: 2026-12-01\ncredit: ${LONG_WORD}\n---\n` +
      `Why does \`Job.objects.select_for_update(skip_locked=True,nowait=False,of=("self",),no_key=True)\` matter? See ${URL_WORD} and ${LONG_WORD}.\n\n` +
      "```python\n" + CODE_LINE + "\n```\n\n" + table + "\n",
  );
  fs.writeFileSync(
    path.join(dir, "answers", "2026-12-02-long-name.md"),
    `---\nauthor: ${LONG_WORD}\ndate: 2026-12-02\n---\nIt skips locked rows: \`${"select_for_update_skip_locked_".repeat(6)}\`.\n\n` + "```python\n" + CODE_LINE + "\n```\n",
  );
  return number;
}

beforeAll(async () => {
  const contentDir = copyContent();
  addHostileQuestion(contentDir);
  [server, browser] = await Promise.all([startAppServer({ CONTENT_DIR: contentDir, MAINTAINER_TOKEN: TOKEN, PROPOSAL_RATE_LIMIT: "1000" }), launchBrowser()]);
  // A proposal with a long title and a long name, for the status page and the review screens.
  const status = await proposeQuestion(server, {
    title: "Why does prefetch_related(Prefetch(\"entries__authors__profile\")) still query?",
    body: `What makes \`${"prefetch_related_objects_".repeat(5)}\` issue a query per row?\n\n\`\`\`python\n${CODE_LINE}\n\`\`\`\n`,
    tags: "orm",
    name: LONG_WORD.slice(0, 90),
    note: `See ${URL_WORD} — ${LONG_WORD}`,
  });
  proposalId = status.split("/").pop()!;
  // The maintainer's session, signed in with the token.
  maintainer = await phoneContext(browser);
  await signInWithToken(maintainer, server.url, TOKEN);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  header: number;
  brand: number;
  navRow: number;
  navTops: number[];
  navFits: boolean;
  widest: string;
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const doc = document.scrollingElement!;
    const rect = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
    const nav = document.querySelector(".site-header nav ul")!;
    // The element that sticks out furthest on the right, to name it when something overflows.
    let widest = "";
    let right = doc.clientWidth;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect().right;
      if (r > right + 0.5 && !el.closest(".table-scroll, pre, .nav-list")) {
        right = r;
        widest = `${el.tagName.toLowerCase()}.${el.className} (${Math.round(r)} px)`;
      }
    }
    return {
      scrollWidth: doc.scrollWidth,
      clientWidth: doc.clientWidth,
      header: rect(".site-header").height,
      brand: rect(".brand").height,
      navRow: rect(".site-header nav").height,
      navTops: [...nav.querySelectorAll("a")].map((a) => Math.round(a.getBoundingClientRect().top)),
      navFits: nav.scrollWidth <= nav.clientWidth,
      widest,
    };
  });
}

async function expectPhoneLayout(page: Page, label: string): Promise<void> {
  const l = await layout(page);
  expect(l.clientWidth, label).toBe(PHONE.width);
  expect(l.scrollWidth, `${label}: the page scrolls sideways; widest: ${l.widest}`).toBeLessThanOrEqual(l.clientWidth);
  // The title, then ONE line of navigation: every link on the same line, all of them visible.
  expect(new Set(l.navTops).size, `${label}: navigation on more than one line`).toBe(1);
  expect(l.navFits, `${label}: navigation cut off`).toBe(true);
  expect(l.navRow, label).toBeLessThan(48);
  expect(l.header, `${label}: header taller than the title and one line of navigation`).toBeLessThanOrEqual(l.brand + l.navRow + 28);
}

const PAGES = [
  { name: "home", path: "/" },
  { name: "home filtered by tag", path: "/?tag=orm" },
  { name: "tag page", path: "/tags/database" },
  { name: "question page", path: `/q/${SLUG}` },
  { name: "search results", path: `/search?q=${encodeURIComponent("select_for_update skip_locked")}` },
  { name: "search with a long query", path: `/search?q=${LONG_WORD}${LONG_WORD}` },
  { name: "about", path: "/about" },
  { name: "practice", path: `/practice?q=${SLUG}` },
  { name: "question form", path: "/contribute/question" },
  { name: "answer form", path: `/q/${SLUG}/answer` },
  { name: "edit form", path: `/q/${SLUG}/edit` },
  { name: "sign-in", path: "/auth/token" },
  { name: "your proposals", path: "/contributions" },
  { name: "404", path: `/${LONG_WORD}${LONG_WORD}` },
];

describe("every page on a 390 px phone, with hostile content", () => {
  for (const javaScript of [true, false]) {
    it(`no page scrolls sideways and the header is one line of navigation under the title (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const ctx = await phoneContext(browser, { javaScript });
      const page = await ctx.newPage();
      for (const p of PAGES) {
        await page.goto(server.url + p.path);
        if (javaScript) await page.waitForLoadState("networkidle");
        await expectPhoneLayout(page, p.name);
      }
      await ctx.close();
    });
  }

  it("the status page, the review queue and the review screen fit too", async () => {
    const ctx = await phoneContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/contributions/${proposalId}`);
    await expectPhoneLayout(page, "status page");
    // Opened: the diff and the technical details (branch, events) fit too.
    await page.locator(".diff-toggle > summary").click();
    await page.locator(".technical-details > summary").click();
    await expectPhoneLayout(page, "status page, diff and technical details open");
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`))).toEqual([]);
    // A browser that sent the proposal keeps it in its list (the cookie the sending set; this one was sent by fetch).
    await ctx.addCookies([{ name: "dq_proposals", value: proposalId, url: `${server.url}/contributions` }]);
    await page.goto(`${server.url}/contributions`);
    expect(await page.locator(`.your-proposals-list a[href="/contributions/${proposalId}"]`).count()).toBe(1);
    await expectPhoneLayout(page, "your proposals");
    await ctx.close();

    const review = await maintainer.newPage();
    await review.goto(server.url + "/review");
    expect(await review.locator("h1").textContent()).toBe("Review queue");
    await expectPhoneLayout(review, "review queue");
    // The queue's table scrolls in its own focusable, labelled box when it is wider than the phone.
    const box = review.locator(".table-scroll").first();
    expect(await box.getAttribute("tabindex")).toBe("0");
    expect(await box.getAttribute("aria-label")).toBeTruthy();
    await review.locator(`a[href^="/review/"]`).first().click();
    await review.waitForURL(/\/review\/[^/]+$/);
    await expectPhoneLayout(review, "review screen");
    expect(await new AxeBuilder({ page: review }).analyze().then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`))).toEqual([]);
    // The note to reviewers (a long URL and a long word) wraps inside the screen.
    expect(await review.locator(".review-note").evaluate((el) => el.getBoundingClientRect().right <= 390 && el.scrollWidth <= el.clientWidth)).toBe(true);
    // Going down the screen, the first big button under the thumb is not Merge.
    const bigButtons = await review.evaluate(() =>
      [...document.querySelectorAll("main button, main .button, main input[type=submit]")]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width >= 100 && r.height >= 32;
        })
        .map((el) => el.textContent!.trim()),
    );
    expect(bigButtons.length).toBeGreaterThan(1);
    expect(bigButtons[0]).not.toBe("Merge");
    expect(bigButtons.at(-1)).toBe("Merge");
  });

  it("a title that is one long code name breaks inside the word, and the credit and author names do too", async () => {
    const ctx = await phoneContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/q/${SLUG}`);
    const title = page.locator("h1");
    expect(await title.textContent()).toBe(TITLE);
    const box = (await title.boundingBox())!;
    const lineHeight = await title.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.height).toBeGreaterThan(lineHeight * 1.5); // it wrapped
    // Nothing sticks out of its box: the long names broke inside themselves.
    for (const sel of ["h1", ".question-credit", ".answer-meta", ".question-body p"]) {
      const fits = await page.locator(sel).first().evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= 390);
      expect(fits, sel).toBe(true);
    }
    await ctx.close();
  });

  it("code keeps its lines and scrolls inside a focusable, labelled box a keyboard can scroll", async () => {
    // (the question page ships no script; JavaScript is on for axe)
    const ctx = await phoneContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/q/${SLUG}`);
    const pre = page.locator(".question-body pre").first();
    expect(await pre.getAttribute("tabindex")).toBe("0");
    expect(await pre.getAttribute("aria-label")).toBe("Code: python");
    const metrics = await pre.evaluate((el) => ({
      whiteSpace: getComputedStyle(el).whiteSpace,
      lines: el.textContent!.trimEnd().split("\n").length,
      height: el.clientHeight,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      scrolls: el.scrollWidth > el.clientWidth,
      right: el.getBoundingClientRect().right,
    }));
    expect(metrics.whiteSpace).toBe("pre");
    expect(metrics.lines).toBe(1);
    expect(metrics.height).toBeLessThan(metrics.lineHeight * 3); // one line of code, not wrapped into many
    expect(metrics.scrolls).toBe(true);
    expect(metrics.right).toBeLessThanOrEqual(PHONE.width);
    // Tab reaches it, and the arrow keys scroll it.
    for (let i = 0; i < 40 && !(await pre.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    expect(await pre.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("End");
    await expect.poll(() => pre.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    // The table scrolls in its own box as well.
    const table = page.locator(".question-body .table-scroll");
    expect(await table.getAttribute("tabindex")).toBe("0");
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth && el.getBoundingClientRect().right <= 390)).toBe(true);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`))).toEqual([]);
    await ctx.close();
  });

  it("the practice progress table fits or scrolls in its own box", async () => {
    const ctx = await phoneContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/practice?q=${SLUG}`);
    await page.waitForLoadState("networkidle");
    const box = page.locator(".practice-progress .table-scroll");
    expect(await box.getAttribute("tabindex")).toBe("0");
    expect(await box.getAttribute("aria-labelledby")).toBe("progress-heading");
    const r = (await box.boundingBox())!;
    expect(r.x + r.width).toBeLessThanOrEqual(PHONE.width);
    await expectPhoneLayout(page, "practice");
    await ctx.close();
  });
});
