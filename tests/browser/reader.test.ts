import AxeBuilder from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newContext } from "../support/browser";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { parseContent } from "~/modules/validation";

/** The questions of the served folder (a copy of content/). */
async function servedQuestions() {
  return parseContent(await readContentFolder(server.contentDir)).questions;
}

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("reading the questions", () => {
  it("lists every question, 50 a page in order of number, with tags and answer counts; Next and Previous work without JavaScript", async () => {
    const page = await (await newContext(browser, { javaScript: false })).newPage();
    await page.goto(server.url + "/");
    const total = Number(/(\d+) questions/.exec((await page.locator(".result-count").textContent())!)![1]);
    expect(total).toBe((await servedQuestions()).length); // every question of the served folder, whatever its size
    const items = page.locator("ol.question-list > li");
    expect(await items.count()).toBe(Math.min(50, total));
    expect(await items.first().getAttribute("data-number")).toBe("1");
    await expect.poll(() => items.first().locator(".tag").count()).toBeGreaterThan(0);
    expect(await items.first().locator(".answer-count").textContent()).toMatch(/\d+ answers?/);
    expect(await page.title()).toContain("Django");
    const numbers: number[] = [];
    for (let pageNo = 1; ; pageNo++) {
      numbers.push(...(await items.evaluateAll((li) => li.map((e) => Number(e.getAttribute("data-number"))))));
      const next = page.locator('.list-pager a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForURL(new RegExp(`page=${pageNo + 1}`));
      expect(await page.locator('.list-pager a[rel="prev"]').count()).toBe(1);
    }
    expect(numbers).toHaveLength(total);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("sorts the list by most answered without JavaScript", async () => {
    const page = await (await newContext(browser, { javaScript: false })).newPage();
    await page.goto(server.url + "/");
    await page.selectOption("#list-sort", "answers");
    await page.locator(".sort-form button").click();
    await page.waitForURL(/sort=answers/);
    const counts = await page.locator("ol.question-list > li .answer-count").evaluateAll((els) => els.map((e) => Number.parseInt(e.textContent ?? "0", 10)));
    expect(counts.length).toBeGreaterThan(0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("filters the list by tag", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(server.url + "/");
    const chip = page.locator(".tag-filter a", { hasText: "Security" }).first();
    const expected = Number(await chip.locator(".count").textContent());
    await chip.click();
    await page.waitForURL(/tag=security/);
    await expect.poll(() => page.locator("ol.question-list > li").count()).toBe(Math.min(expected, 50));
    expect(expected).toBeGreaterThan(1);
    const total = Number(/(\d+) questions/.exec((await page.locator(".result-count").textContent())!)![1]);
    expect(total).toBe(expected);
  });

  it("shows a question's code block highlighted on the server", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    await page.goto(server.url + "/q/4");
    const code = page.locator(".question-body pre code");
    await expect.poll(() => code.count()).toBeGreaterThan(0);
    expect(await code.first().textContent()).toContain("@transaction.atomic");
    // highlight.js token spans are there without any script running
    expect(await code.first().locator("span[class^='hljs-']").count()).toBeGreaterThan(2);
  });

  it("answers /q/42 with a 301 to question 42's slug URL", async () => {
    const res = await fetch(server.url + "/q/42", { redirect: "manual" });
    expect(res.status).toBe(301);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/q\/[a-z0-9-]+$/);
    const page = await (await newContext(browser)).newPage();
    await page.goto(server.url + "/q/42");
    expect(page.url()).toBe(server.url + location);
    expect(await page.locator(".q-kicker").textContent()).toBe("Question 42");
  });

  it("links a question to the previous and next ones", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(server.url + "/q/2");
    expect(await page.locator(".q-kicker").textContent()).toBe("Question 2");
    await page.locator("a[rel=next]").click();
    await expect.poll(() => page.locator(".q-kicker").textContent()).toBe("Question 3");
    await page.locator("a[rel=prev]").click();
    await expect.poll(() => page.locator(".q-kicker").textContent()).toBe("Question 2");
  });

  it("gives unknown paths a real 404 page", async () => {
    const res = await fetch(server.url + "/no/such/page");
    expect(res.status).toBe(404);
    const page = await (await newContext(browser)).newPage();
    const response = await page.goto(server.url + "/q/no-such-question");
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
  });
});

describe("search", () => {
  it("works without JavaScript: a form submit shows ranked, highlighted results", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    await page.goto(server.url + "/search");
    await page.fill("#search-q", "migrations");
    await page.click("button[type=submit]");
    await page.waitForURL(/q=migrations/);
    const results = page.locator(".result");
    await expect.poll(() => results.count()).toBeGreaterThan(1);
    expect(await results.first().locator("mark").count()).toBeGreaterThan(0);
    expect((await results.first().locator("h2").textContent())!.toLowerCase()).toContain("migration");
  });

  it("shows results as you type with JavaScript", async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(server.url + "/search");
    await page.waitForLoadState("networkidle");
    await page.locator("#search-q").pressSequentially("celery", { delay: 30 });
    // Results may already show for the first letters; the address follows the whole query.
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain("q=celery");
    await expect.poll(() => page.locator(".result").count(), { timeout: 10_000 }).toBeGreaterThan(1);
  });

  it("never fails on lunr syntax or huge input: the reader sees results or a clear message", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    for (const q of ["title:", "*", "+", "~", "title:wsgi", "orm*", "foo:bar", "x".repeat(5000), "<script>alert(1)</script>"]) {
      const label = q.slice(0, 20);
      const res = await page.goto(`${server.url}/search?q=${encodeURIComponent(q)}`);
      expect(res?.status(), label).toBe(200);
      expect(await res?.text()).not.toContain("<script>alert(1)</script>");
      const results = page.locator(".search-results .result-list > li.result");
      const message = page.locator(".search-results .search-message");
      const resultShown = (await results.count()) > 0 && (await results.first().isVisible());
      const messageShown = (await message.count()) > 0 && (await message.isVisible());
      expect(resultShown || messageShown, `${label}: results or a message`).toBe(true);
      if (messageShown) {
        const text = (await message.textContent())!;
        expect(text.length, label).toBeGreaterThan(15);
        expect(text, label).not.toMatch(/Search failed|Error|undefined/);
      }
      if (!resultShown) expect(await page.locator(".search-results .result-count").textContent(), label).toMatch(/^0 results/);
      if (q === "title:wsgi" || q === "orm*") expect(resultShown, label).toBe(true);
      if (q.length === 5000) expect(await message.textContent(), label).toMatch(/No questions match/);
    }
    await ctx.close();
  });
});

async function axeViolations(page: import("playwright-core").Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("accessibility", () => {
  for (const path of ["/", "/q/1", "/tags/orm", "/search?q=csrf", "/about"]) {
    it(`has no axe violations on ${path}`, async () => {
      const ctx = await newContext(browser);
      const page = await ctx.newPage();
      await page.goto(server.url + path);
      expect(await axeViolations(page)).toEqual([]);
      await ctx.close();
    });
  }

  const variants = [
    { name: "in the dark theme", colorScheme: "dark", viewport: { width: 1200, height: 900 } },
    { name: "on a phone", colorScheme: "light", viewport: { width: 390, height: 844 } },
    { name: "on a phone in the dark theme", colorScheme: "dark", viewport: { width: 390, height: 844 } },
  ] as const;
  for (const variant of variants) {
    for (const path of ["/", "/q/4"]) {
      it(`has no axe violations on ${path} ${variant.name}`, async () => {
        const ctx = await browser.newContext({ colorScheme: variant.colorScheme, viewport: variant.viewport, isMobile: variant.viewport.width < 500 });
        const page = await ctx.newPage();
        await page.goto(server.url + path);
        // the theme and the width really apply
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe(variant.colorScheme === "dark" ? "rgb(13, 17, 23)" : "rgb(255, 255, 255)");
        expect(await page.evaluate(() => document.documentElement.clientWidth)).toBe(variant.viewport.width);
        // nothing makes the whole page scroll sideways
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(variant.viewport.width);
        expect(await axeViolations(page)).toEqual([]);
        await ctx.close();
      });
    }
  }

  it("has no axe violations after switching to the dark theme with the toggle", async () => {
    const ctx = await browser.newContext({ colorScheme: "light", viewport: { width: 1200, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(server.url + "/q/4");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(13, 17, 23)");
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });
});
