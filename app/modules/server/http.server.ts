import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { CSP_NONCE_PLACEHOLDER, contentSecurityPolicy } from "~/modules/security/csp";
import { isCrossSite } from "~/modules/security/request.server";
import { isFormPost, readBody, refuseFormBody, refuseRequest, sendOptions, sendRefusal } from "./bad-input.server";
import type { HealthFacts } from "./health.server";
import { logger as defaultLogger, type Logger } from "./log.server";
import { PageCache, etagFor, matchesIfNoneMatch, splitAt, type CachedPage } from "./page-cache.server";

export interface ServerHandlerOptions {
  mode: "production" | "development";
  pageCache: boolean;
  logRequests: boolean;
  /** Current content version (keys the page cache); synchronous, it runs on every request. */
  contentVersion: () => string;
  /**
   * The version of what the page at this URL (path and query) shows; keys the
   * page cache instead of `contentVersion`, so a change keeps unrelated pages warm.
   */
  pageVersion?: (url: string) => string;
  /** The facts of GET /healthz/ready and /healthz (health.server.ts): `ready: false` answers 503. */
  health: () => Promise<HealthFacts> | HealthFacts;
  /** True once a SIGTERM/SIGINT started the shutdown: readiness answers 503 `draining` (server.mjs). */
  isDraining?: () => boolean;
  /** Cookie names whose presence makes a page personal (never cached). */
  privateCookies?: string[];
  /** Remix's load context of a request: the services (the client's address and the request id are added here). */
  getLoadContext?: () => Promise<Omit<AppLoadContext, "clientIp" | "requestId">> | Omit<AppLoadContext, "clientIp" | "requestId">;
  /** Where request lines and errors go (default: the server's pino logger). */
  logger?: Logger;
}

/** A request id from the proxy (`X-Request-Id`) is kept when it looks like one; otherwise a fresh one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:@=+/-]{8,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Health endpoints (sendHealth): the Dockerfile's HEALTHCHECK and the proxy's health checks use them. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(["/healthz", "/healthz/ready", "/healthz/live"]);

/** The request target as logged: secrets that travel in a query (the one-time sign-in link, OAuth's code and state) masked. */
export function loggedUrl(url: string | undefined): string {
  if (!url) return "/";
  if (!url.includes("?")) return url;
  return url.replace(/([?&](?:token|code|state|access_token|key)=)[^&#]*/gi, "$1***");
}

/** 122 random bits from Node's pooled UUID source: cheaper per response than randomBytes. */
function freshNonce(): string {
  return randomUUID().replaceAll("-", "");
}

const SECURITY_HEADERS: [string, string][] = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/** Forms and everything else: 100 KB. GitHub's webhook deliveries (a push of many commits) may be larger. */
const MAX_BODY = 100 * 1024;
const MAX_WEBHOOK_BODY = 10 * 1024 * 1024;

function bodyLimit(path: string): number {
  return path === "/webhooks/github" ? MAX_WEBHOOK_BODY : MAX_BODY;
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

/** The request's URL, or undefined when the Host header or the target cannot make one. */
function requestUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host ?? "localhost";
  // `Host: a/b`, `a?b` or `user@a` would move part of the header into the path, the query or the user info.
  if (!/^[^\s/?#@\\]+$/.test(host)) return undefined;
  try {
    let target = req.url ?? "/";
    // Absolute-form (`GET http://x/p`): only its path counts; the site is the Host's.
    if (!target.startsWith("/")) {
      const absolute = new URL(target);
      target = absolute.pathname + absolute.search;
    }
    // Concatenated, not resolved: `//evil.example/q/1` is a path here, not another origin.
    return new URL(`http://${host}${target}`);
  } catch {
    return undefined;
  }
}

/**
 * Node request → Fetch Request (body streamed; the size limit is enforced upstream).
 * HEAD is asked of Remix as GET (Remix answers HEAD with an empty body, which
 * must not become the cached page nor lose its Content-Length); the body is
 * dropped when sending.
 */
function toFetchRequest(req: IncomingMessage, res: ServerResponse, url: URL, body?: Buffer): Request {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const method = req.method === "HEAD" ? "GET" : req.method;
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal: controller.signal };
  if (body) init.body = new Uint8Array(body);
  else if (req.method !== "GET" && req.method !== "HEAD") {
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

/**
 * `Vary: Accept-Encoding` on every page, compressed or not (the compression
 * middleware only adds it when it compresses): a shared cache must not hand
 * the identity copy, stored without Vary, to every client; 304s carry it too.
 */
function withVary(headers: [string, string][]): [string, string][] {
  const i = headers.findIndex(([k]) => k.toLowerCase() === "vary");
  if (i === -1) return [...headers, ["Vary", "Accept-Encoding"]];
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(headers[i]![1])) return headers;
  const out = [...headers];
  out[i] = [headers[i]![0], `${headers[i]![1]}, Accept-Encoding`];
  return out;
}

function sendPage(req: IncomingMessage, res: ServerResponse, page: CachedPage, cacheState: string, requestId: string, csp: boolean): void {
  if (matchesIfNoneMatch(req.headers["if-none-match"], page.etag)) {
    // The browser keeps its copy and that copy's policy: send no new CSP with the 304.
    const headers = page.headers.filter(([k]) => k !== "content-type");
    res.writeHead(304, [...SECURITY_HEADERS, ...headers, ["ETag", page.etag], ["X-Page-Cache", cacheState], ["X-Request-Id", requestId]].flat());
    res.end();
    return;
  }
  const nonce = freshNonce();
  const nonceBuf = Buffer.from(nonce);
  const length = page.size + (page.parts.length - 1) * (nonceBuf.length - CSP_NONCE_PLACEHOLDER.length);
  // One writeHead with a flat header list: the cheapest way through node:http.
  const headers: string[] = [];
  for (const [k, v] of SECURITY_HEADERS) headers.push(k, v);
  for (const [k, v] of page.headers) headers.push(k, v);
  headers.push("ETag", page.etag, "X-Page-Cache", cacheState, "X-Request-Id", requestId, "Content-Length", String(length));
  if (page.html && csp) headers.push("Content-Security-Policy", contentSecurityPolicy(nonce));
  res.writeHead(page.status, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  res.cork();
  page.parts.forEach((part, i) => {
    if (i > 0) res.write(nonceBuf);
    res.write(part);
  });
  res.end();
  res.uncork();
}

/**
 * GET /healthz/live: the process answers (200, also while draining). GET /healthz/ready and /healthz
 * (the older name, same answer): 200 `ok` with the facts of health.server.ts, or 503 `draining` /
 * `unavailable` — a load balancer sends no new requests to an instance that is not ready.
 */
async function sendHealth(res: ServerResponse, path: string, options: ServerHandlerOptions, cache: PageCache): Promise<void> {
  const draining = options.isDraining?.() ?? false;
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  if (path === "/healthz/live") {
    res.writeHead(200, headers);
    res.end(JSON.stringify({ status: draining ? "draining" : "ok" }));
    return;
  }
  const facts = await options.health();
  const status = draining ? "draining" : facts.ready ? "ok" : "unavailable";
  const body = { status, ...facts, ready: status === "ok", pageCache: { entries: cache.size, hits: cache.hits, misses: cache.misses } };
  res.writeHead(status === "ok" ? 200 : 503, headers);
  res.end(JSON.stringify(body));
}

/**
 * The app's HTTP handler in front of Remix: security headers, /healthz,
 * request size limit, page cache with ETag/304, per-response CSP nonce,
 * request id and request log. server.mjs wires it after compression and static files;
 * scripts/dev.mjs behind Vite's development middleware (`build` is then a
 * function that loads the current build, and pages carry no CSP: Vite's
 * development scripts would not pass it).
 */
export function createServerHandler(build: ServerBuild | (() => Promise<ServerBuild>), options: ServerHandlerOptions) {
  const remix = createRequestHandler(build, options.mode);
  const csp = options.mode === "production";
  const cache = new PageCache();
  const privateCookies = options.privateCookies ?? ["__session"];
  const log = options.logger ?? defaultLogger;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    if (options.logRequests) {
      res.on("finish", () => {
        const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
        // Client errors are one line like any other request: no stack (a server error logs its own).
        const line = { reqId: requestId, method: req.method, url: loggedUrl(req.url), status: res.statusCode, ms };
        if (res.statusCode >= 500) log.error(line, "request");
        else if (res.statusCode >= 400) log.warn(line, "request");
        else log.info(line, "request");
      });
    }
    try {
      const method = req.method ?? "GET";
      const cacheable = options.pageCache && (method === "GET" || method === "HEAD") && !hasPrivateCookie(req, privateCookies);
      const version = options.pageVersion ?? (() => options.contentVersion());
      const key = cacheable ? PageCache.key(version(req.url ?? "/"), req.url ?? "/", req.headers.host ?? "") : "";
      if (cacheable) {
        const hit = cache.get(key);
        if (hit) return sendPage(req, res, hit, "hit", requestId, csp);
      }
      for (const [k, v] of SECURITY_HEADERS) res.setHeader(k, v);
      res.setHeader("X-Request-Id", requestId);
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      // Malformed requests: a clear 4xx before anything reads them (bad-input.server.ts).
      if (method === "OPTIONS") return sendOptions(res);
      const refused = refuseRequest(method, path, req.headers);
      if (refused) return sendRefusal(req, res, path, refused);
      if (HEALTH_PATHS.has(path)) return await sendHealth(res, path, options, cache);
      const url = requestUrl(req);
      if (!url) {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
        res.end("Bad request: the Host header or the address is not valid.");
        req.resume();
        return;
      }
      const limit = bodyLimit(path ?? "/");
      const length = Number(req.headers["content-length"] ?? 0);
      if (length > limit) {
        res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
        res.end(`Request too large: the limit is ${Math.round(limit / 1024)} KB.`);
        req.resume();
        return;
      }

      // Enforce the size limit on chunked bodies too.
      if (method !== "GET" && method !== "HEAD") {
        let seen = 0;
        req.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > limit && !res.headersSent) {
            res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
            res.end(`Request too large: the limit is ${Math.round(limit / 1024)} KB.`);
            req.destroy();
          }
        });
      }
      let form: Buffer | undefined;
      if (isFormPost(method, path)) {
        form = await readBody(req);
        if (!form || res.headersSent) return; // the client went away, or the size limit answered
        const bad = await refuseFormBody(req.headers["content-type"], form);
        if (bad) return sendRefusal(req, res, path, bad);
      }
      const request = toFetchRequest(req, res, url, form);
      if (method !== "GET" && method !== "HEAD" && isCrossSite(request)) {
        res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Cross-site form posts are not accepted. Please use the form on this site.");
        req.resume();
        return;
      }
      const context = (await options.getLoadContext?.()) as AppLoadContext | undefined;
      const response = await remix(request, { ...context, clientIp: clientIp(req), requestId } as AppLoadContext);
      if (res.headersSent) return;
      const body = Buffer.from(await response.arrayBuffer());
      let headers: [string, string][] = [];
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie" && name !== "content-length") headers.push([name, value]);
      });
      headers = withVary(headers);
      const page: CachedPage = {
        status: response.status,
        headers,
        html: (response.headers.get("content-type") ?? "").startsWith("text/html"),
        parts: splitAt(body, CSP_NONCE_PLACEHOLDER),
        etag: etagFor(body),
        size: body.length,
      };
      for (const cookie of response.headers.getSetCookie()) res.appendHeader("Set-Cookie", cookie);
      if (cacheable && isCacheable(response)) cache.set(key, page);
      if (response.status === 200 && (method === "GET" || method === "HEAD")) {
        // sendPage writes every header itself
        for (const [k] of SECURITY_HEADERS) res.removeHeader(k);
        res.removeHeader("X-Request-Id");
        return sendPage(req, res, page, cacheable ? "miss" : "off", requestId, csp);
      }
      // Redirects, errors, action responses: as they are (with a fresh nonce).
      const nonce = freshNonce();
      const out = Buffer.from(body.toString("utf8").replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
      res.statusCode = response.status;
      for (const [k, v] of headers) res.setHeader(k, v);
      if (csp && (response.headers.get("content-type") ?? "").startsWith("text/html")) {
        res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
      }
      res.setHeader("Content-Length", out.length);
      res.end(method === "HEAD" ? undefined : out);
    } catch (error) {
      log.error({ reqId: requestId, method: req.method, url: loggedUrl(req.url), err: error }, "request failed");
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Internal Server Error");
      } else res.end();
    }
  };
}
