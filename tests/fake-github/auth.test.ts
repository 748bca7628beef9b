import { createSign, generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { Octokit, RequestError } from "octokit";
import { createAppAuth } from "@octokit/auth-app";
import { startFakeGitHub, type FakeGitHub } from "./server.js";
import { octokitFor, SEED_FILES } from "./helpers.js";

const owner = "django-questions";
const repo = "content";
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function rsaKeys() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
}

const APP_KEYS = rsaKeys();
const OTHER_KEYS = rsaKeys();

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const data = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}`;
  return `${data}.${createSign("RSA-SHA256").update(data).sign(privateKey).toString("base64url")}`;
}

describe("GitHub App installation tokens", () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it("@octokit/auth-app gets an installation token with a signed JWT and acts as the app's bot", async () => {
    const { privateKey, publicKey } = APP_KEYS;
    fake = await startFakeGitHub({ files: SEED_FILES, strict: true, app: { id: 4242, publicKey, installationId: 77, slug: "dq-bot" } });
    const octokit = new Octokit({
      authStrategy: createAppAuth,
      auth: { appId: 4242, privateKey, installationId: 77 },
      baseUrl: fake.url,
      throttle: { enabled: false },
      retry: { enabled: false },
      log: quiet,
    });
    fake.pushCommit("contrib/bot", { "content/bot.md": "bot\n" }, "Bot change");
    const { data: pr } = await octokit.rest.pulls.create({ owner, repo, title: "From the bot", head: "contrib/bot", base: "main" });
    expect(pr.user.login).toBe("dq-bot[bot]");
    expect(pr.user.type).toBe("Bot");

    const { data: run } = await octokit.rest.checks.create({ owner, repo, name: "content-check", head_sha: pr.head.sha, status: "completed", conclusion: "success", output: { title: "OK", summary: "No findings" } });
    expect(run.app?.slug).toBe("dq-bot");
    const { data: runs } = await octokit.rest.checks.listForRef({ owner, repo, ref: "contrib/bot" });
    expect(runs.check_runs.map((r) => [r.name, r.conclusion])).toEqual([["content-check", "success"]]);

    // The token was fetched once, with a JWT, and then reused.
    expect(fake.requests[0]).toMatchObject({ operationId: "apps/create-installation-access-token", status: 201 });
    expect(fake.count("apps/create-installation-access-token")).toBe(1);
    // Installation tokens cannot read /user.
    expect((await octokit.rest.users.getAuthenticated().catch((e: RequestError) => e)).status).toBe(403);
    fake.assertNoViolations();
  });

  it("rejects JWTs signed with another key, expired ones, and JWTs used on repository endpoints", async () => {
    const { publicKey, privateKey } = APP_KEYS;
    const other = OTHER_KEYS;
    fake = await startFakeGitHub({ app: { id: 4242, publicKey, installationId: 77 } });
    const url = fake.url;

    const forged = createAppAuth({ appId: 4242, privateKey: other.privateKey, installationId: 77, request: new Octokit({ baseUrl: url, log: quiet }).request });
    const forgedError = (await forged({ type: "installation" }).catch((e: RequestError) => e)) as RequestError;
    expect(forgedError.status).toBe(401);
    expect((forgedError.response?.data as { message: string }).message).toBe("A JSON web token could not be decoded");

    const now = Math.floor(Date.now() / 1000);
    const expired = jwt(privateKey, { iat: now - 1200, exp: now - 600, iss: "4242" });
    const res = await fetch(`${url}/app/installations/77/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${expired}`, accept: "application/vnd.github+json" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/^'Expiration time' claim \('exp'\)/);

    const tooLong = jwt(privateKey, { iat: now, exp: now + 3600, iss: 4242 });
    expect((await fetch(`${url}/app/installations/77/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${tooLong}` } })).status).toBe(401);

    const good = jwt(privateKey, { iat: now - 30, exp: now + 540, iss: 4242 });
    const wrongInstallation = await fetch(`${url}/app/installations/78/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${good}` } });
    expect(wrongInstallation.status).toBe(404);
    const onRepo = await octokitFor(url, good).rest.repos.get({ owner, repo }).catch((e: RequestError) => e);
    expect((onRepo as RequestError).status).toBe(403);
    const ok = await fetch(`${url}/app/installations/77/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${good}` } });
    expect(ok.status).toBe(201);
    const { token, expires_at } = (await ok.json()) as { token: string; expires_at: string };
    expect(token).toMatch(/^ghs_/);
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    expect((await octokitFor(url, token).rest.repos.get({ owner, repo })).data.permissions?.push).toBe(true);
  });

  it("only GitHub Apps may create check runs", async () => {
    fake = await startFakeGitHub({ users: [{ login: "alice", token: "alice-token", permission: "admin" }] });
    const alice = octokitFor(fake.url, "alice-token");
    const error = (await alice.rest.checks.create({ owner, repo, name: "x", head_sha: fake.branch("main")!.sha }).catch((e: RequestError) => e)) as RequestError;
    expect(error.status).toBe(403);
    expect((error.response?.data as { message: string }).message).toBe("You must authenticate via a GitHub App.");
    // CI results can still be simulated for reading.
    fake.setCheckRun("main", { name: "validate", conclusion: "failure" });
    const { data } = await alice.rest.checks.listForRef({ owner, repo, ref: fake.branch("main")!.sha });
    expect(data.check_runs[0]).toMatchObject({ name: "validate", status: "completed", conclusion: "failure", app: { slug: "github-actions" } });
  });
});

describe("OAuth web flow (Sign in with GitHub)", () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  const callback = "http://localhost:3000/auth/github/callback";

  async function authorize(url: string, state = "st4te"): Promise<URL> {
    const res = await fetch(`${url}/login/oauth/authorize?client_id=cid&redirect_uri=${encodeURIComponent(callback)}&state=${state}&scope=read:user`, { redirect: "manual" });
    expect(res.status).toBe(302);
    return new URL(res.headers.get("location")!);
  }

  it("redirects back with a code and state, exchanges the code once for a token that works on the API", async () => {
    fake = await startFakeGitHub({ oauth: { clientId: "cid", clientSecret: "csecret" }, users: [{ login: "alice", name: "Alice" }] });
    fake.oauthUser = "alice";
    const back = await authorize(fake.url);
    expect(back.origin + back.pathname).toBe(callback);
    expect(back.searchParams.get("state")).toBe("st4te");
    const code = back.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const exchange = (body: Record<string, string>, json = true) =>
      fetch(`${fake!.url}/login/oauth/access_token`, {
        method: "POST",
        headers: json ? { accept: "application/json", "content-type": "application/json" } : { "content-type": "application/x-www-form-urlencoded" },
        body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
      });
    const res = await exchange({ client_id: "cid", client_secret: "csecret", code, redirect_uri: callback });
    const token = (await res.json()) as { access_token: string; token_type: string; scope: string };
    expect(token).toMatchObject({ token_type: "bearer", scope: "read:user" });
    const { data: me, headers } = await octokitFor(fake.url, token.access_token).rest.users.getAuthenticated();
    expect(me.login).toBe("alice");
    expect(headers["x-oauth-scopes"]).toBe("read:user");

    const reused = (await (await exchange({ client_id: "cid", client_secret: "csecret", code })).json()) as { error: string };
    expect(reused.error).toBe("bad_verification_code");
    const code2 = (await authorize(fake.url)).searchParams.get("code")!;
    const badSecret = (await (await exchange({ client_id: "cid", client_secret: "nope", code: code2 })).json()) as { error: string };
    expect(badSecret.error).toBe("incorrect_client_credentials");
    const form = await exchange({ client_id: "cid", client_secret: "csecret", code: code2 }, false);
    expect(new URLSearchParams(await form.text()).get("token_type")).toBe("bearer");
  });

  it("reports a user who clicks Cancel as access_denied", async () => {
    fake = await startFakeGitHub({ oauth: { clientId: "cid", clientSecret: "csecret" } });
    fake.oauthDeny = true;
    const back = await authorize(fake.url, "s2");
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s2");
    expect(back.searchParams.get("code")).toBeNull();
  });
});
