// Render scripts/social-card.svg to public/social-card.png (1200×630), the site's og:image,
// with the same Chromium the browser tests use:  node scripts/render-social-card.mjs
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const svg = fs.readFileSync(path.join(root, "scripts/social-card.svg"), "utf8");
const out = path.join(root, "public/social-card.png");
const [width, height] = [1200, 630];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
});
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width, height } });
  console.log(`wrote ${path.relative(root, out)} (${width}×${height})`);
} finally {
  await browser.close();
}
