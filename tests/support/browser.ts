import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with nothing that reaches the network. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run 'apt-get install -y chromium' (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
}

export async function newContext(browser: Browser, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: 1200, height: 900 } });
}

/** A phone's screen in CSS pixels. */
export const PHONE = { width: 390, height: 844 };

/** A browser context on a touch phone of {@link PHONE}'s size, JavaScript on unless said. */
export async function phoneContext(browser: Browser, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, javaScriptEnabled: options.javaScript ?? true });
}

/** Signs `context` in as the maintainer through the token form, as a person does (the session cookie stays in `context`). */
export async function signInWithToken(context: BrowserContext, siteUrl: string, token: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(siteUrl + "/auth/token");
  await page.fill("#field-token", token);
  await Promise.all([page.waitForURL(siteUrl + "/review"), page.click("button[type=submit]")]);
  await page.close();
}
