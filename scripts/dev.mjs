// `npm run dev`: the app's own HTTP handler (the one server.mjs uses: load context, page headers) behind
// Vite's development middleware, so loaders and actions get their services as in production and the
// code reloads on change. Pages carry no Content-Security-Policy in development (Vite's scripts would not pass it).
import "./require-node.mjs";
import http from "node:http";
import { createServer } from "vite";

const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST ?? "127.0.0.1";
if (!process.env.NODE_ENV) process.env.NODE_ENV = "development";

const vite = await createServer({ server: { middlewareMode: true }, appType: "custom" });
const loadBuild = () => vite.ssrLoadModule("virtual:remix/server-build");
const entry = (await loadBuild()).entry.module;
await entry.ready();
const background = await entry.startBackgroundServices();
const handler = entry.createServerHandler(loadBuild, {
  mode: "development",
  pageCache: false,
  logRequests: true,
  contentVersion: entry.contentVersion,
  pageVersion: entry.pageVersion,
  health: entry.health,
  getLoadContext: entry.getLoadContext,
});

const server = http.createServer((req, res) => vite.middlewares(req, res, () => handler(req, res)));
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`Django Questions (development) ready on http://localhost:${actual}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    Promise.allSettled([background.stop(), vite.close()]).finally(() => process.exit(0));
  });
}
