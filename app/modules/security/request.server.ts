import { getEnv } from "~/modules/config/env.server";

/**
 * Cross-site form posts are refused: a browser always says where a POST
 * comes from (Origin, or Sec-Fetch-Site). Requests from other tools carry
 * neither and are not a cross-site risk.
 */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const own = new URL(request.url);
  const allowed = new Set([own.origin]);
  const host = request.headers.get("host");
  if (host) allowed.add(`${own.protocol}//${host}`);
  const configured = getEnv().PUBLIC_URL;
  if (configured) allowed.add(new URL(configured).origin);
  return !allowed.has(origin);
}

export function assertSameOrigin(request: Request): void {
  if (isCrossSite(request)) {
    throw new Response("Cross-site form posts are not accepted. Please use the form on this site.", { status: 403 });
  }
}

/** The client's address, as the server saw it (X-Forwarded-For only behind a trusted proxy). */
export function clientAddress(request: Request, context: { clientIp?: string } | undefined): string {
  if (getEnv().TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return context?.clientIp ?? "unknown";
}
