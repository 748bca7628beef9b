/**
 * Practice mode in a real browser: keyboard-driven reveal and grading,
 * progress kept in localStorage across reloads, the spaced-repetition order,
 * the private scratch box, reset, and the no-JavaScript fallback.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newContext } from "../support/browser";

let server: AppServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function context(options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  const ctx = await newContext(browser, options);
  contexts.push(ctx);
  return ctx;
}

const session = (page: Page) => page.locator(".practice-session[data-ready=true]");

/** Open practice mode (with JavaScript) and wait until the first card is loaded. */
async function openPractice(page: Page, query = ""): Promise<void> {
  await page.goto(`${server.url}/practice${query}`);
  await session(page).waitFor();
  await page.locator(".practice-card #practice-title a").waitFor();
}

/** The slug of the card on screen, once the card for position `position` (1-based) is loaded. */
async function cardAt(page: Page, position: number): Promise<string> {
  await expect.poll(() => page.locator(".round-position").textContent()).toMatch(new RegExp(`^Card ${position} of \\d+`));
  const link = page.locator(".practice-card #practice-title a");
  await link.waitFor();
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^\/q\/[a-z0-9-]+$/);
  return href.slice(3);
}

async function roundLength(page: Page): Promise<number> {
  const text = (await page.locator(".round-position").textContent())!;
  return Number(/of (\d+)/.exec(text)![1]);
}

const answers = (page: Page) => page.locator(".practice-card .practice-answers");

/** Space reveals the answers of the current card. */
async function reveal(page: Page): Promise<void> {
  await expect.poll(() => answers(page).count()).toBe(0);
  await page.keyboard.press("Space");
  await answers(page).waitFor();
  await expect.poll(() => answers(page).locator("article.answer").count()).toBeGreaterThan(0);
}

/** Grade with the keyboard: 1 not yet, 2 partly, 3 knew it. */
async function grade(page: Page, key: "1" | "2" | "3"): Promise<void> {
  const label = { "1": "Not yet", "2": "Partly", "3": "Knew it" }[key];
  await page.keyboard.press(key);
  await expect.poll(() => page.locator(".grades button[aria-pressed=true]").textContent()).toContain(label);
}

interface Row {
  knew: number;
  partly: number;
  notyet: number;
  unseen: number;
  due: number;
}

async function progressRow(page: Page, tag: string): Promise<Row> {
  const cells = await page.locator(`.practice-progress tr[data-tag="${tag}"] td`).allTextContents();
  const [knew, partly, notyet, unseen, due] = cells.map(Number) as [number, number, number, number, number];
  return { knew, partly, notyet, unseen, due };
}

/** The topic with the fewest questions (at least 3), read from the page's topic checkboxes. */
async function smallestTag(page: Page): Promise<{ id: string; count: number }> {
  const labels = page.locator(".practice-tags label.tag-check");
  const tags: { id: string; count: number }[] = [];
  for (const label of await labels.all()) {
    const id = (await label.locator("input[name=tag]").getAttribute("value"))!;
    const count = Number(await label.locator(".count").textContent());
    tags.push({ id, count });
  }
  expect(tags.length).toBeGreaterThan(3);
  return tags.filter((t) => t.count >= 3).sort((a, b) => a.count - b.count || a.id.localeCompare(b.id))[0]!;
}

describe("practice mode with JavaScript", () => {
  it("reveals with Space, grades with 1/2/3, keeps progress across a reload and brings 'not yet' back before 'knew it'", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const tag = await smallestTag(page);

    // Start a round on that one topic through the form.
    await page.locator(`.practice-tags input[name=tag][value="${tag.id}"]`).check();
    await page.locator(".practice-tags button[type=submit]").click();
    await page.waitForURL(new RegExp(`tag=${tag.id}`));
    await session(page).waitFor();
    expect(await roundLength(page)).toBe(tag.count);
    expect(await progressRow(page, tag.id)).toEqual({ knew: 0, partly: 0, notyet: 0, unseen: tag.count, due: 0 });

    // Card 1: knew it.
    const knewIt = await cardAt(page, 1);
    expect(await answers(page).count()).toBe(0);
    await reveal(page);
    await grade(page, "3");
    await expect.poll(() => progressRow(page, tag.id)).toMatchObject({ knew: 1, unseen: tag.count - 1 });

    // Card 2: not yet.
    await page.keyboard.press("ArrowRight");
    const notYet = await cardAt(page, 2);
    expect(notYet).not.toBe(knewIt);
    await reveal(page);
    await grade(page, "1");
    await expect.poll(() => progressRow(page, tag.id)).toMatchObject({ knew: 1, notyet: 1, unseen: tag.count - 2 });
    // 'not yet' is requeued later in this round
    expect(await roundLength(page)).toBe(tag.count + 1);

    // Every other question of the topic: partly (skipping the requeued repeat).
    const graded = new Set([knewIt, notYet]);
    for (let position = 3; graded.size < tag.count; position++) {
      await page.keyboard.press("ArrowRight");
      const slug = await cardAt(page, position);
      if (graded.has(slug)) continue;
      await reveal(page);
      await grade(page, "2");
      graded.add(slug);
    }
    const before = await progressRow(page, tag.id);
    expect(before).toEqual({ knew: 1, partly: tag.count - 2, notyet: 1, unseen: 0, due: 0 });

    // Reload: the progress is still there, and the round starts with the 'not yet' question
    // and ends with the 'knew it' one.
    await page.reload();
    await session(page).waitFor();
    expect(await progressRow(page, tag.id)).toEqual(before);
    expect(await roundLength(page)).toBe(tag.count);
    const order = [await cardAt(page, 1)];
    for (let position = 2; position <= tag.count; position++) {
      await page.keyboard.press("ArrowRight");
      order.push(await cardAt(page, position));
    }
    expect(order[0]).toBe(notYet);
    expect(order.at(-1)).toBe(knewIt);
    expect(new Set(order).size).toBe(tag.count);

    // ArrowLeft goes back.
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, tag.count - 1)).toBe(order.at(-2));
  });

  it("shows a requeued 'not yet' card fresh, with its answers hidden again", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const tag = await smallestTag(page);
    await openPractice(page, `?tag=${tag.id}`);
    for (let position = 2; position <= tag.count; position++) {
      await page.keyboard.press("ArrowRight");
      await cardAt(page, position);
    }
    const last = await cardAt(page, tag.count);
    await reveal(page);
    await grade(page, "1");
    // the last card of the round comes back right after itself
    await page.keyboard.press("ArrowRight");
    expect(await cardAt(page, tag.count + 1)).toBe(last);
    await expect.poll(() => answers(page).count()).toBe(0);
    expect(await page.locator(".grades").count()).toBe(0);
    await reveal(page);
    expect(await page.locator(".grades button[aria-pressed=true]").count()).toBe(0);
  });

  it("moves between cards with the arrow keys and the buttons", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const first = await cardAt(page, 1);
    await page.keyboard.press("ArrowRight");
    const second = await cardAt(page, 2);
    expect(second).not.toBe(first);
    await page.keyboard.press("ArrowRight");
    await cardAt(page, 3);
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, 2)).toBe(second);
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, 1)).toBe(first);
    // already at the start: stays there
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, 1)).toBe(first);
    await page.getByRole("button", { name: /Next/ }).click();
    expect(await cardAt(page, 2)).toBe(second);
    await page.getByRole("button", { name: /Previous/ }).click();
    expect(await cardAt(page, 1)).toBe(first);
  });

  it("reveals with Space after clicking Next or a grade button, and moves focus to the new card's heading", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    await page.getByRole("button", { name: /Next/ }).click();
    const second = await cardAt(page, 2);
    // focus is on the new question's heading, where screen readers announce it
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("practice-title");
    await reveal(page);
    expect(await cardAt(page, 2)).toBe(second); // Space did not press Next again

    await page.getByRole("button", { name: /Knew it/ }).click();
    await page.getByRole("button", { name: /Next/ }).focus();
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, 1)).toBeTruthy();
    // a practice button with focus: Space still reveals, and does not press it
    await page.getByRole("button", { name: /Next/ }).focus();
    await reveal(page);
    expect(await cardAt(page, 1)).toBeTruthy();
  });

  it("leaves Space to the rest of the page: it opens the schedule explanation instead of revealing", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const details = page.locator(".practice-progress details");
    await details.locator("summary").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => details.getAttribute("open")).not.toBeNull();
    expect(await answers(page).count()).toBe(0);
  });

  it("shows on the card when the question was last graded, and how", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const slug = await cardAt(page, 1);
    expect(await page.locator(".practice-card .last-grade").textContent()).toBe("Not practised yet");
    // Graded "partly" three days (and a bit) ago: due again, so it heads the next round.
    await page.evaluate((s) => {
      const at = Date.now() - 3 * 24 * 3600_000 - 3600_000;
      localStorage.setItem("dq-practice-v1", JSON.stringify({ [s]: { grade: "partly", at, streak: 0 } }));
    }, slug);
    await page.reload();
    await session(page).waitFor();
    expect(await cardAt(page, 1)).toBe(slug);
    await expect.poll(() => page.locator(".practice-card .last-grade").textContent()).toBe("Last time: partly, 3 days ago");
    // another question has no record
    await page.keyboard.press("ArrowRight");
    await cardAt(page, 2);
    await expect.poll(() => page.locator(".practice-card .last-grade").textContent()).toBe("Not practised yet");
    // grading now is what the card shows the next time it comes up
    await page.keyboard.press("ArrowLeft");
    await cardAt(page, 1);
    await reveal(page);
    await grade(page, "3");
    // while on the card it still says what was known before this grade
    expect(await page.locator(".practice-card .last-grade").textContent()).toBe("Last time: partly, 3 days ago");
    await page.keyboard.press("ArrowRight");
    await cardAt(page, 2);
    await page.keyboard.press("ArrowLeft");
    expect(await cardAt(page, 1)).toBe(slug);
    await expect.poll(() => page.locator(".practice-card .last-grade").textContent()).toBe("Last time: knew it, just now");
  });

  it("never sends the scratch box's text anywhere, and typing in it does not trigger shortcuts", async () => {
    const page = await (await context()).newPage();
    const secret = "quokka-scratch-7391";
    const requests: string[] = [];
    page.on("request", (r) => {
      requests.push([r.url(), r.postData() ?? "", JSON.stringify(r.headers())].join("\n"));
    });
    await openPractice(page);
    const first = await cardAt(page, 1);
    const scratch = page.getByLabel(/Your thoughts/);
    // Space, 1 and the arrows typed in the box are text, not commands.
    await scratch.pressSequentially(`${secret} 1 3`);
    await scratch.press("ArrowLeft");
    await scratch.press("ArrowRight");
    expect(await scratch.inputValue()).toBe(`${secret} 1 3`);
    expect(await answers(page).count()).toBe(0);
    expect(await cardAt(page, 1)).toBe(first);

    // Use the page as usual: reveal, grade, go on (which loads the next card), reload.
    await page.getByRole("button", { name: /Reveal the answers/ }).click();
    await answers(page).waitFor();
    await page.getByRole("button", { name: /Knew it/ }).click();
    await page.getByRole("button", { name: /Next/ }).click();
    await cardAt(page, 2);
    await page.reload();
    await session(page).waitFor();
    await page.waitForLoadState("networkidle");

    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((r) => r.includes(secret))).toEqual([]);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(secret);
  });

  it("resets all progress after confirming, and keeps it when the confirmation is dismissed", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const tag = await smallestTag(page);
    await openPractice(page, `?tag=${tag.id}`);
    await cardAt(page, 1);
    await reveal(page);
    await grade(page, "3");
    await page.keyboard.press("ArrowRight");
    await cardAt(page, 2);
    await reveal(page);
    await grade(page, "1");
    const graded = { knew: 1, partly: 0, notyet: 1, unseen: tag.count - 2, due: 0 };
    await expect.poll(() => progressRow(page, tag.id)).toEqual(graded);

    // Cancel: nothing changes.
    page.once("dialog", (d) => void d.dismiss());
    await page.getByRole("button", { name: "Reset progress" }).click();
    expect(await progressRow(page, tag.id)).toEqual(graded);

    // Confirm: progress gone, round back at its first card, and it stays gone after a reload.
    let message = "";
    page.once("dialog", (d) => {
      message = d.message();
      void d.accept();
    });
    await page.getByRole("button", { name: "Reset progress" }).click();
    await expect.poll(() => progressRow(page, tag.id)).toEqual({ knew: 0, partly: 0, notyet: 0, unseen: tag.count, due: 0 });
    expect(message).toMatch(/progress/i);
    expect(await roundLength(page)).toBe(tag.count);
    await cardAt(page, 1);
    await page.reload();
    await session(page).waitFor();
    expect(await progressRow(page, tag.id)).toEqual({ knew: 0, partly: 0, notyet: 0, unseen: tag.count, due: 0 });
  });

  it("has no axe violations with the answers revealed and the grade buttons shown", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    await reveal(page);
    await page.locator(".grades").waitFor();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });

  it("explains on the page how the schedule brings questions back", async () => {
    const page = await (await context()).newPage();
    await openPractice(page);
    const text = (await page.locator(".practice-progress details").textContent())!;
    expect(text).toMatch(/Not yet.*10 minutes/s);
    expect(text).toMatch(/Knew it.*3 days/s);
    expect(text).toContain("localStorage");
  });
});

describe("practice mode without JavaScript", () => {
  it("shows one random question with its answers behind a closed disclosure, and a link to another", async () => {
    const page = await (await context({ javaScript: false })).newPage();
    const res = await page.goto(`${server.url}/practice`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["cache-control"]).toContain("no-store");
    expect(await page.locator(".practice-card").count()).toBe(1);
    const title = page.locator(".practice-card #practice-title a");
    expect(await title.getAttribute("href")).toMatch(/^\/q\/[a-z0-9-]+$/);
    const details = page.locator(".practice-card details.reveal");
    expect(await details.count()).toBe(1);
    expect(await details.getAttribute("open")).toBeNull();
    expect(await details.locator("article.answer").count()).toBeGreaterThan(0);
    expect(await details.locator(".practice-answers").isVisible()).toBe(false);
    await details.locator("summary").click();
    expect(await details.locator(".practice-answers").isVisible()).toBe(true);

    // The link leads to another random card: never the one just shown.
    let previous = (await title.getAttribute("href"))!;
    for (let i = 0; i < 6; i++) {
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Another random question" }).click()]);
      expect(response?.status()).toBe(200);
      expect(await page.locator(".practice-card details.reveal").count()).toBe(1);
      const href = (await title.getAttribute("href"))!;
      expect(href).not.toBe(previous);
      previous = href;
    }
  });

  it("filters by topic with the form, and keeps the topic for the next random question", async () => {
    const ctx = await context({ javaScript: false });
    const security = await (await fetch(`${server.url}/tags/security`)).text();
    const securitySlugs = new Set([...security.matchAll(/href="\/q\/([a-z0-9-]+)"/g)].map((m) => m[1]!));
    expect(securitySlugs.size).toBeGreaterThan(1);

    const page = await ctx.newPage();
    await page.goto(`${server.url}/practice`);
    await page.locator('.practice-tags input[name=tag][value="security"]').check();
    await page.locator(".practice-tags button[type=submit]").click();
    await page.waitForURL(/\/practice\?tag=security$/);
    expect(await page.locator('.practice-tags input[value="security"]').isChecked()).toBe(true);
    for (let i = 0; i < 4; i++) {
      const href = (await page.locator(".practice-card #practice-title a").getAttribute("href"))!;
      expect(securitySlugs.has(href.slice(3)), href).toBe(true);
      await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Another random question" }).click()]);
      expect(page.url()).toContain("tag=security");
    }
  });
});
