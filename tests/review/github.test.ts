/**
 * Maintainers on GitHub, against the fake GitHub (every request is checked
 * against GitHub's OpenAPI description): OAuth sign-in, the permission check,
 * the queue (form pull requests and hand-made ones touching content/), check
 * runs, and the actions — taken with the maintainer's own token.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "~/modules/auth/auth.server";
import { createTokenSignIn } from "~/modules/auth/token.server";
import { createProposal } from "~/modules/contributions/service.server";
import { claimProposal, getEvents, getProposalRecord, markOpened, progressStore, toDeliverable } from "~/modules/contributions/store.server";
import type { ContentStore } from "~/modules/content/store.server";
import type { DataLayer } from "~/modules/db/data.server";
import type { GitHubForgeConfig } from "~/modules/forge/config.server";
import { createGitHubForge, type GitHubForgeDeps } from "~/modules/forge/github/index.server";
import { createReviewService, ReviewRefused, type Actor, type ReviewService } from "~/modules/review/service.server";
import { questionNumberOf } from "~/modules/review/renumber";
import { REPO_FILES, TEMPLATE } from "../contributions/fixtures";
import { octokitFor } from "../fake-github/helpers";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";
import { describeDialects, type TestDatabases } from "../support/databases";
import { contentRepo, loadStore, questionForm } from "./helpers";
import { testForgeDeps } from "../support/forge-deps";

const OWNER = "django-questions";
const REPO = "content";
const BOT_TOKEN = "bot-token";
const OAUTH = { clientId: "Iv1.review", clientSecret: "review-secret" };
const SITE = "http://site.test";

const cleanups: (() => unknown)[] = [];
async function cleanUp() {
  for (const f of cleanups.splice(0).reverse()) await f();
}
afterEach(cleanUp);

const deps: GitHubForgeDeps = testForgeDeps({ requestTimeoutMs: 2000, retryAfterBaseValue: 5 });

interface World {
  fake: FakeGitHub;
  /** The data layer of the test (sessions and proposals): SQLite or PostgreSQL. */
  data: DataLayer;
  store: ContentStore;
  config: GitHubForgeConfig;
  auth: Auth;
  review: ReviewService;
}

async function world(t: () => TestDatabases): Promise<World> {
  const { data } = t();
  const fake = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: REPO_FILES,
    oauth: OAUTH,
    users: [
      { login: "dq-bot", token: BOT_TOKEN, permission: "write" },
      { login: "mia", name: "Mia Maintainer", permission: "write" },
      { login: "rex", name: "Rex Reader", permission: "read" },
      { login: "ann", token: "ann-token" },
      { login: "ann-example", id: 4242 },
    ],
  });
  cleanups.push(() => fake.close());
  const store = await loadStore(contentRepo(false).contentDir);
  const config: GitHubForgeConfig = {
    kind: "github",
    owner: OWNER,
    repo: REPO,
    apiUrl: fake.url,
    auth: { type: "token", token: BOT_TOKEN },
    oauth: { ...OAUTH, url: fake.url, scope: "public_repo" },
  };
  const forge = createGitHubForge(config, deps);
  const auth = createAuth({
    data,
    secret: "k".repeat(40),
    tokenSignIn: createTokenSignIn({ enabled: false }).signIn,
    github: {
      app: { oauthUrl: fake.url, clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret, scope: "public_repo" },
      api: forge.accounts!,
      repository: `${OWNER}/${REPO}`,
    },
  });
  const review = createReviewService({ data, store, forge, log: { warn() {} } });
  return { fake, data, store, config, auth, review };
}

/** The browser's round trip: /auth/github → GitHub's authorize page (the user clicks Authorize) → /auth/github/callback. */
async function signInWithGitHub(w: World, login: string): Promise<string> {
  w.fake.oauthUser = login;
  const start = await w.auth.startGitHubSignIn(new Request(`${SITE}/auth/github`), "/review");
  const cookie = start.headers.get("set-cookie")!.split(";")[0]!;
  const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
  expect(authorize.status).toBe(302);
  const back = new URL(authorize.headers.get("location")!);
  expect(back.origin + back.pathname).toBe(`${SITE}/auth/github/callback`);
  const done = await w.auth.finishGitHubSignIn(new Request(back, { headers: { cookie } }));
  if (!(done instanceof Response)) throw new Error(`sign-in failed: ${done.error}`);
  expect(done.headers.get("location")).toBe("/review");
  return done.headers.get("set-cookie")!.split(";")[0]!;
}

async function actorFor(w: World, login: string): Promise<Actor> {
  const cookie = await signInWithGitHub(w, login);
  const m = await w.auth.requireMaintainer(new Request(`${SITE}/review`, { headers: { cookie } }));
  return { login: m.login, via: "forge", forgeToken: m.githubToken! };
}

/** A proposal sent through the form and delivered to GitHub by the forge (as the outbox does). */
async function proposeOnGitHub(w: World, form: Record<string, unknown> = questionForm, at?: Date) {
  const result = await createProposal(form, { data: w.data, content: w.store.content, contentFiles: w.store.contentFiles, template: TEMPLATE, ...(at ? { now: () => at } : {}) });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  const id = result.proposal.id;
  const now = Date.now();
  await claimProposal(w.data, id, now, now + 60_000, "github");
  const delivered = await createGitHubForge(w.config, deps).deliver(toDeliverable(result.proposal), await progressStore(w.data, id));
  await markOpened(w.data, id, delivered, now);
  return (await getProposalRecord(w.data, id))!;
}

/** A pull request made by hand (not through the form) by `ann`. */
async function handMadePull(w: World, branch: string, files: Record<string, string>, title: string): Promise<number> {
  w.fake.pushCommit(branch, files, title, { author: "ann" });
  const { data } = await octokitFor(w.fake.url, "ann-token").rest.pulls.create({ owner: OWNER, repo: REPO, head: branch, base: "main", title, body: "Made by hand." });
  return data.number;
}

describeDialects("GitHub sign-in for maintainers", (t) => {
  afterEach(cleanUp); // before the database closes
  it("a collaborator with write access signs in and is a maintainer; the token is theirs", async () => {
    const w = await world(t);
    const cookie = await signInWithGitHub(w, "mia");
    const m = await w.auth.requireMaintainer(new Request(`${SITE}/review`, { headers: { cookie } }));
    expect(m).toMatchObject({ login: "mia", name: "Mia Maintainer", role: "write", maintainer: true });
    const me = await octokitFor(w.fake.url, m.githubToken).rest.users.getAuthenticated();
    expect(me.data.login).toBe("mia");
    expect(w.fake.requests.find((r) => r.operationId === "repos/get-collaborator-permission-level")).toMatchObject({ login: "dq-bot", status: 200 });
    w.fake.assertNoViolations();
  });

  it("a user with read access signs in but gets 403 on the review queue", async () => {
    const w = await world(t);
    const cookie = await signInWithGitHub(w, "rex");
    const error = await w.auth.requireMaintainer(new Request(`${SITE}/review`, { headers: { cookie } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Response);
    expect((error as Response).status).toBe(403);
    expect(await (error as Response).json()).toMatchObject({ signedInAs: "@rex", message: expect.stringContaining("read access") });
    w.fake.assertNoViolations();
  });

  it("a denied authorization on GitHub ends in a readable error, not a session", async () => {
    const w = await world(t);
    w.fake.oauthDeny = true;
    const start = await w.auth.startGitHubSignIn(new Request(`${SITE}/auth/github`), null);
    const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const back = new URL(authorize.headers.get("location")!);
    const done = await w.auth.finishGitHubSignIn(new Request(back, { headers: { cookie: start.headers.get("set-cookie")!.split(";")[0]! } }));
    expect(done).toMatchObject({ status: 403, error: expect.stringMatching(/denied/) });
    w.fake.assertNoViolations();
  });
});

describeDialects("the review queue on GitHub", (t) => {
  afterEach(cleanUp); // before the database closes
  it("lists form pull requests and hand-made ones touching content/, with their check runs", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    const hand = await handMadePull(
      w,
      "fix-middleware",
      { "content/questions/what-is-middleware/question.md": REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("some middleware", "three middleware") },
      "Clarify the middleware question",
    );
    await handMadePull(w, "readme", { "README.md": "# Content\n" }, "Tidy the README");
    const pulls = w.fake.pulls();
    const head = (n: number) => pulls.find((x) => x.number === n)!.head.sha;
    w.fake.setCheckRun(head(p.prNumber!), { name: "content-check", conclusion: "success" });
    w.fake.setCheckRun(head(hand), { name: "content-check", conclusion: "failure" });
    w.fake.setCheckRun(head(hand), { name: "typecheck", status: "in_progress" });

    const items = await w.review.queue(mia);
    expect(items.map((i) => i.id).sort()).toEqual([p.id, `pr-${hand}`].sort());
    const form = items.find((i) => i.id === p.id)!;
    expect(form).toMatchObject({ kind: "question", number: p.prNumber, contributor: "Ann Example (@ann-example)", check: { state: "success" } });
    expect(form.url).toMatch(new RegExp(`/pull/${p.prNumber}$`));
    const manual = items.find((i) => i.id === `pr-${hand}`)!;
    expect(manual).toMatchObject({ kind: "pull-request", contributor: "@ann", title: "Clarify the middleware question", check: { state: "failure", text: "1 of 2 checks failed (content-check)" } });
    // Listing ran as the maintainer.
    expect(w.fake.requests.filter((r) => r.operationId === "pulls/list").map((r) => r.login)).toEqual(["mia"]);
    w.fake.assertNoViolations();
  });

  it("lists newest first by when the change was sent, not in GitHub's order", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    // Sent in this order, so GitHub numbers them #1 (newer proposal) and #2 (older proposal), then #3.
    const newer = await proposeOnGitHub(w, questionForm, new Date("2025-06-01T10:00:00Z"));
    const older = await proposeOnGitHub(
      w,
      { ...questionForm, title: "What does select_related do in the ORM?", body: "When does `select_related()` save queries?" },
      new Date("2025-01-01T10:00:00Z"),
    );
    const hand = await handMadePull(
      w,
      "fix-middleware",
      { "content/questions/what-is-middleware/question.md": REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("some middleware", "three middleware") },
      "Clarify the middleware question",
    );
    expect([newer.prNumber, older.prNumber, hand]).toEqual([1, 2, 3]);
    const items = await w.review.queue(mia);
    expect(items.map((i) => i.id)).toEqual([`pr-${hand}`, newer.id, older.id]);
    w.fake.assertNoViolations();
  });

  it("shows a hand-made pull request rendered as the site will, with GitHub's patch", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const changed = REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("Name some middleware", "Name **three** middleware");
    const hand = await handMadePull(w, "fix-middleware", { "content/questions/what-is-middleware/question.md": changed }, "Clarify the middleware question");
    const detail = await w.review.detail(`pr-${hand}`, mia);
    expect(detail.preview?.question.html).toContain("<strong>three</strong>");
    expect(detail.files[0]).toMatchObject({ path: "content/questions/what-is-middleware/question.md", status: "modified" });
    expect(detail.files[0]!.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "del", text: "What is middleware? Name some middleware classes Django provides." }),
        expect.objectContaining({ type: "add", text: "What is middleware? Name **three** middleware classes Django provides." }),
      ]),
    );
    // GitHub's patch gets the same word marks as the site's own diff.
    const marked = (type: string) => detail.files[0]!.lines.find((l) => l?.type === type)?.words?.filter((w) => w.changed).map((w) => w.text);
    expect(marked("del")).toEqual(["some"]);
    expect(marked("add")).toEqual(["**three**"]);
    expect(detail.open).toBe(true);
    w.fake.assertNoViolations();
  });

  it("requests changes as the maintainer: the review on GitHub is theirs, the contributor's page says so", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    await w.review.requestChanges(p.id, mia, "Please add an example with update().");
    const pull = w.fake.pulls().find((x) => x.number === p.prNumber)!;
    expect(pull.reviews).toEqual([{ user: "mia", state: "CHANGES_REQUESTED", body: "Please add an example with update()." }]);
    expect((await getProposalRecord(w.data, p.id))!.status).toBe("changes_requested");
    expect((await getEvents(w.data, p.id)).at(-1)!.detail).toBe("@mia asked for changes: Please add an example with update().");
    w.fake.assertNoViolations();
  });

  it("merges as the maintainer with a squash: the base branch gets the files in one commit", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    const path = p.files[0]!.path;
    expect(w.fake.readFile("main", path)).toBeUndefined();
    await w.review.merge(p.id, mia);

    expect(w.fake.readFile("main", path)).toBe(p.files[0]!.content);
    const [squash] = w.fake.commits("main");
    expect(squash!.parents).toHaveLength(1);
    expect(squash!.message).toMatch(new RegExp(`^Question: \u2068${questionForm.title.replace(/[?()]/g, "\\$&")}\u2069 \\(#${p.prNumber}\\)\\n`));
    // Credited by the no-reply address of the account the delivery resolved (ID+login), which GitHub links to it.
    expect(squash!.message).toContain("Co-authored-by: Ann Example <4242+ann-example@users.noreply.github.com>");
    expect(w.fake.pulls().find((x) => x.number === p.prNumber)).toMatchObject({ state: "closed", merged: true });
    expect(w.fake.requests.find((r) => r.operationId === "pulls/merge")).toMatchObject({ login: "mia", status: 200, body: expect.objectContaining({ merge_method: "squash" }) });
    expect((await getProposalRecord(w.data, p.id))!.status).toBe("merged");
    expect((await getEvents(w.data, p.id)).at(-1)!.detail).toMatch(new RegExp(`^Merged by @mia as #${p.prNumber}`));
    // Merging twice is refused.
    await expect(w.review.merge(p.id, mia)).rejects.toBeInstanceOf(ReviewRefused);
    w.fake.assertNoViolations();
  });

  it("renumbers when the question's number was taken meanwhile: a commit on the pull request, then the merge", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    const path = p.files[0]!.path;
    expect(questionNumberOf(p.files[0]!.content)).toBe(3);
    // Meanwhile another question numbered 3 lands on main (the site has not pulled it yet).
    w.fake.pushCommit("main", { "content/questions/select-related/question.md": "---\nnumber: 3\ntitle: What does select_related do?\ntags: [orm]\nadded: 2026-12-01\n---\nWhat does select_related do?\n" }, "Add question 3", { author: "mia" });

    const detail = await w.review.detail(p.id, mia);
    expect(detail.renumbering).toEqual([{ path, from: 3, to: 4 }]);
    expect(detail.preview?.question.number).toBe(4);

    await w.review.merge(p.id, mia);
    const [fix] = w.fake.commits(p.branch!);
    expect(fix!.message).toBe("Renumber the question to 4 (3 was taken meanwhile)");
    expect(w.fake.requests.find((r) => r.operationId === "repos/create-or-update-file-contents")).toMatchObject({ login: "mia" });
    const merged = w.fake.readFile("main", path)!;
    expect(questionNumberOf(merged)).toBe(4);
    expect(merged).toBe(p.files[0]!.content.replace("number: 3", "number: 4"));
    expect(questionNumberOf(w.fake.readFile("main", "content/questions/select-related/question.md")!)).toBe(3);
    expect((await getProposalRecord(w.data, p.id))!.files[0]!.content).toBe(merged);
    expect((await getEvents(w.data, p.id)).map((e) => e.type)).toEqual(expect.arrayContaining(["renumbered", "merged"]));
    w.fake.assertNoViolations();
  });

  it("closes with a comment, as the maintainer", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    await w.review.close(p.id, mia, "This is question 2 in other words.");
    const pull = w.fake.pulls().find((x) => x.number === p.prNumber)!;
    expect(pull).toMatchObject({ state: "closed", merged: false });
    expect(pull.comments).toEqual([{ user: "mia", body: "This is question 2 in other words." }]);
    expect((await getProposalRecord(w.data, p.id))!.status).toBe("closed");
    expect((await getEvents(w.data, p.id)).at(-1)!.detail).toBe("Closed by @mia without merging: This is question 2 in other words.");
    expect(await w.review.queue(mia)).toEqual([]);
    w.fake.assertNoViolations();
  });

  it("merges a hand-made pull request too (no proposal to update)", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const changed = REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("some middleware", "three middleware");
    const hand = await handMadePull(w, "fix-middleware", { "content/questions/what-is-middleware/question.md": changed }, "Clarify the middleware question");
    await w.review.merge(`pr-${hand}`, mia);
    expect(w.fake.readFile("main", "content/questions/what-is-middleware/question.md")).toBe(changed);
    expect(w.fake.commits("main")[0]!.message).toMatch(new RegExp(`^Clarify the middleware question \\(#${hand}\\)`));
    w.fake.assertNoViolations();
  });
});

describeDialects("what the site will not merge on GitHub", (t) => {
  afterEach(cleanUp); // before the database closes
  async function refused(p: Promise<unknown>): Promise<ReviewRefused> {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReviewRefused);
    return error as ReviewRefused;
  }

  function stillOpen(w: World, number: number): void {
    expect(w.fake.pulls().find((x) => x.number === number)).toMatchObject({ state: "open", merged: false });
    expect(w.fake.requests.filter((r) => r.operationId === "pulls/merge")).toEqual([]);
  }

  it("a pull request whose check run failed: the page says why, and the merge is refused", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    const head = w.fake.pulls().find((x) => x.number === p.prNumber)!.head.sha;
    w.fake.setCheckRun(head, { name: "content-check", conclusion: "failure" });

    const detail = await w.review.detail(p.id, mia);
    expect(detail.findings).toEqual([]);
    expect(detail.mergeBlocked).toBe("A check on GitHub failed — 1 of 1 check failed (content-check): it must pass before a merge.");
    expect((await refused(w.review.merge(p.id, mia))).message).toMatch(/content-check/);
    stillOpen(w, p.prNumber!);
    expect((await getProposalRecord(w.data, p.id))!.status).toBe("opened");

    // Once CI passes on a new run, it merges.
    w.fake.setCheckRun(head, { name: "content-check", conclusion: "success" });
    expect((await w.review.detail(p.id, mia)).mergeBlocked).toBeUndefined();
    await w.review.merge(p.id, mia);
    expect(w.fake.pulls().find((x) => x.number === p.prNumber)).toMatchObject({ merged: true });
    w.fake.assertNoViolations();
  });

  it("a pull request the content check finds errors in (no CI has reported): blocked on the page and at merge", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const broken = REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace(/^number: \d+$/m, "number: first");
    const hand = await handMadePull(w, "break-middleware", { "content/questions/what-is-middleware/question.md": broken }, "Break the number");

    const detail = await w.review.detail(`pr-${hand}`, mia);
    expect(detail.findings.some((f) => f.severity === "error")).toBe(true);
    expect(detail.mergeBlocked).toMatch(/^The content check found \d+ errors?: they must be fixed before a merge\.$/);
    const error = await refused(w.review.merge(`pr-${hand}`, mia));
    expect(error.status).toBe(422);
    stillOpen(w, hand);
    expect(w.fake.readFile("main", "content/questions/what-is-middleware/question.md")).toBe(REPO_FILES["content/questions/what-is-middleware/question.md"]);
    w.fake.assertNoViolations();
  });

  it("a pull request that changes files outside content/: merge it on GitHub", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const changed = REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("some middleware", "three middleware");
    const hand = await handMadePull(
      w,
      "middleware-and-ci",
      { "content/questions/what-is-middleware/question.md": changed, ".github/workflows/content.yml": "on: push\n" },
      "Clarify middleware, tweak CI",
    );
    w.fake.setCheckRun(w.fake.pulls().find((x) => x.number === hand)!.head.sha, { name: "content-check", conclusion: "success" });
    // It is in the queue (it touches content/), but the site does not merge it.
    expect((await w.review.queue(mia)).map((i) => i.id)).toContain(`pr-${hand}`);
    const detail = await w.review.detail(`pr-${hand}`, mia);
    expect(detail.mergeBlocked).toBe(
      "This pull request changes files outside content/ (.github/workflows/content.yml): the site only merges content. Review and merge it on GitHub.",
    );
    expect((await refused(w.review.merge(`pr-${hand}`, mia))).message).toMatch(/merge it on GitHub/);
    stillOpen(w, hand);
    // Not as the site's identity either.
    await refused(w.review.merge(`pr-${hand}`, { login: "maintainer", via: "token" }));
    stillOpen(w, hand);
    w.fake.assertNoViolations();
  });
});

describeDialects("who acts on GitHub", (t) => {
  afterEach(cleanUp); // before the database closes
  it("a maintainer signed in with the token acts as the site's GitHub identity, and the page says so", async () => {
    const w = await world(t);
    const p = await proposeOnGitHub(w);
    const tokenMaintainer: Actor = { login: "maintainer", via: "token" };
    const detail = await w.review.detail(p.id, tokenMaintainer);
    expect(detail.actingAs).toBe("site");
    expect((await w.review.detail(p.id, await actorFor(w, "mia"))).actingAs).toBe("maintainer");

    await w.review.merge(p.id, tokenMaintainer);
    expect(w.fake.requests.find((r) => r.operationId === "pulls/merge")).toMatchObject({ login: "dq-bot", status: 200 });
    expect((await getEvents(w.data, p.id)).at(-1)!.detail).toMatch(new RegExp(`^Merged by a maintainer as #${p.prNumber}`));
    w.fake.assertNoViolations();
  });

  it("a GitHub sign-in without a token is refused rather than acting as the site", async () => {
    const w = await world(t);
    const p = await proposeOnGitHub(w);
    const error = await w.review.merge(p.id, { login: "mia", via: "forge" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewRefused);
    expect((error as ReviewRefused).status).toBe(403);
    expect(w.fake.pulls().find((x) => x.number === p.prNumber)).toMatchObject({ state: "open", merged: false });
  });

  it("closing needs a comment: the refusal names the comment field, and nothing happens on GitHub", async () => {
    const w = await world(t);
    const mia = await actorFor(w, "mia");
    const p = await proposeOnGitHub(w);
    const error = await w.review.close(p.id, mia, "  \n ").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, field: "comment", message: expect.stringMatching(/^Write a comment/) });
    expect(w.fake.pulls().find((x) => x.number === p.prNumber)).toMatchObject({ state: "open", comments: [] });
    expect((await getProposalRecord(w.data, p.id))!.status).toBe("opened");
  });

  it("the queue asks GitHub for a hand-made pull request's files once per head commit, across requests", async () => {
    const w = await world(t);
    const changed = REPO_FILES["content/questions/what-is-middleware/question.md"]!.replace("some middleware", "three middleware");
    const hand = await handMadePull(w, "fix-middleware", { "content/questions/what-is-middleware/question.md": changed }, "Clarify the middleware question");
    // Each page load makes a new forge for the maintainer's token; two loads, two sign-ins.
    await w.review.queue(await actorFor(w, "mia"));
    await w.review.queue(await actorFor(w, "mia"));
    expect(w.fake.requests.filter((r) => r.operationId === "pulls/list-files")).toHaveLength(1);
    // A new head commit is a new question.
    w.fake.pushCommit("fix-middleware", { "content/questions/what-is-middleware/question.md": changed.replace("three", "four") }, "four", { author: "ann" });
    expect((await w.review.queue(await actorFor(w, "mia"))).map((i) => i.id)).toEqual([`pr-${hand}`]);
    expect(w.fake.requests.filter((r) => r.operationId === "pulls/list-files")).toHaveLength(2);
    w.fake.assertNoViolations();
  });
});
