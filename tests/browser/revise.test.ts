/**
 * Revising after review in a real browser on a 390 px phone: the form sent
 * without JavaScript lands on the status page with the revise link (shown
 * once, never wider than the screen); after a maintainer asks for changes the
 * link opens the same form prefilled, and the revision — sent with JavaScript
 * this time, and without it — brings the proposal back to review; the page
 * lists it under "your proposals". No page scrolls sideways.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, phoneContext, signInWithToken } from "../support/browser";

const TOKEN = "revise-browser-maintainer-token-0123456789";
const TITLE = "Why does select_for_update(skip_locked=True,no_key=True) need a transaction?";

let server: AppServer;
let browser: Browser;
let maintainer: BrowserContext;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer({ MAINTAINER_TOKEN: TOKEN, PROPOSAL_RATE_LIMIT: "1000" }), launchBrowser()]);
  maintainer = await phoneContext(browser, { javaScript: false });
  await signInWithToken(maintainer, server.url, TOKEN);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fitsPhone(page: Page, label: string): Promise<void> {
  const width = await page.evaluate(() => {
    const doc = document.scrollingElement!;
    return { scroll: doc.scrollWidth, client: doc.clientWidth };
  });
  expect(width.scroll, `${label} scrolls sideways`).toBeLessThanOrEqual(width.client);
}

async function statusOf(page: Page): Promise<string | null> {
  return page.locator("[data-status]").first().getAttribute("data-status");
}

async function requestChanges(id: string, comment: string): Promise<void> {
  const page = await maintainer.newPage();
  await page.goto(`${server.url}/review/${id}`);
  await page.fill("#comment-changes", comment);
  await Promise.all([page.waitForURL(`${server.url}/review/${id}?done=request-changes`), page.click("form[aria-label='Request changes'] button[type=submit]")]);
  await page.close();
}

async function sendProposal(page: Page, title: string, body: string): Promise<{ id: string; link: string }> {
  await page.goto(server.url + "/contribute/question");
  await page.fill("#field-title", title);
  await page.fill("#field-body", body);
  await page.check("input[name=tags][value=orm]");
  await page.fill("#field-name", "Pat Phone");
  await page.check("#field-licence");
  await Promise.all([page.waitForURL(/\/contributions\/[a-z0-9]+$/), page.click("button[value=submit]")]);
  const id = page.url().split("/").pop()!;
  const link = await page.locator(".revise-link a").getAttribute("href");
  expect(link).toContain(`/contributions/${id}/revise?key=`);
  await fitsPhone(page, "the status page with the revise link");
  return { id, link: link! };
}

async function waitForStatus(page: Page, id: string, status: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await page.goto(`${server.url}/contributions/${id}`);
    if ((await statusOf(page)) === status) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`proposal ${id} never became ${status}`);
}

describe("revising on a phone", () => {
  for (const javaScript of [false, true]) {
    it(`the revise link opens the same form, prefilled; the revision goes back to review (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const context = await phoneContext(browser, { javaScript });
      try {
        const page = await context.newPage();
        // Two different proposals (the same one sent twice would be the first one again).
        const title = javaScript ? TITLE : TITLE.replace("Why does", "Why, exactly, does");
        const { id, link } = await sendProposal(page, title, "Explain why `select_for_update()` outside a transaction raises an error.");
        // Shown once: the page does not show it again.
        await page.reload();
        expect(await page.locator(".revise-link").count()).toBe(0);
        await waitForStatus(page, id, "opened");
        await requestChanges(id, "Please say what TransactionManagementError says, and why autocommit is the cause.");
        await waitForStatus(page, id, "changes_requested");
        expect(await page.locator("#revise-heading").textContent()).toContain("Revise your proposal");
        await fitsPhone(page, "the status page asking for a revision");

        await page.goto(link);
        expect(await page.inputValue("#field-title")).toBe(title);
        expect(await page.inputValue("#field-body")).toContain("outside a transaction raises an error");
        await fitsPhone(page, "the revise form");
        await page.fill("#field-body", "Explain why `select_for_update()` outside a transaction raises TransactionManagementError under autocommit.");
        await page.check("#field-licence");
        await Promise.all([page.waitForURL(`${server.url}/contributions/${id}`), page.click("button[value=submit]")]);
        expect(await statusOf(page)).toBe("opened");
        expect(await page.textContent("main")).toContain("Revised by the contributor (version 2)");
        await fitsPhone(page, "the status page after the revision");

        await page.goto(server.url + "/contributions");
        expect(await page.locator(`a[href="/contributions/${id}"]`).count()).toBe(1);
        await fitsPhone(page, "your proposals");
      } finally {
        await context.close();
      }
    });
  }
});
