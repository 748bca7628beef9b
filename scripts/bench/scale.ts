/**
 * `npm run bench -- --scale N`: the site on N questions × 3 answers.
 *
 * Generates the content folder in a temporary folder from the real content
 * (scale-content.ts), starts the production server on it with a fresh
 * DATA_DIR (a cold start: nothing cached) and prints: start time, RSS after
 * start and after 20 successive edits, home / question / search p50 and p95
 * (sequential requests on an otherwise idle server, distinct pages so most
 * are rendered, not served from the page cache), for each edit the time
 * until it shows on its question page and in search, and the longest
 * /healthz answer seen (polled every 10 ms) while each edit is applied. Then
 * it restarts the server on the same DATA_DIR (a warm start: the analyses
 * and the search index are cached on disk) and prints that start time too.
 * A cold start on many files serves after a front-matter first pass and
 * parses the bodies in the background (decisions/034): the time until that is
 * done, and how /healthz and question pages answer meanwhile, are printed too,
 * and the other figures are taken after it.
 * Every phase prints the machine's load average beside its figures. Finally the
 * lunr-vs-MiniSearch table (engines.ts) on a 10,000-document corpus.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { residentBytes, ROOT, startAppServer, type AppServer } from "../../tests/support/app-server";
import { compareEngines } from "./engines";
import { generateScaleContent } from "./scale-content";

interface Health {
  memory: { rss: number };
  questions: number;
  contentChecked: boolean;
  lastLoad?: { files: number; analysed: number; fromCache: number; ms: number };
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

/** CPU time the process has used (user + system, ms; Linux /proc), or NaN where that cannot be read. */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The machine's load average (1, 5, 15 min) and cores: the figures depend on what else runs. */
function load(): string {
  return `load average ${os.loadavg().map((x) => x.toFixed(2)).join(" / ")} on ${os.availableParallelism()} cores`;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function timed(url: string): Promise<{ ms: number; text: string }> {
  const t = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return { ms: performance.now() - t, text };
}

async function health(server: AppServer): Promise<Health> {
  const answer = (await (await fetch(`${server.url}/healthz`)).json()) as Omit<Health, "memory">;
  // The server's memory is read from the process: /healthz is public and carries no memory figures.
  return { ...answer, memory: { rss: residentBytes(server.pid) ?? Number.NaN } };
}

async function start(env: Record<string, string>): Promise<{ server: AppServer; seconds: number }> {
  const t = performance.now();
  const server = await startAppServer(env, { timeoutMs: 600_000 });
  return { server, seconds: (performance.now() - t) / 1000 };
}

function row(label: string, xs: number[], goal?: string): string {
  return `  ${label.padEnd(34)} p50 ${percentile(xs, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(xs, 95).toFixed(1).padStart(7)} ms${goal ? `   ${goal}` : ""}`;
}

export async function scaleBenchmark(count: number, options: { edits: number; engines: boolean; engineDocs: number }): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dq-bench-scale-"));
  const contentDir = path.join(tmp, "content");
  const dataDir = path.join(tmp, "data");
  console.log(`Generating ${count} questions × 3 answers in ${contentDir} … (${load()})`);
  const made = generateScaleContent(path.join(ROOT, "content"), contentDir, count);
  const env = { CONTENT_DIR: contentDir, DATA_DIR: dataDir, CONTENT_POLL_INTERVAL: "0", LOG_REQUESTS: "0" };
  let { server, seconds: cold } = await start(env);
  try {
    const started = await health(server);
    console.log(`\nStart (cold, nothing cached): ${cold.toFixed(1)} s to ready   goal ≤ 15 s at 5,000 → ${cold <= 15 ? "met" : "NOT met"}   (${load()})`);
    console.log(`  ${started.questions} questions served; content loaded in ${(started.lastLoad?.ms ?? 0) / 1000} s; RSS ${mb(started.memory.rss)}`);
    if (!started.contentChecked) {
      // A first pass is served (front matter only, decisions/034): wait for the bodies to be parsed, checked and
      // indexed in the background, watching how /healthz and a question page answer meanwhile.
      const t0 = performance.now();
      let longest = 0;
      const slow: string[] = [];
      const pages: number[] = [];
      for (let i = 0; ; i++) {
        const t = performance.now();
        const answer = (await (await fetch(`${server.url}/healthz`)).json()) as Health;
        const ms = performance.now() - t;
        longest = Math.max(longest, ms);
        if (ms > 100) slow.push(`${ms.toFixed(0)} ms at ${(cold + (t - t0) / 1000).toFixed(1)} s`);
        if (answer.contentChecked) break;
        if (performance.now() - t0 > 600_000) throw new Error("content not checked after 600 s");
        if (i % 10 === 0) pages.push((await timed(`${server.url}/q/${made[(i * 31) % made.length]!.slug}`)).ms);
        await new Promise((r) => setTimeout(r, 10));
      }
      const total = cold + (performance.now() - t0) / 1000;
      console.log(
        `  every body parsed, checked and indexed (in the background) ${total.toFixed(1)} s after the start began; meanwhile the longest /healthz answer ` +
          `${longest.toFixed(1)} ms, question pages p50 ${percentile(pages, 50).toFixed(1)} / p95 ${percentile(pages, 95).toFixed(1)} ms (${pages.length} pages)`,
      );
      if (slow.length > 0) console.log(`  /healthz answers over 100 ms meanwhile: ${slow.join(", ")}`);
    }
    const ready = await health(server);
    const rssStart = ready.memory.rss;
    console.log(`RSS after start: ${mb(rssStart)}`);

    // Unloaded latencies: one request at a time.
    const pick = (i: number) => made[(i * 7919) % made.length]!;
    // The server's CPU time per request too: on a machine others load, latencies measure the queue for a core; this does not.
    const cpu: Record<string, number> = {};
    const home: number[] = [];
    const pages = Math.max(1, Math.ceil(made.length / 50));
    let c0 = cpuMs(server.pid);
    for (let i = 0; i < 60; i++) home.push((await timed(`${server.url}/?page=${1 + (i % pages)}${i % 3 === 1 ? "&sort=newest" : ""}`)).ms);
    cpu.home = (cpuMs(server.pid) - c0) / 60;
    const question: number[] = [];
    c0 = cpuMs(server.pid);
    for (let i = 0; i < 200; i++) question.push((await timed(`${server.url}/q/${pick(i).slug}`)).ms);
    cpu.question = (cpuMs(server.pid) - c0) / 200;
    const search: number[] = [];
    const words = ["migrations", "select_related", "csrf token", "celery retry", "signals save", "cache", "transaction atomic", "middleware", "gunicorn workers", "querysets lazy"];
    c0 = cpuMs(server.pid);
    for (let i = 0; i < 100; i++) search.push((await timed(`${server.url}/search?q=${encodeURIComponent(`${words[i % words.length]} ${i}`)}`)).ms);
    cpu.search = (cpuMs(server.pid) - c0) / 100;
    console.log(`\nLatency, one request at a time (distinct pages: mostly rendered, not cached; ${load()}):`);
    console.log(row("home and list pages", home, `server CPU ${cpu.home!.toFixed(1)} ms a request`));
    console.log(row("question page", question, `server CPU ${cpu.question!.toFixed(1)} ms a request; goal p95 ≤ 50 ms → ${percentile(question, 95) <= 50 ? "met" : "NOT met"}`));
    console.log(row("search", search, `server CPU ${cpu.search!.toFixed(1)} ms a request`));

    const rssBeforeEdits = (await health(server)).memory.rss;
    // Edits: an answer file gets a new sentence with a word of its own.
    console.log(`\n${options.edits} successive edits of one answer each (${load()}):`);
    const onPage: number[] = [];
    const inSearch: number[] = [];
    const healthMax: number[] = [];
    const rssDuring: number[] = [];
    const reloadMs: number[] = [];
    for (let i = 0; i < options.edits; i++) {
      const q = pick(1000 + i);
      const word = `benchword${i}x${Date.now().toString(36)}`;
      const file = path.join(q.dir, "answers", `answer-${1 + (i % 3)}.md`);
      let longest = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const t = performance.now();
          await (await fetch(`${server.url}/healthz`)).arrayBuffer();
          longest = Math.max(longest, performance.now() - t);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const t0 = performance.now();
      fs.appendFileSync(file, `\nA sentence with ${word} in it.\n`);
      let pageAt = 0;
      let searchAt = 0;
      while (!pageAt || !searchAt) {
        if (performance.now() - t0 > 120_000) throw new Error(`edit ${i} not visible after 120 s`);
        if (!pageAt && (await timed(`${server.url}/q/${q.slug}`)).text.includes(word)) pageAt = performance.now() - t0;
        if (!searchAt && (await timed(`${server.url}/search?q=${word}`)).text.includes(`/q/${q.slug}`)) searchAt = performance.now() - t0;
        if (!pageAt || !searchAt) await new Promise((r) => setTimeout(r, 20));
      }
      polling = false;
      await poller;
      onPage.push(pageAt);
      inSearch.push(searchAt);
      healthMax.push(longest);
      const after = await health(server);
      rssDuring.push(after.memory.rss);
      reloadMs.push(after.lastLoad?.ms ?? Number.NaN);
    }
    const rssEnd = (await health(server)).memory.rss;
    console.log(row("edit → visible on its page", onPage, `goal ≤ 1000 ms → ${Math.max(...onPage) <= 1000 ? "met" : "NOT met"} (max ${Math.max(...onPage).toFixed(0)} ms)`));
    console.log(row("edit → visible in search", inSearch, `goal ≤ 2000 ms → ${Math.max(...inSearch) <= 2000 ? "met" : "NOT met"} (max ${Math.max(...inSearch).toFixed(0)} ms)`));
    console.log(
      `  longest /healthz answer during a reload: ${Math.max(...healthMax).toFixed(1)} ms   goal ≤ 100 ms → ${Math.max(...healthMax) <= 100 ? "met" : "NOT met"}`,
    );
    console.log(`  (the file watcher waits ~100 ms for a write to settle before the reload starts)`);
    console.log(row("the reload itself, on the server", reloadMs, "(read, analyse, new snapshot; wall time, waits included)"));
    console.log(
      `RSS after start ${mb(rssStart)}; before the edits (page and Markdown caches filled by the requests above) ${mb(rssBeforeEdits)} → after ${options.edits} edits ${mb(rssEnd)}` +
        ` (after each: ${rssDuring.map((r) => Math.round(r / 1048576)).join(", ")} MB)   goal ≤ 600 MB, not growing`,
    );

    await server.stop(); // the search index is saved as the server stops
    ({ server, seconds: cold } = await start(env));
    const warm = await health(server);
    console.log(
      `\nStart (warm: same DATA_DIR, analyses and search index cached): ${cold.toFixed(1)} s to ready   goal ≤ 15 s at 5,000 → ${cold <= 15 ? "met" : "NOT met"}; ` +
        `${warm.lastLoad?.fromCache ?? 0} of ${warm.lastLoad?.files ?? 0} files from the cache; RSS ${mb(warm.memory.rss)}   (${load()})`,
    );
  } finally {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (options.engines && options.engineDocs > 0) await compareEngines(options.engineDocs);
}
