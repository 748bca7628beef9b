// The production server: `npm start` (after `npm run build`).
// Express for compression and static files; everything else is in the app's
// own HTTP handler (app/modules/server/http.server.ts), exported by the build.
import path from "node:path";
import { fileURLToPath } from "node:url";
import compression from "compression";
import express from "express";

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
  health: entry.health,
});

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.use(compression());
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y", index: false }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h", index: false, redirect: false }));
app.all("*", (req, res) => {
  handler(req, res);
});

const server = app.listen(port, host, () => {
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
