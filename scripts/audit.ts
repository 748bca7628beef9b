/**
 * `npm run audit`: Lighthouse's mobile audit (performance, accessibility,
 * best practices, SEO) of a question page of the production build, in
 * Debian's Chromium. Performance is a timing figure: the script runs the
 * audit several times and reports the median, with the machine's load (on a
 * busy machine Total Blocking Time grows with everything else that runs).
 * Exits 1 when a median score is below 100.
 *
 *   npm run audit -- [--runs 3] [--path /q/<slug>]
 *
 * Without --path it audits the question with the most text (question and
 * answers), the heaviest page of its kind.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, startAppServer } from "../tests/support/app-server";
import { runLighthouse, type AuditResult, type Category } from "../tests/support/lighthouse";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, path: { type: "string" } } });
const runs = Math.max(1, Number(values.runs));
const CATEGORIES: Category[] = ["performance", "accessibility", "best-practices", "seo"];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The question folder with the most Markdown (question + answers). */
function heaviestQuestion(contentDir: string): string {
  const questions = path.join(contentDir, "questions");
  let best = { slug: "", bytes: -1 };
  for (const slug of fs.readdirSync(questions)) {
    const dir = path.join(questions, slug);
    if (!fs.statSync(dir).isDirectory()) continue;
    const answers = path.join(dir, "answers");
    const files = [path.join(dir, "question.md"), ...(fs.existsSync(answers) ? fs.readdirSync(answers).map((f) => path.join(answers, f)) : [])];
    const bytes = files.reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
    if (bytes > best.bytes) best = { slug, bytes };
  }
  return `/q/${best.slug}`;
}

async function main() {
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-if-needed.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) process.exit(1);
  const contentDir = path.join(ROOT, "content");
  const app = await startAppServer({ CONTENT_DIR: contentDir });
  try {
    const target = values.path ?? heaviestQuestion(contentDir);
    const first = await fetch(app.url + target);
    const pagePath = new URL(first.url).pathname;
    console.log(`Lighthouse mobile audit of ${pagePath} (${(await first.arrayBuffer()).byteLength} bytes of HTML), ${runs} run(s)\n`);
    const results: AuditResult[] = [];
    for (let i = 0; i < runs; i++) {
      const load = os.loadavg()[0]!.toFixed(1);
      const r = await runLighthouse(app.url + pagePath, CATEGORIES);
      results.push(r);
      const s = CATEGORIES.map((c) => `${c} ${Math.round((r.scores[c] ?? 0) * 100)}`).join(", ");
      const m = r.metrics;
      console.log(
        `run ${i + 1}: ${s} | FCP ${m.fcp.toFixed(0)} ms, LCP ${m.lcp.toFixed(0)} ms, TBT ${m.tbt.toFixed(0)} ms, CLS ${m.cls.toFixed(3)}, SI ${m.speedIndex.toFixed(0)} ms | load ${load}`,
      );
      for (const f of r.failures) console.log(`    ${f.category}: ${f.id} ${f.score}${f.value ? ` (${f.value})` : ""}`);
    }
    const med = (pick: (r: AuditResult) => number) => median(results.map(pick));
    console.log(`\nMedian of ${runs} (Lighthouse ${results[0]!.lighthouseVersion}):`);
    let ok = true;
    for (const c of CATEGORIES) {
      const score = Math.round(med((r) => r.scores[c] ?? 0) * 100);
      ok &&= score === 100;
      console.log(`  ${c.padEnd(15)} ${score}`);
    }
    console.log(
      `  first contentful paint ${med((r) => r.metrics.fcp).toFixed(0)} ms, largest ${med((r) => r.metrics.lcp).toFixed(0)} ms, ` +
        `total blocking time ${med((r) => r.metrics.tbt).toFixed(0)} ms, layout shift ${med((r) => r.metrics.cls).toFixed(3)}, ` +
        `speed index ${med((r) => r.metrics.speedIndex).toFixed(0)} ms`,
    );
    console.log(
      `  JavaScript downloaded ${(med((r) => r.metrics.scriptBytes) / 1024).toFixed(1)} KB (unused ${(med((r) => r.metrics.unusedScriptBytes) / 1024).toFixed(1)} KB), ` +
        `everything ${(med((r) => r.metrics.totalBytes) / 1024).toFixed(1)} KB`,
    );
    if (!ok) {
      console.log("\nA median score is below 100. On a busy machine, Total Blocking Time rises with the load: run it on an idle one.");
      process.exitCode = 1;
    }
  } finally {
    await app.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
