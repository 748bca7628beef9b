import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { DataLayer } from "~/modules/db/data.server";
import { migrate, openDatabase } from "~/modules/db/index.server";
import { migrations } from "~/modules/db/migrations";
import { describeDialects } from "../../../tests/support/databases";
import type { CollaboratorPermission, ForgeAccounts } from "~/modules/forge/types";
import { createAuth, safeReturnTo, type Auth } from "./auth.server";
import { createTokenSignIn } from "./token.server";

const SECRET = "s".repeat(48);
const TOKEN = "maintainer-token-for-tests-0123";
const SITE = "http://review.test";

/** The test's data layer (each dialect's suite sets it before every test). */
let data: DataLayer;

async function sessionRows() {
  return data.db.selectFrom("maintainer_sessions").selectAll().execute();
}

function tokenAuth(extra: Partial<Parameters<typeof createAuth>[0]> = {}): Auth {
  return createAuth({ data, secret: SECRET, tokenSignIn: createTokenSignIn({ configured: TOKEN, enabled: true }).signIn, ...extra });
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

describeDialects("maintainer sessions", (t) => {
  beforeEach(() => {
    data = t().data;
  });

  it("answers 403 with the sign-in choices to someone not signed in", async () => {
    const auth = tokenAuth();
    const res = await thrown(auth.requireMaintainer(get("/review")));
    expect(res.status).toBe(403);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.json()).toMatchObject({ forbidden: true, signedInAs: null, signIn: { token: true, github: false } });
  });

  it("names a token maintainer by the name given at sign-in (else \"maintainer\"), refusing hidden characters", async () => {
    const auth = tokenAuth();
    const named = cookieOf((await auth.signInWithToken(post("/auth/token", {}), TOKEN, "ip", "/review", { name: "  Mia   Maintainer " })) as Response);
    expect(await auth.viewer(get("/review", named))).toMatchObject({ maintainer: true, signedInAs: "Mia Maintainer" });
    const unnamed = cookieOf((await auth.signInWithToken(post("/auth/token", {}), TOKEN, "ip", "/review", { name: "" })) as Response);
    expect(await auth.viewer(get("/review", unnamed))).toMatchObject({ maintainer: true, signedInAs: "maintainer" });
    expect(await auth.signInWithToken(post("/auth/token", {}), TOKEN, "ip", "/review", { name: "Mia\u202Eevil" })).toMatchObject({
      status: 422,
      error: expect.stringContaining("U+202E RIGHT-TO-LEFT OVERRIDE"),
    });
    expect(await auth.signInWithToken(post("/auth/token", {}), TOKEN, "ip", "/review", { name: "x".repeat(61) })).toMatchObject({ status: 422 });
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
    expect(await sessionRows()).toEqual([]);
  });

  it("a session made by one instance works on another; signing out on the other ends it on the first", async () => {
    // Two instances: the same database, the same SESSION_SECRET and MAINTAINER_TOKEN.
    const one = tokenAuth();
    const two = tokenAuth();
    const cookie = await signIn(one);
    const onTwo = await two.requireMaintainer(get("/review", cookie));
    expect(onTwo).toMatchObject({ login: "maintainer", kind: "token" });
    expect((await two.signOut(post("/auth/logout", { csrf: onTwo.csrf }, cookie))).status).toBe(303);
    expect((await one.viewer(get("/review", cookie))).signedIn).toBe(false);
    expect(await sessionRows()).toEqual([]);
  });

  it("signs in once with the one-time link, then the link is used up", async () => {
    const setup = createTokenSignIn({ enabled: true });
    const auth = createAuth({ data, secret: SECRET, tokenSignIn: setup.signIn });
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

describeDialects("token sessions last only as long as the credential they were made with", (t) => {
  beforeEach(() => {
    data = t().data;
  });

  const OTHER = "the-rotated-maintainer-token-4567";

  /** The same database and session secret, in a new process with this token sign-in. */
  function restartWith(tokenSignIn: ReturnType<typeof createTokenSignIn>["signIn"]): Auth {
    return createAuth({ data, secret: SECRET, tokenSignIn });
  }

  async function rows(): Promise<number> {
    return (await sessionRows()).length;
  }

  /** A merge posted with the session's own CSRF token (what the review page's form sends). */
  async function merge(auth: Auth, cookie: string, csrf: string) {
    const req = post("/review/x", { intent: "merge", csrf }, cookie);
    return auth.checkAction(req, await req.formData());
  }

  it("MAINTAINER_TOKEN rotated: the old session gets the sign-in page on /review and its actions, and is deleted", async () => {
    const before = tokenAuth();
    const cookie = await signIn(before);
    const { csrf } = await before.requireMaintainer(get("/review", cookie));

    const after = restartWith(createTokenSignIn({ configured: OTHER, enabled: true }).signIn);
    const page = await thrown(after.requireMaintainer(get("/review", cookie)));
    expect(page.status).toBe(403);
    expect(await page.json()).toMatchObject({ signedInAs: null, message: expect.stringMatching(/Please sign in/), signIn: { token: true } });
    expect((await thrown(merge(after, cookie, csrf))).status).toBe(403);
    expect(await rows()).toBe(0);
    // Putting the leaked token back does not bring that session back.
    expect((await restartWith(createTokenSignIn({ configured: TOKEN, enabled: true }).signIn).viewer(get("/review", cookie))).signedIn).toBe(false);
    // The new token signs in as usual.
    const fresh = (await after.signInWithToken(post("/auth/token", {}), OTHER, "ip")) as Response;
    expect((await after.requireMaintainer(get("/review", cookieOf(fresh)))).login).toBe("maintainer");
  });

  it("the same MAINTAINER_TOKEN after a restart: still signed in, actions still allowed", async () => {
    const cookie = await signIn(tokenAuth());
    const after = restartWith(createTokenSignIn({ configured: TOKEN, enabled: true }).signIn);
    const m = await after.requireMaintainer(get("/review", cookie));
    expect((await merge(after, cookie, m.csrf)).login).toBe("maintainer");
    expect(await rows()).toBe(1);
  });

  it("the one-time link's session lasts while its server runs, and ends with it", async () => {
    const first = createTokenSignIn({ enabled: true });
    const running = createAuth({ data, secret: SECRET, tokenSignIn: first.signIn });
    const res = (await running.signInWithToken(get(`/auth/token?token=${first.oneTimeToken}`), first.oneTimeToken, "ip", "/review", { viaLink: true })) as Response;
    const cookie = cookieOf(res);
    const { csrf } = await running.requireMaintainer(get("/review", cookie));
    expect((await merge(running, cookie, csrf)).login).toBe("maintainer");

    // Restarted, still without MAINTAINER_TOKEN: a new link, and the old one's session is over.
    const restarted = restartWith(createTokenSignIn({ enabled: true }).signIn);
    expect((await thrown(restarted.requireMaintainer(get("/review", cookie)))).status).toBe(403);
    expect(await rows()).toBe(0);
  });

  it("token sign-in turned off (GitHub sign-in configured instead): token sessions are signed out", async () => {
    const cookie = await signIn(tokenAuth());
    const off = restartWith(createTokenSignIn({ configured: TOKEN, enabled: false }).signIn);
    expect((await off.viewer(get("/review", cookie))).signedIn).toBe(false);
    expect(await rows()).toBe(0);
  });

  it("a token session bound to no credential (made before this check existed) is signed out", async () => {
    const auth = tokenAuth();
    const cookie = await signIn(auth);
    await data.db.updateTable("maintainer_sessions").set({ credential: null }).execute();
    expect((await auth.viewer(get("/review", cookie))).signedIn).toBe(false);
  });

  it("stores only a keyed fingerprint of the token, not the token or its plain hash", async () => {
    const cookie = await signIn(tokenAuth());
    const stored = JSON.stringify(await sessionRows());
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(createHash("sha256").update(TOKEN).digest("hex"));
    expect(decodeURIComponent(cookie)).not.toContain(TOKEN);
  });

  it("signing out of a session that was revoked meanwhile just clears the cookie", async () => {
    const cookie = await signIn(tokenAuth());
    const after = restartWith(createTokenSignIn({ configured: OTHER, enabled: true }).signIn);
    const res = await after.signOut(post("/auth/logout", {}, cookie));
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});

describeDialects("GitHub sign-in", (t) => {
  beforeEach(() => {
    data = t().data;
  });

  const app = { oauthUrl: "https://gh.test", clientId: "client-1", clientSecret: "secret-1", scope: "public_repo" };

  function githubAuth(permissions: Record<string, CollaboratorPermission>, extra: Partial<Parameters<typeof createAuth>[0]> = {}) {
    const calls: string[] = [];
    const api: Pick<ForgeAccounts, "user" | "permission"> = {
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
      data,
      secret: SECRET,
      tokenSignIn: createTokenSignIn({ enabled: false }).signIn,
      github: { app, api, repository: "dq/content" },
      fetch: fetchImpl,
      ...extra,
    });
    return { auth, calls, fetched, api, fetchImpl };
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
    const rows = JSON.stringify(await sessionRows());
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

  it("a maintainer whose write access was revoked on GitHub loses the queue once the remembered answer expires", async () => {
    let t = 1_000_000;
    const permissions: Record<string, CollaboratorPermission> = { alice: { permission: "write", role_name: "write" } };
    const { auth } = githubAuth(permissions, { now: () => t, permissionTtlMs: 5 * 60_000 });
    const cookie = await viaGitHub(auth, "code-alice");
    expect((await auth.requireMaintainer(get("/review", cookie))).login).toBe("alice");
    permissions.alice = { permission: "read", role_name: "read" };
    t += 4 * 60_000;
    expect((await auth.requireMaintainer(get("/review", cookie))).login).toBe("alice");
    t += 2 * 60_000;
    const res = await thrown(auth.requireMaintainer(get("/review", cookie)));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ signedInAs: "@alice", message: expect.stringMatching(/read access/) });
  });

  it("is not bound to MAINTAINER_TOKEN: rotating the token (accepted next to GitHub) leaves GitHub sessions signed in", async () => {
    const permissions: Record<string, CollaboratorPermission> = { alice: { permission: "admin", role_name: "admin" } };
    const { auth, api, fetchImpl } = githubAuth(permissions, { tokenSignIn: createTokenSignIn({ configured: TOKEN, enabled: true }).signIn });
    const cookie = await viaGitHub(auth, "code-alice");
    const rotated = createAuth({
      data,
      secret: SECRET,
      tokenSignIn: createTokenSignIn({ configured: "the-rotated-maintainer-token-4567", enabled: true }).signIn,
      github: { app, api, repository: "dq/content" },
      fetch: fetchImpl,
    });
    expect(await rotated.requireMaintainer(get("/review", cookie))).toMatchObject({ login: "alice", kind: "github", githubToken: "gho_alice" });
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

describe("upgrading an existing SQLite database", () => {
  it("signs out the token sessions made before sessions were bound (GitHub sessions stay)", () => {
    const db = openDatabase(":memory:", { memory: true, migrations: migrations.filter((m) => m.version <= 4) });
    const insert = db.prepare("INSERT INTO maintainer_sessions (id_hash, kind, login, created_at, expires_at) VALUES (?, ?, ?, 0, ?)");
    insert.run("a", "token", "maintainer", Date.now() + 60_000);
    insert.run("b", "github", "alice", Date.now() + 60_000);
    migrate(db);
    expect(db.prepare("SELECT kind FROM maintainer_sessions").all()).toEqual([{ kind: "github" }]);
    db.close();
  });
});
