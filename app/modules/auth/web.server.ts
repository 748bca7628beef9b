/**
 * The sign-in routes' server side (/auth/token, /auth/github,
 * /auth/github/callback, /auth/logout), with the services the routes got as
 * Remix's load context. Pages here are never cached.
 */
import { json } from "@remix-run/node";
import { clientAddress } from "~/modules/security/request.server";
import { safeReturnTo, type Auth } from "./auth.server";

/** What the sign-in pages need of the process's services (`context.services`). */
export interface AuthServices {
  auth: Auth;
}

export const AUTH_HEADERS = { "Cache-Control": "private, no-store" };

function returnToOf(url: URL): string {
  return safeReturnTo(url.searchParams.get("returnTo"));
}

/**
 * GET /auth/token: the form — or, with `?token=…` (the one-time link printed at start), a page
 * whose button signs in. The GET itself uses nothing up: a link preview or a scanner that fetches
 * the link leaves it working for the maintainer.
 */
export async function tokenPage(s: AuthServices, request: Request, _context: { clientIp?: string } | undefined) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  const v = await s.auth.viewer(request);
  const page = { methods: s.auth.methods, returnTo: returnToOf(url), signedInAs: v.maintainer ? (v.login ?? null) : null };
  if (token !== null) {
    const refused = s.auth.linkRefusal();
    if (refused) return json({ ...page, error: refused.error, linkToken: null }, { status: refused.status, headers: AUTH_HEADERS });
    return json({ ...page, error: null as string | null, linkToken: token.slice(0, 200) as string | null }, { headers: AUTH_HEADERS });
  }
  if (!s.auth.methods.token) throw new Response("Token sign-in is turned off on this server: sign in with GitHub.", { status: 404, headers: AUTH_HEADERS });
  return json({ ...page, error: null as string | null, linkToken: null as string | null }, { headers: AUTH_HEADERS });
}

/** POST /auth/token: the pasted token. */
export async function tokenSignIn(s: AuthServices, request: Request, context: { clientIp?: string } | undefined) {
  const form = await request.formData();
  const token = form.get("token");
  const returnTo = safeReturnTo(typeof form.get("returnTo") === "string" ? (form.get("returnTo") as string) : null);
  const name = typeof form.get("name") === "string" ? (form.get("name") as string) : null;
  const result = await s.auth.signInWithToken(request, typeof token === "string" ? token : null, clientAddress(request, context), returnTo, { name });
  if (result instanceof Response) return result;
  // The name typed is kept in the form (never the token).
  return json({ error: result.error, name: (name ?? "").slice(0, 200) }, { status: result.status, headers: AUTH_HEADERS });
}

/** GET /auth/github: off to GitHub. */
export async function githubStart(s: AuthServices, request: Request) {
  return s.auth.startGitHubSignIn(request, new URL(request.url).searchParams.get("returnTo"));
}

/** GET /auth/github/callback: back from GitHub. */
export async function githubCallback(s: AuthServices, request: Request) {
  const result = await s.auth.finishGitHubSignIn(request);
  if (result instanceof Response) return result;
  return json({ error: result.error, methods: s.auth.methods }, { status: result.status, headers: AUTH_HEADERS });
}

/** POST /auth/logout. */
export async function logout(s: AuthServices, request: Request) {
  return s.auth.signOut(request);
}
