/**
 * Lighthouse (the `lighthouse` npm package) in Debian's Chromium, with its
 * default mobile settings: a Moto G Power-sized screen, simulated slow 4G and
 * a 4× slower CPU. Used by `npm run audit` (every category, the performance
 * figures) and by tests/server/lighthouse.test.ts (the categories whose
 * scores do not depend on timing).
 */
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM_PATH } from "./browser";

export type Category = "performance" | "accessibility" | "best-practices" | "seo";

/** The flags every headless Chromium of this project runs with (nothing reaches the network). */
export const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export interface AuditFailure {
  category: Category;
  id: string;
  title: string;
  score: number;
  value?: string;
}

export interface AuditResult {
  scores: Partial<Record<Category, number>>;
  /** Scored audits below 1, by category: what keeps a score under 100. */
  failures: AuditFailure[];
  /** Milliseconds (CLS unitless, bytes for the byte figures). */
  metrics: {
    fcp: number;
    lcp: number;
    tbt: number;
    cls: number;
    speedIndex: number;
    /** Bytes of JavaScript the page downloads (transfer size, compressed). */
    scriptBytes: number;
    /** Bytes of it Lighthouse found unused. */
    unusedScriptBytes: number;
    /** Everything the page downloads. */
    totalBytes: number;
  };
  lighthouseVersion: string;
}

/** One Lighthouse run over `url` (its own Chromium, closed afterwards). */
export async function runLighthouse(url: string, categories: Category[]): Promise<AuditResult> {
  const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROME_FLAGS, logLevel: "silent" });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores: AuditResult["scores"] = {};
    const failures: AuditFailure[] = [];
    for (const id of categories) {
      const category = lhr.categories[id];
      if (!category) continue;
      scores[id] = category.score ?? 0;
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
        failures.push({ category: id, id: ref.id, title: audit.title, score: audit.score, value: audit.displayValue });
      }
    }
    const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const requests = (lhr.audits["network-requests"]?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? [];
    const unused = lhr.audits["unused-javascript"]?.details as { overallSavingsBytes?: number } | undefined;
    return {
      scores,
      failures,
      metrics: {
        fcp: numeric("first-contentful-paint"),
        lcp: numeric("largest-contentful-paint"),
        tbt: numeric("total-blocking-time"),
        cls: numeric("cumulative-layout-shift"),
        speedIndex: numeric("speed-index"),
        scriptBytes: requests.filter((r) => r.resourceType === "Script").reduce((n, r) => n + (r.transferSize ?? 0), 0),
        unusedScriptBytes: unused?.overallSavingsBytes ?? 0,
        totalBytes: numeric("total-byte-weight"),
      },
      lighthouseVersion: lhr.lighthouseVersion,
    };
  } finally {
    await chrome.kill();
  }
}
