/**
 * Who is looking, and the sign-in flows. Made once per process by the
 * composition root (services.server.ts) and used by the auth and review
 * routes through web.server.ts.
 *
 *   viewer(request)            anonymous, a signed-in maintainer, or a signed-in GitHub user without write access
 *   requireMaintainer(request) the maintainer, or a thrown 403 (a page offering the sign-in, never a redirect loop)
 *   checkAction(request, form) requireMaintainer + same origin + the session's CSRF token → else 403
 *   signInWithToken / startGitHubSignIn / finishGitHubSignIn / signOut
 */
import { json, redirect } from "@remix-run/node";
import type { DataLayer } from "~/modules/db/data.server";
import type { ForgeAccounts } from "~/modules/forge/types";
import { memoryRateLimiter, SIGN_IN_LIMIT, type RateLimiter } from "~/modules/security/rate-limit.server";
import { CSRF_FIELD, csrfValid, randomToken, secretsMatch } from "./csrf.server";
import { authorizeUrl, exchangeCode, OAuthError, type OAuthApp } from "./github-oauth.server";
import { isMaintainerPermission, roleLabel, TtlCache } from "./permission";
import { createSessionCookieStorage, isHttps, SESSION_MAX_AGE_SECONDS, type CookieSession } from "./session.server";
import { createSessionStore } from "./store.server";
import { credentialFingerprint, type TokenSignIn } from "./token.server";
import { findInvisibleCharacter, invisibleCharacterMessage } from "~/modules/validation/invisible";

export interface Viewer {
  signedIn: boolean;
  kind?: "token" | "github";
  /** GitHub login, or `maintainer` after token sign-in. */
  login?: string;
  /** Who the pages say is signed in: `@login`, or `maintainer` after token sign-in. */
  signedInAs?: string;
  name?: string | null;
  /** May use the review queue. */
  maintainer: boolean;
  /** The GitHub role on the content repository (GitHub sign-in). */
  role?: string;
  /** Why a signed-in user is not a maintainer. */
  reason?: string;
  /** The session's CSRF token (for the forms). */
  csrf?: string;
  /** The maintainer's own GitHub token. Server-side only: never put it in loader data. */
  githubToken?: string;
}

export type Maintainer = Viewer & { maintainer: true; signedIn: true; login: string; csrf: string };

export interface SignInMethods {
  token: boolean;
  github: boolean;
}

export interface AuthDeps {
  /** Where the sessions are (`maintainer_sessions`). */
  data: Pick<DataLayer, "db">;
  secret: string;
  /** Token sign-in attempts per client (shared by every instance). Default: counted in memory. */
  signInLimiter?: RateLimiter;
  tokenSignIn: TokenSignIn;
  /** GitHub sign-in, when GITHUB_CLIENT_ID/SECRET are configured. */
  github?: { app: OAuthApp; api: Pick<ForgeAccounts, "user" | "permission">; repository: string };
  /** How long a GitHub permission answer is trusted. Default 5 minutes. */
  permissionTtlMs?: number;
  trustProxy?: boolean;
  publicUrl?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

const NO_STORE = { "Cache-Control": "private, no-store" };

/** What token sessions were named before a name could be given (read as "no name"). */
const LEGACY_TOKEN_NAME = "Maintainer";
export const MAINTAINER_NAME_MAX = 60;

/**
 * The name a maintainer gives at token sign-in, shown as who merged, asked for changes or closed
 * (GitHub sign-in names maintainers by their login). Optional: empty → null. Refused: longer than
 * 60 characters, control or invisible characters (a name must read as what it is).
 */
export function maintainerName(value: string | null | undefined): string | null | { error: string } {
  const name = (value ?? "").replace(/\s+/g, " ").trim();
  if (name === "") return null;
  if (name.length > MAINTAINER_NAME_MAX) return { error: `Your name is too long (at most ${MAINTAINER_NAME_MAX} characters).` };
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return { error: "Your name contains control characters: please retype it." };
  const invisible = findInvisibleCharacter(name);
  if (invisible) return { error: `${capitalFirst(invisibleCharacterMessage("your name", invisible))}.` };
  return name;
}

function capitalFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Only local paths (no `//host`, no scheme) are followed after a sign-in. */
export function safeReturnTo(value: string | null | undefined, fallback = "/review"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value.length > 500 ? fallback : value;
}

export function createAuth(deps: AuthDeps) {
  const now = deps.now ?? Date.now;
  const storage = createSessionCookieStorage(deps.secret);
  const sessions = createSessionStore({ data: deps.data, secret: deps.secret, ttlMs: SESSION_MAX_AGE_SECONDS * 1000, now });
  const permissions = new TtlCache<{ maintainer: boolean; role: string }>(deps.permissionTtlMs ?? 5 * 60_000, now);
  const tokenLimiter = deps.signInLimiter ?? memoryRateLimiter(SIGN_IN_LIMIT);
  const methods: SignInMethods = { token: deps.tokenSignIn.enabled, github: deps.github !== undefined };
  // What a token session must have been made with to count: this configuration's MAINTAINER_TOKEN, or
  // this process's one-time link. None when token sign-in is off.
  const currentCredential =
    deps.tokenSignIn.enabled && deps.tokenSignIn.credential ? credentialFingerprint(deps.secret, deps.tokenSignIn.credential) : undefined;

  const cookieOptions = (request: Request) => ({ secure: isHttps(request, { trustProxy: deps.trustProxy, publicUrl: deps.publicUrl }) });

  function getSession(request: Request): Promise<CookieSession> {
    return storage.getSession(request.headers.get("Cookie"));
  }

  function commit(request: Request, session: CookieSession): Promise<string> {
    return storage.commitSession(session, cookieOptions(request));
  }

  async function permissionOf(login: string): Promise<{ maintainer: boolean; role: string } | { error: string }> {
    const key = login.toLowerCase();
    const cached = permissions.get(key);
    if (cached) return cached;
    try {
      const answer = await deps.github!.api.permission(login);
      const result = { maintainer: isMaintainerPermission(answer), role: roleLabel(answer) };
      permissions.set(key, result);
      return result;
    } catch (error) {
      return { error: `GitHub could not be asked about @${login}'s access (${(error as Error).message}). Try again in a moment.` };
    }
  }

  async function viewer(request: Request): Promise<Viewer> {
    const session = await getSession(request);
    const sid = session.get("sid");
    const record = await sessions.get(sid);
    if (!record) return { signedIn: false, maintainer: false };
    if (record.kind === "token" && !secretsMatch(currentCredential, record.credential)) {
      // Made with a MAINTAINER_TOKEN that was changed since, by another process's one-time link, or
      // token sign-in is off now: that session is over.
      await sessions.delete(sid);
      return { signedIn: false, maintainer: false };
    }
    const csrf = session.get("csrf");
    // A token session is named by the name given at sign-in (see `maintainerName`), else just "maintainer".
    const signedInAs = record.kind === "token" ? (record.name && record.name !== LEGACY_TOKEN_NAME ? record.name : "maintainer") : `@${record.login}`;
    const base = { signedIn: true, kind: record.kind, login: record.login, signedInAs, name: record.name, ...(csrf ? { csrf } : {}) } as const;
    if (record.kind === "token") return { ...base, maintainer: true };
    if (!deps.github) return { ...base, maintainer: false, reason: "GitHub sign-in is turned off on this server." };
    const perm = await permissionOf(record.login);
    if ("error" in perm) return { ...base, maintainer: false, reason: perm.error };
    return {
      ...base,
      maintainer: perm.maintainer,
      role: perm.role,
      ...(record.githubToken ? { githubToken: record.githubToken } : {}),
      ...(perm.maintainer
        ? {}
        : { reason: `@${record.login} has ${perm.role} access to ${deps.github.repository}; the review queue needs write, maintain or admin.` }),
    };
  }

  /** The 403 answer: a page that explains and offers the sign-in (thrown by loaders and actions). */
  function forbidden(v: Viewer, message?: string): Response {
    return json(
      {
        forbidden: true,
        message:
          message ??
          (v.signedIn
            ? (v.reason ?? "Your account may not use the review queue.")
            : "The review queue is for maintainers. Please sign in."),
        signedInAs: v.signedIn ? (v.signedInAs ?? null) : null,
        signIn: methods,
      },
      { status: 403, headers: NO_STORE },
    );
  }

  async function requireMaintainer(request: Request): Promise<Maintainer> {
    const v = await viewer(request);
    if (!v.maintainer || !v.signedIn || !v.login) throw forbidden(v);
    if (!v.csrf) throw forbidden(v, "Your session has no form token: please sign in again.");
    return v as Maintainer;
  }

  function crossSite(request: Request): boolean {
    const site = request.headers.get("sec-fetch-site");
    if (site === "cross-site") return true;
    const origin = request.headers.get("origin");
    if (!origin) return false;
    const own = new URL(request.url);
    const allowed = new Set([own.origin]);
    const host = request.headers.get("host");
    if (host) allowed.add(`${own.protocol}//${host}`);
    if (deps.publicUrl) allowed.add(new URL(deps.publicUrl).origin);
    return !allowed.has(origin);
  }

  /** For every maintainer action: a maintainer, posting from this site, with the session's CSRF token. */
  async function checkAction(request: Request, form: FormData): Promise<Maintainer> {
    const m = await requireMaintainer(request);
    if (crossSite(request)) throw forbidden(m, "This form was posted from another site: the action was refused.");
    if (!csrfValid(m.csrf, form.get(CSRF_FIELD))) {
      throw forbidden(m, "The form's security token is missing or out of date: reload the page and try again.");
    }
    return m;
  }

  async function startSession(request: Request, input: Parameters<typeof sessions.create>[0], returnTo: string): Promise<Response> {
    const session = await getSession(request);
    await sessions.delete(session.get("sid"));
    session.unset("oauth");
    // A new id and a new CSRF token at every sign-in (no session fixation).
    session.set("sid", await sessions.create(input));
    session.set("csrf", randomToken(32));
    return redirect(safeReturnTo(returnTo), { status: 303, headers: { "Set-Cookie": await commit(request, session), ...NO_STORE } });
  }

  type SignInResult = Response | { error: string; status: number };

  /**
   * Token sign-in. `viaLink`: the token came in the URL (`/auth/token?token=…`), which only the
   * one-time link may do — a lasting MAINTAINER_TOKEN must not end up in request logs and history.
   */
  async function signInWithToken(
    request: Request,
    token: string | null | undefined,
    client: string,
    returnTo = "/review",
    options: { viaLink?: boolean; name?: string | null } = {},
  ): Promise<SignInResult> {
    if (!deps.tokenSignIn.enabled) return { error: "Token sign-in is turned off on this server: sign in with GitHub.", status: 404 };
    const refused = options.viaLink ? linkRefusal() : undefined;
    if (refused) return refused;
    if (crossSite(request)) return { error: "This sign-in came from another site and was refused.", status: 403 };
    // Before the token is checked: a refused name must not use up the one-time link.
    const name = maintainerName(options.name);
    if (name !== null && typeof name === "object") return { error: name.error, status: 422 };
    const limit = await tokenLimiter.attempt(client);
    if (!limit.allowed) return { error: `Too many sign-in attempts. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`, status: 429 };
    const result = deps.tokenSignIn.check(token?.trim());
    if (result === "used") {
      return { error: "This one-time sign-in link was used already. Restart the server for a new link, or set MAINTAINER_TOKEN.", status: 403 };
    }
    if (result !== "ok") return { error: "That is not the maintainer token.", status: 403 };
    return startSession(request, { kind: "token", login: "maintainer", name, credential: currentCredential }, returnTo);
  }

  /**
   * A token in a link (`/auth/token?token=…`) may only be the one-time link's — a lasting
   * MAINTAINER_TOKEN must not end up in request logs and history. What to say otherwise; consumes nothing.
   */
  function linkRefusal(): { error: string; status: number } | undefined {
    if (!deps.tokenSignIn.enabled) return { error: "Token sign-in is turned off on this server: sign in with GitHub.", status: 404 };
    if (deps.tokenSignIn.mode !== "one-time") {
      return { error: "Paste the maintainer token into the form below: it is not accepted in a link (links end up in logs and browser history).", status: 400 };
    }
    return undefined;
  }

  function callbackUrl(request: Request): string {
    const origin = deps.publicUrl ? deps.publicUrl.replace(/\/+$/, "") : new URL(request.url).origin;
    return `${origin}/auth/github/callback`;
  }

  async function startGitHubSignIn(request: Request, returnTo?: string | null): Promise<Response> {
    if (!deps.github) throw new Response("GitHub sign-in is not configured on this server.", { status: 404, headers: NO_STORE });
    const session = await getSession(request);
    const state = randomToken(24);
    session.set("oauth", { state, returnTo: safeReturnTo(returnTo) });
    return redirect(authorizeUrl(deps.github.app, callbackUrl(request), state), {
      status: 302,
      headers: { "Set-Cookie": await commit(request, session), ...NO_STORE },
    });
  }

  async function finishGitHubSignIn(request: Request): Promise<SignInResult> {
    if (!deps.github) return { error: "GitHub sign-in is not configured on this server.", status: 404 };
    const url = new URL(request.url);
    const session = await getSession(request);
    const pending = session.get("oauth");
    if (url.searchParams.get("error")) {
      return { error: url.searchParams.get("error_description") ?? "The sign-in was cancelled on GitHub.", status: 403 };
    }
    if (!pending || !secretsMatch(pending.state, url.searchParams.get("state"))) {
      return { error: "This sign-in link expired or was not started here. Please start the sign-in again.", status: 400 };
    }
    const code = url.searchParams.get("code");
    if (!code) return { error: "GitHub sent no sign-in code. Please start the sign-in again.", status: 400 };
    try {
      const { token } = await exchangeCode(deps.github.app, code, callbackUrl(request), deps.fetch);
      const user = await deps.github.api.user(token);
      permissions.delete(user.login.toLowerCase());
      return await startSession(request, { kind: "github", login: user.login, name: user.name, githubToken: token }, pending.returnTo);
    } catch (error) {
      const message = error instanceof OAuthError ? error.message : `The sign-in could not be finished: ${(error as Error).message}`;
      return { error: message, status: 502 };
    }
  }

  async function signOut(request: Request): Promise<Response> {
    const session = await getSession(request);
    const sid = session.get("sid");
    // A live session is only ended by its own form (no sign-out by another site); a cookie whose
    // session is gone already (expired, revoked) is simply cleared.
    const v = sid ? await viewer(request) : undefined;
    if (sid && v?.signedIn) {
      const form = await request.formData().catch(() => undefined);
      if (crossSite(request) || !csrfValid(session.get("csrf"), form?.get(CSRF_FIELD))) {
        throw forbidden(v, "The sign-out form was not posted from this site.");
      }
    }
    // The server-side row goes, so replaying the old cookie signs nobody in.
    await sessions.delete(sid);
    return redirect("/", { status: 303, headers: { "Set-Cookie": await storage.destroySession(session, cookieOptions(request)), ...NO_STORE } });
  }

  return {
    methods,
    viewer,
    requireMaintainer,
    checkAction,
    forbidden,
    signInWithToken,
    linkRefusal,
    startGitHubSignIn,
    finishGitHubSignIn,
    signOut,
  };
}

export type Auth = ReturnType<typeof createAuth>;
