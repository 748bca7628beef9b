import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import { CSP_NONCE_PLACEHOLDER, contentSecurityPolicy } from "~/modules/security/csp";
import { PageCache, etagFor, matchesIfNoneMatch, splitAt, type CachedPage } from "./page-cache.server";

export interface ServerHandlerOptions {
  mode: "production" | "development";
  pageCache: boolean;
  logRequests: boolean;
  /** Current content version (keys the page cache). */
  contentVersion: () => Promise<string> | string;
  /** Extra facts for GET /healthz. */
  health: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Cookie names whose presence makes a page personal (never cached). */
  privateCookies?: string[];
}

const SECURITY_HEADERS: [string, string][] = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

const MAX_BODY = 100 * 1024;

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

/** Node request → Fetch Request (body streamed; the size limit is enforced upstream). */
function toFetchRequest(req: IncomingMessage, res: ServerResponse): Request {
  const host = req.headers.host ?? "localhost";
  const url = new URL(req.url ?? "/", `http://${host}`);
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

function hasPrivateCookie(req: IncomingMessage, names: string[]): boolean {
  const cookie = req.headers.cookie;
  if (!cookie) return false;
  return names.some((n) => cookie.includes(`${n}=`));
}

function isCacheable(response: Response): boolean {
  if (response.status !== 200) return false;
  if (response.headers.has("set-cookie")) return false;
  const cc = response.headers.get("cache-control") ?? "";
  return /\bpublic\b/.test(cc) && !/no-store|private/.test(cc);
}

function sendPage(req: IncomingMessage, res: ServerResponse, page: CachedPage, cacheState: string): void {
  const nonce = randomBytes(16).toString("base64");
  const isHtml = page.headers.some(([k, v]) => k === "content-type" && v.startsWith("text/html"));
  for (const [k, v] of page.headers) res.setHeader(k, v);
  res.setHeader("ETag", page.etag);
  res.setHeader("X-Page-Cache", cacheState);
  if (matchesIfNoneMatch(req.headers["if-none-match"], page.etag)) {
    // The browser keeps its copy and that copy's policy: send no new CSP with the 304.
    res.removeHeader("Content-Security-Policy");
    res.removeHeader("Content-Length");
    res.removeHeader("content-type");
    res.statusCode = 304;
    res.end();
    return;
  }
  if (isHtml) res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
  res.statusCode = page.status;
  const nonceBuf = Buffer.from(nonce);
  const chunks: Buffer[] = [];
  page.parts.forEach((part, i) => {
    if (i > 0) chunks.push(nonceBuf);
    chunks.push(part);
  });
  const body = Buffer.concat(chunks);
  res.setHeader("Content-Length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * The app's HTTP handler in front of Remix: security headers, /healthz,
 * request size limit, page cache with ETag/304, per-response CSP nonce,
 * request log. server.mjs wires it after compression and static files.
 */
export function createServerHandler(build: ServerBuild, options: ServerHandlerOptions) {
  const remix = createRequestHandler(build, options.mode);
  const cache = new PageCache();
  const privateCookies = options.privateCookies ?? ["__session"];

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    if (options.logRequests) {
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(`${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms`);
      });
    }
    for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
    try {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/healthz") {
        const body = JSON.stringify({ status: "ok", ...(await options.health()), pageCache: { entries: cache.size, hits: cache.hits, misses: cache.misses } });
        res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(body);
        return;
      }
      const length = Number(req.headers["content-length"] ?? 0);
      if (length > MAX_BODY) {
        res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
        res.end("Request too large: the limit is 100 KB.");
        req.resume();
        return;
      }
      const method = req.method ?? "GET";
      const cacheable = options.pageCache && (method === "GET" || method === "HEAD") && !hasPrivateCookie(req, privateCookies);
      const key = cacheable ? PageCache.key(await options.contentVersion(), req.url ?? "/") : "";
      if (cacheable) {
        const hit = cache.get(key);
        if (hit) return sendPage(req, res, hit, "hit");
      }

      // Enforce the size limit on chunked bodies too.
      if (method !== "GET" && method !== "HEAD") {
        let seen = 0;
        req.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_BODY && !res.headersSent) {
            res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
            res.end("Request too large: the limit is 100 KB.");
            req.destroy();
          }
        });
      }
      const response = await remix(toFetchRequest(req, res), { clientIp: clientIp(req) });
      if (res.headersSent) return;
      const body = Buffer.from(await response.arrayBuffer());
      const headers: [string, string][] = [];
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie" && name !== "content-length") headers.push([name, value]);
      });
      const page: CachedPage = {
        status: response.status,
        headers,
        parts: splitAt(body, CSP_NONCE_PLACEHOLDER),
        etag: etagFor(body),
        size: body.length,
      };
      for (const cookie of response.headers.getSetCookie()) res.appendHeader("Set-Cookie", cookie);
      if (cacheable && isCacheable(response)) cache.set(key, page);
      if (response.status === 200 && (method === "GET" || method === "HEAD")) return sendPage(req, res, page, cacheable ? "miss" : "off");
      // Redirects, errors, action responses: as they are (with a fresh nonce).
      const nonce = randomBytes(16).toString("base64");
      const out = Buffer.from(body.toString("utf8").replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
      res.statusCode = response.status;
      for (const [k, v] of headers) res.setHeader(k, v);
      if ((response.headers.get("content-type") ?? "").startsWith("text/html")) {
        res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
      }
      res.setHeader("Content-Length", out.length);
      res.end(method === "HEAD" ? undefined : out);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Internal Server Error");
      } else res.end();
    }
  };
}
