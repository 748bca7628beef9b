/**
 * Maintainers' sessions.
 *
 * The cookie `__session` is a Remix cookie session, signed with
 * SESSION_SECRET (see secret.server.ts), http-only, `SameSite=Lax`, `Secure`
 * when the request came over https, 7 days. It carries only:
 *
 *   sid    random id of the server-side session (SQLite, store.server.ts)
 *   csrf   the CSRF token every maintainer form posts back
 *   oauth  { state, returnTo } while a GitHub sign-in is under way
 *
 * Who is signed in, and their GitHub token, live in SQLite: cookie sessions
 * are signed, not encrypted. The page cache skips every request carrying
 * `__session` (app/modules/server/http.server.ts).
 */
import { createCookieSessionStorage, type Session } from "@remix-run/node";

export const SESSION_COOKIE = "__session";
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export interface SessionData {
  sid: string;
  csrf: string;
  oauth: { state: string; returnTo: string };
}

export type CookieSession = Session<SessionData>;

export function createSessionCookieStorage(secret: string) {
  return createCookieSessionStorage<SessionData>({
    cookie: {
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: SESSION_MAX_AGE_SECONDS,
      secrets: [secret],
      secure: false,
    },
  });
}

export type SessionCookieStorage = ReturnType<typeof createSessionCookieStorage>;

/** Whether the browser reached us over https (directly, through a trusted proxy, or as configured in PUBLIC_URL). */
export function isHttps(request: Request, options: { trustProxy?: boolean; publicUrl?: string } = {}): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  if (options.trustProxy && request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return options.publicUrl?.startsWith("https:") ?? false;
}
