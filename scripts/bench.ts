/**
 * `npm run bench`: throughput and latency of the question page under
 * concurrent load, side by side with a plain node:http server sending the
 * same bytes from memory, in one run. Prints two ratios to the plain server:
 * cached (the headline, goal ≥ 0.5: the production server as configured) and
 * uncached (PAGE_CACHE=0, for information: what rendering through Remix costs).
 *
 *   npm run bench -- [--duration 10] [--connections 50] [--rounds 2] [--path /q/<slug>]
 *
 * With `--scale N` it measures the site on N generated questions × 3 answers
 * instead (scripts/bench/scale.ts): start, memory, latencies, edits, and the
 * lunr-vs-MiniSearch table (`--engine-docs`, default 10,000; `--edits`, 20).
 * `--engines-only` prints just that table.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { residentBytes, ROOT, startAppServer } from "../tests/support/app-server";
import { compareEngines } from "./bench/engines";
import { scaleBenchmark } from "./bench/scale";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    path: { type: "string" },
    rounds: { type: "string", default: "2" },
    scale: { type: "string" },
    edits: { type: "string", default: "20" },
    "engine-docs": { type: "string", default: "10000" },
    "engines-only": { type: "boolean", default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function load(url: string, seconds: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, pipelining: 1 }, (error, result) => {
      if (error) return reject(error);
      resolve({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    });
  });
}

/** How long the baseline server may take to say it is ready. */
const BASELINE_READY_MS = 15_000;

/**
 * Starts scripts/bench-baseline.mjs and resolves with its URL once it prints
 * its ready line. Rejects (and kills the child) when it fails to start, exits
 * first, or stays silent for BASELINE_READY_MS.
 */
async function startBaseline(body: Buffer, contentType: string) {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/bench-baseline.mjs")], {
    env: { ...process.env, BENCH_BODY_B64: body.toString("base64"), BENCH_CONTENT_TYPE: contentType },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const fail = (reason: string) => {
      cleanup();
      child.kill("SIGKILL");
      reject(new Error(`the baseline server (scripts/bench-baseline.mjs) ${reason}`));
    };
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /ready on (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        cleanup();
        resolve(m[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    const onError = (e: Error) => fail(`could not start: ${e.message}`);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`})`);
    const timer = setTimeout(() => fail(`printed no ready line within ${BASELINE_READY_MS / 1000} s`), BASELINE_READY_MS);
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("error", onError);
      child.off("exit", onExit);
    }
    child.stdout!.on("data", onData);
    child.on("error", onError);
    child.on("exit", onExit);
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main() {
  if (values["engines-only"]) return compareEngines(Number(values["engine-docs"]));
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-if-needed.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) process.exit(1);
  if (values.scale) {
    return scaleBenchmark(Number(values.scale), { edits: Number(values.edits), engines: true, engineDocs: Number(values["engine-docs"]) });
  }

  const app = await startAppServer({ CONTENT_DIR: path.join(ROOT, "content") });
  // The same server without its page cache: what rendering through Remix costs.
  const uncached = await startAppServer({ CONTENT_DIR: path.join(ROOT, "content"), PAGE_CACHE: "0" });
  try {
    const target = values.path ?? "/q/1";
    const first = await fetch(app.url + target);
    const pagePath = new URL(first.url).pathname; // follows /q/1 → /q/<slug>
    const body = Buffer.from(await first.arrayBuffer());
    const baseline = await startBaseline(body, first.headers.get("content-type") ?? "text/html");
    try {
      console.log(`Question page ${pagePath}: ${body.length} bytes; ${connections} connections, ${duration}s × ${rounds} rounds each\n`);
      // warm-up both (JIT, page cache)
      await load(app.url + pagePath, 2);
      await load(uncached.url + pagePath, 2);
      await load(baseline.url, 2);
      const a: Result[] = [];
      const b: Result[] = [];
      const c: Result[] = [];
      for (let i = 0; i < rounds; i++) {
        b.push(await load(baseline.url, duration));
        a.push(await load(app.url + pagePath, duration));
        c.push(await load(uncached.url + pagePath, duration));
      }
      const row = (name: string, rs: Result[]) => {
        const rps = median(rs.map((r) => r.rps));
        const p50 = median(rs.map((r) => r.p50));
        const p99 = median(rs.map((r) => r.p99));
        const errors = rs.reduce((n, r) => n + r.errors + r.non2xx, 0);
        console.log(`${name.padEnd(28)} ${rps.toFixed(0).padStart(8)} req/s   p50 ${p50.toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms   errors ${errors}`);
        return rps;
      };
      const base = row("plain node:http (memory)", b);
      const ours = row("Django Questions", a);
      const cold = row("  … with PAGE_CACHE=0", c);
      const health = (await (await fetch(app.url + "/healthz")).json()) as { pageCache: unknown };
      const cachedRatio = ours / base;
      const uncachedRatio = cold / base;
      console.log("\nThroughput ratios (median req/s of the app ÷ median req/s of the plain server):");
      console.log(
        `  HEADLINE  cached   (as served, PAGE_CACHE=1): ${cachedRatio.toFixed(2)}   goal ≥ 0.50 → ${cachedRatio >= 0.5 ? "met" : "NOT met"}`,
      );
      console.log(`            uncached (PAGE_CACHE=0, every request rendered by Remix): ${uncachedRatio.toFixed(2)}   (for information)`);
      console.log("  The headline is the cached ratio: it is how the production server answers the question page.");
      // Read from the process itself: /healthz is public and carries no memory figures.
      const rss = residentBytes(app.pid);
      if (rss !== undefined) console.log(`server memory after the run: ${(rss / 1048576).toFixed(0)} MB RSS`);
      console.log(`page cache: ${JSON.stringify(health.pageCache)}`);
    } finally {
      baseline.stop();
    }
  } finally {
    await Promise.all([app.stop(), uncached.stop()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
