// The production server: `npm start` (after `npm run build`).
// node:http with the `compression` and `serve-static` middlewares for
// compression and built assets; everything else goes to the app's own HTTP
// handler (app/modules/server/http.server.ts), exported by the build. No
// framework router on the hot path: see docs/decisions/004.
import "./scripts/require-node.mjs";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import v8 from "node:v8";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import compression from "compression";
import serveStatic from "serve-static";

const root = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? "0.0.0.0";
const flag = (name, fallback) => {
  const v = env[name];
  return v === undefined || v === "" ? fallback : ["1", "true", "yes", "on"].includes(v.toLowerCase());
};

if (!env.NODE_ENV) process.env.NODE_ENV = "production";

const build = await import(path.join(root, "build/server/index.js"));
const entry = build.entry.module;
const log = entry.logger;
// Everything else that writes to the console (a module's warning, a library's error) goes into the same JSON log.
for (const [method, level] of [["log", "info"], ["info", "info"], ["debug", "debug"], ["warn", "warn"], ["error", "error"]]) {
  console[method] = (...args) => log[level](format(...args));
}

/** The value `raw` of the setting `name` for the server's V8 options, or a stop with a message naming it when it is not `valid`. */
function v8Setting(name, raw, fallback, valid, expected) {
  const value = (raw ?? "").trim() || fallback;
  if (valid.test(value)) return value;
  log.fatal(`Django Questions cannot start: ${name} must be ${expected} (it is "${raw}").`);
  log.flush?.();
  process.exit(1);
}

// How far the old generation may grow past what survived the last full collection before the next
// one (docs/decisions/033, 035): V8 lets it grow up to fourfold when the machine has memory to spare, which
// held hundreds of MB of garbage in RSS at scale. 40 % keeps RSS nearer the live data at no measurable CPU cost
// (measured at 5,000 questions against 60 %: 94 MB less after the benchmark's requests, the same CPU per page;
// 25 %: less memory, more CPU per page); 0: V8's own policy.
const heapGrowing = v8Setting("HEAP_GROWING_PERCENT", env.HEAP_GROWING_PERCENT, "40", /^\d{1,3}$/, "a whole number from 0 to 999");
if (heapGrowing !== "0") v8.setFlagsFromString(`--heap-growing-percent=${Number(heapGrowing)}`);

// V8's memory-saving mode (docs/decisions/036): V8 treats the heap as short of memory — it grows it less and
// compacts it so that memory goes back to the system. Measured at 5,000 questions: RSS after the benchmark's
// requests 583–592 MB without it, 504–533 MB with it, the same CPU per page. OPTIMIZE_FOR_SIZE=0 turns it off.
if (v8Setting("OPTIMIZE_FOR_SIZE", env.OPTIMIZE_FOR_SIZE, "1", /^[01]$/, "0 or 1") === "1") v8.setFlagsFromString("--optimize-for-size");

// Configuration the server cannot start with (the message says what to set): no stack trace.
const CONFIG_ERRORS = new Set(["ConfigError", "ForgeConfigError", "SessionSecretError", "PostgresUnreachableError"]);
let background;
try {
  await entry.ready();
  background = await entry.startBackgroundServices();
} catch (error) {
  if (CONFIG_ERRORS.has(error?.name)) log.fatal(`Django Questions cannot start: ${error.message}`);
  else log.fatal({ err: error }, "Django Questions cannot start");
  log.flush?.();
  process.exit(1);
}

/** Set by SIGTERM/SIGINT: readiness answers 503 `draining`, and every response closes its connection. */
let draining = false;
/** Resolved once draining and no response is in flight. */
const idle = Promise.withResolvers();
const handler = entry.createServerHandler(build, {
  mode: "production",
  pageCache: flag("PAGE_CACHE", true),
  logRequests: flag("LOG_REQUESTS", true),
  contentVersion: entry.contentVersion,
  pageVersion: entry.pageVersion,
  health: entry.health,
  isDraining: () => draining,
  // Every loader and action gets the services as Remix's load context (`context.services`).
  getLoadContext: entry.getLoadContext,
});

const clientDir = path.join(root, "build/client");
// Fingerprinted bundles: cached for a year. Public files (favicon…): an hour.
const assets = serveStatic(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false, fallthrough: false });
const publicFiles = new Set(
  fs.readdirSync(clientDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `/${e.name}`),
);
const publicStatic = serveStatic(clientDir, { maxAge: "1h", index: false, redirect: false });
const compress = compression();

/** Responses not yet finished: the shutdown waits for them. */
const inFlight = new Set();

const server = http.createServer((req, res) => {
  inFlight.add(res);
  res.once("close", () => {
    inFlight.delete(res);
    if (draining && inFlight.size === 0) idle.resolve();
  });
  if (draining) res.shouldKeepAlive = false;
  // Only clients that accept an encoding go through the compression wrapper.
  const wrap = req.headers["accept-encoding"] ? compress : (_req, _res, next) => next();
  wrap(req, res, () => {
    const pathname = (req.url ?? "/").split("?")[0];
    const notFound = () => handler(req, res);
    const isStatic = pathname.startsWith("/assets/") || publicFiles.has(pathname);
    // Compressed or not, a file's response depends on Accept-Encoding (compression adds this only when it compresses).
    if (isStatic) res.setHeader("Vary", "Accept-Encoding");
    if (pathname.startsWith("/assets/")) {
      req.url = req.url.slice("/assets".length);
      assets(req, res, (error) => {
        res.statusCode = error?.status ?? 404;
        res.end(res.statusCode === 404 ? "Not Found" : "Error");
      });
    } else if (publicFiles.has(pathname)) publicStatic(req, res, notFound);
    else handler(req, res);
  });
});
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  log.info({ port: actual }, `Django Questions ready on http://localhost:${actual}`);
});

// Graceful shutdown (SIGTERM from an orchestrator, SIGINT from a terminal; repeats are ignored):
//   1. draining: /healthz/ready answers 503 "draining"; responses carry `Connection: close`;
//   2. stop accepting connections (idle keep-alive connections are closed);
//   3. wait — at most SHUTDOWN_TIMEOUT seconds in all — for the requests in flight, and for the
//      background work in progress (a proposal being delivered, a poll round, a git sync);
//   4. close the databases and exit: 0 when everything finished, 1 when the deadline cut it short.
const shutdownSeconds = Number(env.SHUTDOWN_TIMEOUT ?? "8");
const timeoutMs = Math.max(0, Number.isFinite(shutdownSeconds) ? shutdownSeconds : 8) * 1000;

function within(ms, promise) {
  let timer;
  return Promise.race([
    promise.then(() => true),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, ms));
    }),
  ]).finally(() => clearTimeout(timer));
}

async function shutdown(signal) {
  if (draining) return;
  draining = true;
  const deadline = Date.now() + timeoutMs;
  log.info({ signal, inFlight: inFlight.size, timeoutSeconds: timeoutMs / 1000 }, "shutting down: finishing the requests and deliveries in flight");
  for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  server.close();
  if (inFlight.size === 0) idle.resolve();
  const finished = await within(deadline - Date.now(), Promise.all([idle.promise, background.quiesce()]));
  if (!finished) log.warn({ inFlight: inFlight.size }, `shutdown deadline (SHUTDOWN_TIMEOUT=${timeoutMs / 1000}s) reached: closing what is left`);
  server.closeAllConnections();
  const closed = await within(Math.max(1000, deadline - Date.now()), background.stop());
  log.info({ clean: finished && closed }, "stopped");
  log.flush?.();
  process.exit(finished && closed ? 0 : 1);
}

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void shutdown(signal));
// Started by `npm start` (scripts/start.mjs) with an IPC channel: if that parent goes away without a
// signal reaching us (killed with SIGKILL), shut down rather than live on unattended.
if (process.send) process.on("disconnect", () => void shutdown("parent exited"));
