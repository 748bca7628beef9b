// The production server: `npm start` (after `npm run build`).
// node:http with the `compression` and `serve-static` middlewares for
// compression and built assets; everything else goes to the app's own HTTP
// handler (app/modules/server/http.server.ts), exported by the build. No
// framework router on the hot path: see docs/decisions/004.
import "./scripts/require-node.mjs";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
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
await entry.ready();
const stopServices = await entry.startBackgroundServices();

const handler = entry.createServerHandler(build, {
  mode: "production",
  pageCache: flag("PAGE_CACHE", true),
  logRequests: flag("LOG_REQUESTS", true),
  contentVersion: entry.contentVersion,
  pageVersion: entry.pageVersion,
  health: entry.health,
});

const clientDir = path.join(root, "build/client");
// Fingerprinted bundles: cached for a year. Public files (favicon…): an hour.
const assets = serveStatic(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false, fallthrough: false });
const publicFiles = new Set(
  fs.readdirSync(clientDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `/${e.name}`),
);
const publicStatic = serveStatic(clientDir, { maxAge: "1h", index: false, redirect: false });
const compress = compression();

const server = http.createServer((req, res) => {
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
  console.log(`Django Questions ready on http://localhost:${actual}`);
});

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close(() => undefined);
    server.closeAllConnections?.();
    stopServices().finally(() => process.exit(0));
  });
}
