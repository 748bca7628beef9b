/**
 * Malformed requests get a clear 4xx, never a 500 and never a stack trace in
 * the log: a method the site does not serve (TRACE, PUT, …), a POST without a
 * body, a body that is not a form (JSON, text/plain), a multipart body that
 * does not parse. Each client error logs one line. The HTTP handler
 * (http.server.ts) asks these functions before it hands a request to Remix;
 * app/entry.server.tsx's handleError uses `logRemixError` for the errors
 * Remix itself answers with a 4xx (a POST to a page without a form).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { isRouteErrorResponse } from "@remix-run/react";

export interface Refusal {
  status: 400 | 405 | 415;
  message: string;
  headers?: Record<string, string>;
}

/** Every method the site answers; OPTIONS is answered with this list. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;
const ALLOW = ALLOWED_METHODS.join(", ");

/** The forms' encodings: what browsers send and what the actions read. */
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** Paths that read their own body (GitHub's webhook deliveries are JSON, checked by their signature). */
const OWN_BODY_PATHS = new Set(["/webhooks/github"]);

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return Number(headers["content-length"] ?? 0) > 0 || headers["transfer-encoding"] !== undefined;
}

/** A POST the handler must read and check as a form before Remix sees it. */
export function isFormPost(method: string, path: string): boolean {
  return method === "POST" && !OWN_BODY_PATHS.has(path);
}

/** What is wrong with the request line and headers, before any body is read (undefined: nothing). */
export function refuseRequest(method: string, path: string, headers: IncomingHttpHeaders): Refusal | undefined {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return {
      status: 405,
      message: `Method ${method.slice(0, 20)} is not allowed: this site answers ${ALLOW}.`,
      headers: { Allow: ALLOW },
    };
  }
  if (!isFormPost(method, path)) return undefined;
  const type = mediaType(headers["content-type"]);
  if (!type) {
    return hasBody(headers)
      ? { status: 415, message: "The request has no Content-Type: send the form as application/x-www-form-urlencoded or multipart/form-data." }
      : { status: 400, message: "The request has no body: send the form's fields (application/x-www-form-urlencoded or multipart/form-data)." };
  }
  if (!FORM_TYPES.has(type)) {
    return {
      status: 415,
      message: `Content-Type ${type.slice(0, 80)} is not accepted here: send the form as application/x-www-form-urlencoded or multipart/form-data.`,
    };
  }
  if (type === "multipart/form-data" && !/;\s*boundary=/i.test(headers["content-type"] ?? "")) {
    return { status: 400, message: "The multipart form data has no boundary: it cannot be read." };
  }
  return undefined;
}

/** What is wrong with a form's body (read whole, within the size limit). */
export async function refuseFormBody(contentType: string | undefined, body: Buffer): Promise<Refusal | undefined> {
  if (mediaType(contentType) !== "multipart/form-data") return undefined; // URL-encoded always parses
  try {
    await new Response(new Uint8Array(body), { headers: { "Content-Type": contentType! } }).formData();
    return undefined;
  } catch {
    return { status: 400, message: "The multipart form data is malformed: it cannot be read." };
  }
}

/** The whole body of a request, or undefined when the client went away (or the size limit ended it). */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(undefined));
    req.on("close", () => {
      if (!req.complete) resolve(undefined);
    });
  });
}

/** One log line for a client's mistake: status, method, path (no query: it may hold anything) and why. */
export function logClientError(status: number, method: string, path: string, reason: string): void {
  console.warn(`client error ${status} ${method.slice(0, 20)} ${path.slice(0, 200)}: ${reason}`);
}

export function sendRefusal(req: IncomingMessage, res: ServerResponse, path: string, refusal: Refusal): void {
  logClientError(refusal.status, req.method ?? "?", path, refusal.message);
  res.writeHead(refusal.status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...refusal.headers });
  res.end(req.method === "HEAD" ? undefined : refusal.message);
  req.resume();
}

/** OPTIONS: the methods, nothing else (no CORS: other sites get no access). */
export function sendOptions(res: ServerResponse): void {
  res.writeHead(204, { Allow: ALLOW, "Cache-Control": "no-store" });
  res.end();
}

/**
 * For Remix's handleError: a 4xx Remix produced itself (a POST to a page that
 * has no form, an unknown route's data) is the client's mistake: one line, and
 * `true`. Anything else is ours (`false`): the caller logs it with its stack.
 */
export function logClientRouteError(error: unknown, request: Request): boolean {
  if (!isRouteErrorResponse(error) || error.status >= 500) return false;
  logClientError(error.status, request.method, new URL(request.url).pathname, error.statusText || String(error.data).slice(0, 200));
  return true;
}
