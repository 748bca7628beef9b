import { afterEach, describe, expect, it } from "vitest";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import type { CollaboratorPermission, GitHubAuthApi } from "~/modules/forge/github-auth.server";
import { createAuth, safeReturnTo, type Auth } from "./auth.server";
import { createTokenSignIn } from "./token.server";

const SECRET = "s".repeat(48);
const TOKEN = "maintainer-token-for-tests-0123";
const SITE = "http://review.test";

let db: Database;
afterEach(() => db?.close());

function tokenAuth(extra: Partial<Parameters<typeof createAuth>[0]> = {}): Auth {
  db = openMemoryDatabase();
  return createAuth({ db, secret: SECRET, tokenSignIn: createTokenSignIn({ configured: TOKEN, enabled: true }).signIn, ...extra });
}

function cookieOf(response: Response): string {
  const set = response.headers.get("set-cookie") ?? "";
  return set.split(";")[0]!;
}

function get(path: string, cookie?: string, headers: Record<string, string> = {}): Request {
  return new Request(`${SITE}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

function post(path: string, fields: Record<string, string>, cookie?: string, headers: Record<string, string> = {}): Request {
  return new Request(`${SITE}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE, ...(cookie ? { cookie } : {}), ...headers },
  });
}

async function thrown(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown Response");
}

async function signIn(auth: Auth): Promise<string> {
  const res = (await auth.signInWithToken(post("/auth/token", { token: TOKEN }), TOKEN, "1.2.3.4")) as Response;
  expect(res.status).toBe(303);
  return cookieOf(res);
}

describe("maintainer sessions", () => {
  it("answers 403 with the sign-in choices to someone not signed in", async () => {
    const auth = tokenAuth();
    const res = await thrown(auth.requireMaintainer(get("/review")));
    expect(res.status).toBe(403);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.json()).toMatchObject({ forbidden: true, signedInAs: null, signIn: { token: true, github: false } });
  });

  it("signs in with the token: an http-only, SameSite=Lax, 7-day cookie holding only a session id and a CSRF token", async () => {
    const auth = tokenAuth();
    const res = (await auth.signInWithToken(post("/auth/token", {}), TOKEN, "1.2.3.4", "/review/abc")) as Response;
    expect(res.headers.get("location")).toBe("/review/abc");
    const set = res.headers.get("set-cookie")!;
    expect(set).toMatch(/^__session=/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Max-Age=604800/);
    expect(set).not.toMatch(/Secure/i);
    const payload = JSON.parse(Buffer.from(decodeURIComponent(cookieOf(res).slice("__session=".length)).split(".")[0]!, "base64").toString("utf8"));
    expect(Object.keys(payload).sort()).toEqual(["csrf", "sid"]);
    const m = await auth.requireMaintainer(get("/review", cookieOf(res)));
    expect(m).toMatchObject({ maintainer: true, kind: "token", login: "maintainer", csrf: payload.csrf });
  });

  it("sets Secure on the cookie when the request came over https", async () => {
    const auth = tokenAuth();
    const res = (await auth.signInWithToken(new Request("https://review.test/auth/token", { method: "POST" }), TOKEN, "ip")) as Response;
    expect(res.headers.get("set-cookie")).toMatch(/Secure/i);
    const proxied = tokenAuth({ trustProxy: true });
    const behind = (await proxied.signInWithToken(get("/auth/token", undefined, { "x-forwarded-proto": "https" }), TOKEN, "ip")) as Response;
    expect(behind.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("refuses a wrong token, and too many attempts", async () => {
    const auth = tokenAuth();
    const wrong = await auth.signInWithToken(post("/auth/token", {}), "not-the-token", "5.6.7.8");
    expect(wrong).toMatchObject({ status: 403 });
    for (let i = 0; i < 9; i++) await auth.signInWithToken(post("/auth/token", {}), "nope", "5.6.7.8");
    expect(await auth.signInWithToken(post("/auth/token", {}), TOKEN, "5.6.7.8")).toMatchObject({ status: 429 });
  });

  it("ignores a cookie whose signature was tampered with", async () => {
    const auth = tokenAuth();
    const cookie = await signIn(auth);
    const raw = decodeURIComponent(cookie.slice("__session=".length));
    const dot = raw.lastIndexOf(".");
    const data = JSON.parse(Buffer.from(raw.slice(0, dot), "base64").toString("utf8")) as { sid: string; csrf: string };
    const other = await signIn(auth);
    const otherSid = (JSON.parse(Buffer.from(decodeURIComponent(other.slice("__session=".length)).split(".")[0]!, "base64").toString("utf8")) as { sid: string }).sid;
    // The other session's id with this cookie's signature: refused.
    const swapped = Buffer.from(JSON.stringify({ ...data, sid: otherSid })).toString("base64") + raw.slice(dot);
    expect((await auth.viewer(get("/review", `__session=${encodeURIComponent(swapped)}`))).signedIn).toBe(false);
    expect((await auth.viewer(get("/review", cookie))).signedIn).toBe(true);
  });

  it("checks every action: maintainer, same origin and the session's CSRF token", async () => {
    const auth = tokenAuth();
    const cookie = await signIn(auth);
    const { csrf } = await auth.requireMaintainer(get("/review", cookie));
    const form = (fields: Record<string, string>) => new URLSearchParams(fields) as unknown as FormData;
    const asForm = (req: Request) => req.formData();

    // No session at all (a forged post from a non-maintainer).
    expect((await thrown(auth.checkAction(post("/review/x", { csrf }), form({ csrf })))).status).toBe(403);
    // A maintainer's browser, but without or with a wrong token.
    let req = post("/review/x", { intent: "merge" }, cookie);
    expect((await thrown(auth.checkAction(req, await asForm(req)))).status).toBe(403);
    req = post("/review/x", { intent: "merge", csrf: "guess" }, cookie);
    expect((await thrown(auth.checkAction(req, await asForm(req)))).status).toBe(403);
    // The right token, posted from another site.
    req = post("/review/x", { intent: "merge", csrf }, cookie, { origin: "https://evil.example" });
    expect((await thrown(auth.checkAction(req, await asForm(req)))).status).toBe(403);
    // The real thing.
    req = post("/review/x", { intent: "merge", csrf }, cookie);
    expect((await auth.checkAction(req, await asForm(req))).login).toBe("maintainer");
  });

  it("signs out: the session is gone even if the old cookie is replayed", async () => {
    const auth = tokenAuth();
    const cookie = await signIn(auth);
    const { csrf } = await auth.requireMaintainer(get("/review", cookie));
    expect((await thrown(auth.signOut(post("/auth/logout", {}, cookie)))).status).toBe(403);
    const res = await auth.signOut(post("/auth/logout", { csrf }, cookie));
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await auth.viewer(get("/review", cookie))).signedIn).toBe(false);
  });

  it("signs in once with the one-time link, then the link is used up", async () => {
    db = openMemoryDatabase();
    const setup = createTokenSignIn({ enabled: true });
    const auth = createAuth({ db, secret: SECRET, tokenSignIn: setup.signIn });
    const first = await auth.signInWithToken(get(`/auth/token?token=${setup.oneTimeToken}`), setup.oneTimeToken, "ip", "/review", { viaLink: true });
    expect(first).toBeInstanceOf(Response);
    const again = await auth.signInWithToken(get(`/auth/token?token=${setup.oneTimeToken}`), setup.oneTimeToken, "ip", "/review", { viaLink: true });
    expect(again).toMatchObject({ status: 403, error: expect.stringMatching(/used already/) });
  });

  it("accepts MAINTAINER_TOKEN only from the form, never from a link (links end up in logs)", async () => {
    const auth = tokenAuth();
    const viaLink = await auth.signInWithToken(get(`/auth/token?token=${TOKEN}`), TOKEN, "ip", "/review", { viaLink: true });
    expect(viaLink).toMatchObject({ status: 400, error: expect.stringMatching(/not accepted in a link/) });
  });

  it("follows only local return paths after a sign-in", () => {
    expect(safeReturnTo("/review/abc")).toBe("/review/abc");
    expect(safeReturnTo("//evil.example/x")).toBe("/review");
    expect(safeReturnTo("https://evil.example")).toBe("/review");
    expect(safeReturnTo("/\\evil.example")).toBe("/review");
  });
});

describe("GitHub sign-in", () => {
  const app = { oauthUrl: "https://gh.test", clientId: "client-1", clientSecret: "secret-1", scope: "public_repo" };

  function githubAuth(permissions: Record<string, CollaboratorPermission>) {
    db = openMemoryDatabase();
    const calls: string[] = [];
    const api: GitHubAuthApi = {
      user: async (token) => ({ login: token === "gho_alice" ? "alice" : "bob", name: null }),
      permission: async (login) => {
        calls.push(login);
        return permissions[login] ?? { permission: "none", role_name: "none" };
      },
    };
    const fetched: { url: string; body: unknown }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { code: string };
      fetched.push({ url, body });
      return new Response(JSON.stringify({ access_token: body.code === "code-alice" ? "gho_alice" : "gho_bob", scope: "public_repo" }), {
        headers: { "content-type": "application/json" },
      });
    }) as unknown as typeof fetch;
    const auth = createAuth({
      db,
      secret: SECRET,
      tokenSignIn: createTokenSignIn({ enabled: false }).signIn,
      github: { app, api, repository: "dq/content" },
      fetch: fetchImpl,
    });
    return { auth, calls, fetched };
  }

  async function viaGitHub(auth: Auth, code: string): Promise<string> {
    const start = await auth.startGitHubSignIn(get("/auth/github"), "/review");
    const location = new URL(start.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://gh.test/login/oauth/authorize");
    expect(location.searchParams.get("client_id")).toBe("client-1");
    expect(location.searchParams.get("redirect_uri")).toBe(`${SITE}/auth/github/callback`);
    const state = location.searchParams.get("state")!;
    const cookie = cookieOf(start);
    const done = await auth.finishGitHubSignIn(get(`/auth/github/callback?code=${code}&state=${state}`, cookie));
    expect(done).toBeInstanceOf(Response);
    return cookieOf(done as Response);
  }

  it("a user with write access is a maintainer; the token is exchanged as JSON and stored encrypted, not in the cookie", async () => {
    const { auth, fetched } = githubAuth({ alice: { permission: "write", role_name: "write" } });
    const cookie = await viaGitHub(auth, "code-alice");
    expect(fetched[0]).toMatchObject({ url: "https://gh.test/login/oauth/access_token", body: { client_id: "client-1", client_secret: "secret-1", code: "code-alice" } });
    const m = await auth.requireMaintainer(get("/review", cookie));
    expect(m).toMatchObject({ login: "alice", kind: "github", role: "write", githubToken: "gho_alice" });
    expect(decodeURIComponent(cookie)).not.toContain("gho_alice");
    const rows = JSON.stringify(db.prepare("SELECT * FROM maintainer_sessions").all());
    expect(rows).toContain("alice");
    expect(rows).not.toContain("gho_alice");
  });

  it("a user with read access gets 403, with the reason", async () => {
    const { auth } = githubAuth({ bob: { permission: "read", role_name: "read" } });
    const cookie = await viaGitHub(auth, "code-bob");
    const res = await thrown(auth.requireMaintainer(get("/review", cookie)));
    expect(res.status).toBe(403);
    const body = (await res.json()) as { message: string; signedInAs: string };
    expect(body.signedInAs).toBe("@bob");
    expect(body.message).toMatch(/read access to dq\/content/);
  });

  it("remembers the permission for a few minutes instead of asking GitHub on every page", async () => {
    const { auth, calls } = githubAuth({ alice: { permission: "admin", role_name: "admin" } });
    const cookie = await viaGitHub(auth, "code-alice");
    await auth.requireMaintainer(get("/review", cookie));
    await auth.requireMaintainer(get("/review/1", cookie));
    expect(calls).toEqual(["alice"]);
  });

  it("refuses a callback whose state was not issued to this browser", async () => {
    const { auth } = githubAuth({});
    const start = await auth.startGitHubSignIn(get("/auth/github"), null);
    const result = await auth.finishGitHubSignIn(get("/auth/github/callback?code=code-alice&state=forged", cookieOf(start)));
    expect(result).toMatchObject({ status: 400 });
    const noCookie = await auth.finishGitHubSignIn(get("/auth/github/callback?code=code-alice&state=x"));
    expect(noCookie).toMatchObject({ status: 400 });
  });
});
