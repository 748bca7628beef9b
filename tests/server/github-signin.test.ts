/**
 * Signed-in contributors in GitHub mode, through the running app: a reader
 * signs in with GitHub (OAuth against the fake), proposes a question, and the
 * pull request is opened as them — from a fork, because they cannot push to
 * the content repository — as GitHub's own web editor does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";
import { startAppServer, type AppServer } from "../support/app-server";
import { OWNER, REPO, repositoryContentFiles } from "../support/fake-github-app";

const OAUTH = { clientId: "Iv1.contributors", clientSecret: "contributors-secret" };
const CAROL = { login: "carol-contrib", token: "carol-token" };

let fake: FakeGitHub;
let app: AppServer;

beforeAll(async () => {
  fake = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: repositoryContentFiles(),
    users: [
      { login: "dq-bot", token: "dq-bot-token", permission: "write", name: "Django Questions bot" },
      { login: CAROL.login, token: CAROL.token, permission: "read", name: "Carol Contributor" },
    ],
    oauth: OAUTH,
  });
  app = await startAppServer({
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_TOKEN: "dq-bot-token",
    GITHUB_API_URL: fake.url,
    GITHUB_OAUTH_URL: fake.url,
    GITHUB_CLIENT_ID: OAUTH.clientId,
    GITHUB_CLIENT_SECRET: OAUTH.clientSecret,
    CONTENT_POLL_INTERVAL: "0",
    CONTENT_WATCH: "0",
  });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

/** Follows the OAuth dance as a browser would, keeping the session cookie. */
async function signIn(login: string, returnTo: string): Promise<string> {
  fake.oauthUser = login;
  const start = await fetch(`${app.url}/auth/github?returnTo=${encodeURIComponent(returnTo)}`, { redirect: "manual" });
  expect(start.status).toBeGreaterThanOrEqual(300);
  let cookie = start.headers.get("set-cookie")!.split(";")[0]!;
  const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
  const back = authorize.headers.get("location")!;
  expect(back.startsWith(app.url + "/auth/github/callback")).toBe(true);
  const done = await fetch(back, { redirect: "manual", headers: { cookie } });
  expect(done.status, await done.clone().text()).toBe(303);
  expect(done.headers.get("location")).toBe(returnTo);
  cookie = done.headers.get("set-cookie")!.split(";")[0]!;
  return cookie;
}

describe("a contributor signed in with GitHub", () => {
  it("is offered sign-in on the form, and after it the pull request is opened as them from their fork", async () => {
    const anonymous = await (await fetch(`${app.url}/contribute/question`)).text();
    expect(anonymous).toContain("/auth/github?returnTo=%2Fcontribute%2Fquestion");

    const cookie = await signIn(CAROL.login, "/contribute/question");
    const form = (await (await fetch(`${app.url}/contribute/question`, { headers: { cookie } })).text()).replaceAll("<!-- -->", "");
    expect(form).toContain(`Signed in as <strong>@${CAROL.login}</strong>`);

    const title = "Why does a signal receiver run twice after an import?";
    const body = new URLSearchParams({
      kind: "question",
      title,
      body: "A `post_save` receiver runs twice for one save. What could cause it?",
      tags: "signals",
      name: "Carol Contributor",
      licence: "on",
      intent: "submit",
      submissionKey: "carol-key-0001",
    });
    const res = await fetch(`${app.url}/contribute/question`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url, cookie },
      body: body.toString(),
    });
    expect(res.status).toBe(303);
    const id = /^\/contributions\/(\w+)$/.exec(res.headers.get("location")!)![1]!;

    await expect
      .poll(async () => /data-status="([a-z_]+)"/.exec(await (await fetch(`${app.url}/contributions/${id}`)).text())?.[1], {
        timeout: 30_000,
        interval: 250,
        message: app.output().slice(-2000),
      })
      .toBe("opened");

    const pulls = fake.pulls().filter((p) => (p.body ?? "").includes(id));
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.title).toBe(`Question: \u2068${title}\u2069`);
    expect(pr.user).toBe(CAROL.login);
    // from Carol's fork: she has only read access to the content repository
    expect(pr.head.repo).toBe(`${CAROL.login}/${REPO}`);
    fake.assertNoViolations();
  });
});
