/**
 * The GitHub forge and the outbox against the fake GitHub (every request is
 * checked against GitHub's OpenAPI description).
 */
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOutbox, retryProposal, type Outbox } from "~/modules/contributions/outbox.server";
import { createProposal, getProposal, type Proposal } from "~/modules/contributions/service.server";
import { setReviewStatus } from "~/modules/contributions/store.server";
import { sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import type { GitHubForgeConfig } from "~/modules/forge/config.server";
import { createGitHubForge, LABELS, type GitHubForgeDeps } from "~/modules/forge/github/index.server";
import type { Forge } from "~/modules/forge/types";
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from "../fake-github/server";
import { REPO_FILES } from "./fixtures";
import { answerForm, editForm, memoryLog, proposalContext, questionForm, tempDir } from "./helpers";
import { octokitFor } from "../fake-github/helpers";
import { describeDialects, emptyTables, type TestDatabases } from "../support/databases";
import { testForgeDeps } from "../support/forge-deps";

const OWNER = "django-questions";
const REPO = "content";
const BOT_TOKEN = "bot-token";
const NOW = new Date("2026-12-01T10:00:00Z");

const cleanups: (() => unknown)[] = [];
/** Every fake GitHub of the test: none may have seen a request the real API would reject. */
const fakes: FakeGitHub[] = [];
async function cleanUp() {
  try {
    for (const fake of fakes.splice(0)) fake.assertNoViolations();
  } finally {
    for (const f of cleanups.splice(0).reverse()) await f();
  }
}
afterEach(cleanUp);

/** The running test's databases (describeDialects: SQLite and PostgreSQL). */
let current: () => TestDatabases;

/** A suite of this file on both dialects; its cleanups run before the test's database closes. */
function suite(name: string, body: () => void): void {
  describeDialects(name, (t) => {
    current = t;
    beforeEach(() => {
      current = t;
    });
    afterEach(cleanUp);
    body();
  });
}

async function fakeGitHub(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: REPO_FILES,
    users: [
      { login: "dq-bot", token: BOT_TOKEN, permission: "write" },
      { login: "outsider", token: "outsider-token" },
      { login: "member", token: "member-token", permission: "write" },
      // The GitHub accounts of the forms' usernames (questionForm: "ann-example", editForm: "cy"), as GitHub spells them.
      { login: "Ann-Example", id: 583231, email: "ann@example.org" },
      { login: "cy", id: 7011 },
    ],
    ...options,
  });
  fakes.push(fake);
  cleanups.push(() => fake.close());
  return fake;
}

function forgeFor(fake: FakeGitHub, deps: GitHubForgeDeps = {}, token = BOT_TOKEN): Forge {
  const config: GitHubForgeConfig = { kind: "github", owner: OWNER, repo: REPO, apiUrl: fake.url, auth: { type: "token", token } };
  return createGitHubForge(config, testForgeDeps({
    retryAfterBaseValue: 5,
    // GitHub's fork takes a moment; poll it quickly in tests.
    forkReadyDelaysMs: [5, 10, 20],
    ...deps,
  }));
}

interface Env {
  fake: FakeGitHub;
  dir: string;
  /** SQLite: a database file of its own (a worker process or a restart opens it again); PostgreSQL: none. */
  db?: Database;
  /** The data layer: over `db`, or the test's PostgreSQL database. */
  data: DataLayer;
  /** PostgreSQL: the database's URL (the worker process). */
  url?: string;
  clock: { t: number };
  box: Outbox;
  forge: Forge;
}

function outboxFor(data: DataLayer, forge: Forge, clock: { t: number }): Outbox {
  const box = startOutbox({ data, forge, intervalMs: 60_000, log: memoryLog(), now: () => clock.t, random: () => 0.5 });
  cleanups.push(() => box.stop());
  return box;
}

async function setup(deps: GitHubForgeDeps = {}, token = BOT_TOKEN, fakeOptions: Partial<FakeGitHubOptions> = {}): Promise<Env> {
  const fake = await fakeGitHub(fakeOptions);
  const dir = tempDir();
  const clock = { t: Date.now() };
  const forge = forgeFor(fake, deps, token);
  const { dialect, data: postgres, url } = current();
  if (dialect === "postgres" && postgres.dialect === "postgres") {
    // A test may set up twice: each setup starts from an empty database, as on SQLite.
    await emptyTables(postgres);
    return idle({ fake, dir, data: postgres, ...(url ? { url } : {}), clock, forge, box: outboxFor(postgres, forge, clock) });
  }
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  const data = sqliteDataLayer(db);
  return idle({ fake, dir, db, data, clock, forge, box: outboxFor(data, forge, clock) });
}

/**
 * Once the outbox's first pass (at its start, on an empty database) is over: from then on it delivers only when
 * the test drains it, never a proposal the test is still setting faults up for (PostgreSQL answers asynchronously,
 * so that pass could otherwise still be looking when the test stores its proposal).
 */
async function idle(env: Env): Promise<Env> {
  await env.box.drain();
  return env;
}

/** A restart: a new process opens the database again (SQLite: the file; PostgreSQL: the same database). */
function reopen(env: Env): Pick<Env, "db" | "data"> {
  if (!env.db) return { data: env.data };
  env.db.close();
  const db = openDatabase(env.dir);
  cleanups.push(() => db.close());
  return { db, data: sqliteDataLayer(db) };
}

async function propose(env: Env, form: Record<string, unknown> = questionForm, userToken?: string): Promise<Proposal> {
  const r = await createProposal(form, proposalContext(env.data, { now: () => NOW, ...(userToken ? { userToken } : {}) }));
  if (!r.ok) throw new Error(JSON.stringify(r.fieldErrors));
  return r.proposal;
}

/** Runs the outbox until nothing is left, moving the clock past every scheduled retry. */
async function settle(env: Env, box = env.box, rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await box.drain();
    env.clock.t += 2 * 3_600_000;
  }
}

async function record(env: Env, id: string) {
  return (await getProposal(env.data, id))!;
}

const MAIN_FILES = Object.keys(REPO_FILES).sort();

suite("GitHub forge: happy paths", () => {
  it("delivers a new question: one branch, one commit by the contributor, one labelled pull request", async () => {
    const env = await setup();
    const p = await propose(env);
    const mainHead = env.fake.branch("main")!.sha;
    await env.box.drain();

    const { proposal, events } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    const branch = proposal.branch!;
    expect(branch).toBe(`contrib/question/how-do-f-expressions-avoid-race-conditions-${p.id.slice(0, 8)}`);

    // The exact file on the branch, and nothing else changed.
    const path = "content/questions/how-do-f-expressions-avoid-race-conditions/question.md";
    expect(env.fake.readFile(branch, path)).toBe(
      "---\nnumber: 3\ntitle: How do F expressions avoid race conditions?\ntags: [orm, models]\nadded: 2026-12-01\ncredit: Ann Example\n---\n" +
        "Explain how `F()` expressions avoid race conditions when updating a counter.\n",
    );
    expect(env.fake.branch(branch)!.files).toEqual([...MAIN_FILES, path].sort());
    for (const f of MAIN_FILES) expect(env.fake.readFile(branch, f)).toBe(REPO_FILES[f]);

    // One commit on top of main, authored by the contributor's GitHub account (its ID+login no-reply
    // address, with the login as GitHub spells it): the author already is that account, so no co-author.
    const [commit, parent] = env.fake.commits(branch);
    expect(parent!.sha).toBe(mainHead);
    expect(commit!.parents).toEqual([mainHead]);
    expect(commit!.author).toMatchObject({ name: "Ann Example", email: "583231+Ann-Example@users.noreply.github.com", date: "2026-12-01T10:00:00Z" });
    expect(commit!.message).toBe(
      "Add question: \u2068How do F expressions avoid race conditions?\u2069\n\n" +
        "Proposed by \u2068Ann Example\u2069 on the Django Questions site.\n\n" +
        `- ${path}\n\n` +
        `Proposal-Id: ${p.id}\n`,
    );

    // One pull request with the title, body and labels.
    const pulls = env.fake.pulls();
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      number: proposal.prNumber,
      state: "open",
      title: "Question: \u2068How do F expressions avoid race conditions?\u2069",
      body: p.prBody,
      user: "dq-bot",
      head: { ref: branch, repo: `${OWNER}/${REPO}` },
      base: { ref: "main" },
      labels: ["contribution", "question"],
    });
    expect(pulls[0]!.body).toContain(`<!-- django-questions:proposal {"id":"${p.id}","kind":"question"} -->`);
    expect(proposal.prUrl).toMatch(new RegExp(`/${OWNER}/${REPO}/pull/${proposal.prNumber}$`));
    const labels = Object.fromEntries(env.fake.labels().map((l) => [l.name, l]));
    expect(labels.contribution).toMatchObject({ color: LABELS.contribution!.color, description: LABELS.contribution!.description });
    expect(labels.question).toMatchObject({ color: LABELS.question!.color });

    // The API calls of the happy path (first proposal of the process).
    expect(env.fake.requests.map((r) => r.operationId)).toEqual([
      "repos/get", // once per process: the default branch
      "users/get-by-username", // the contributor's GitHub account (once per process and username)
      "git/get-ref",
      "git/get-commit", // skipped while main has not moved
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "pulls/create",
      "issues/create-label", // once per process and label
      "issues/create-label",
      "issues/add-labels",
    ]);
    expect(events.map((e) => e.type)).toEqual(["created", "attempt", "branch", "pull-request", "labelled", "opened"]);
    env.fake.assertNoViolations();
  });

  it("delivers an answer (author e-mail, no co-author) with 7 calls once the process is warm (6 + creating the new \"answer\" label)", async () => {
    const env = await setup();
    await propose(env);
    await env.box.drain();
    const before = env.fake.requests.length;
    const p = await propose(env, answerForm);
    await env.box.drain();

    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    const path = "content/questions/querysets-are-lazy/answers/2026-12-01-bob-builder.md";
    expect(proposal.branch).toMatch(/^contrib\/answer\/querysets-are-lazy-/);
    expect(env.fake.readFile(proposal.branch!, path)).toBe(
      `---\nauthor: Bob Builder\ndate: 2026-12-01\n---\n${answerForm.body}\n`,
    );
    const [commit] = env.fake.commits(proposal.branch!);
    expect(commit!.author).toMatchObject({ name: "Bob Builder", email: "bob@example.org" });
    expect(commit!.message).toContain(`Proposal-Id: ${p.id}\n`);
    expect(commit!.message).not.toContain("Co-authored-by");
    // The question proposal's file is not on the answer's branch: every proposal starts from main.
    expect(env.fake.branch(proposal.branch!)!.files).toEqual([...MAIN_FILES, path].sort());

    const pull = env.fake.pulls().find((x) => x.number === proposal.prNumber)!;
    expect(pull).toMatchObject({ title: "Answer: \u2068Why QuerySets are lazy\u2069", labels: ["contribution", "answer"] });
    expect(env.fake.requests.slice(before).map((r) => r.operationId)).toEqual([
      "git/get-ref",
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "pulls/create",
      "issues/create-label", // "answer" is new to this process
      "issues/add-labels",
    ]);
    env.fake.assertNoViolations();
  });

  it("credits the GitHub user as co-author (ID+login no-reply address) when the author is someone else; the account is looked up once per process", async () => {
    const env = await setup();
    // GitHub matches usernames whatever their casing, and answers with the account's own spelling.
    const p = await propose(env, { ...questionForm, github: "ANN-EXAMPLE", email: "ann.work@example.org" });
    await env.box.drain();
    const first = (await record(env, p.id)).proposal;
    expect(first.status).toBe("opened");
    const [commit] = env.fake.commits(first.branch!);
    expect(commit!.author).toMatchObject({ name: "Ann Example", email: "ann.work@example.org" });
    expect(commit!.message.endsWith(`Proposal-Id: ${p.id}\nCo-authored-by: Ann Example <583231+Ann-Example@users.noreply.github.com>\n`)).toBe(true);
    expect(env.fake.requests.filter((r) => r.operationId === "users/get-by-username").map((r) => r.status)).toEqual([200]);

    // Same account, with the e-mail it shows on its profile: the author is that account, no co-author line.
    // The account is known to the process: 6 calls.
    const before = env.fake.requests.length;
    const q = await propose(env, {
      ...questionForm,
      title: "When does select_for_update lock rows?",
      body: "Which rows does `select_for_update()` lock, and until when?",
      email: "ann@example.org",
    });
    await env.box.drain();
    const second = (await record(env, q.id)).proposal;
    expect(second.status).toBe("opened");
    const [own] = env.fake.commits(second.branch!);
    expect(own!.author).toMatchObject({ name: "Ann Example", email: "ann@example.org" });
    expect(own!.message).not.toContain("Co-authored-by");
    expect(env.fake.requests.slice(before).map((r) => r.operationId)).toEqual([
      "git/get-ref",
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "pulls/create",
      "issues/add-labels",
    ]);
    env.fake.assertNoViolations();
  });

  it("a GitHub username GitHub does not know: the pull request is opened without the credit, and the status page says so", async () => {
    const env = await setup();
    const p = await propose(env, { ...questionForm, github: "ann-exampel" });
    await env.box.drain();
    const { proposal, events } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    expect(proposal.lastError).toBeNull();
    expect(env.fake.pulls()).toHaveLength(1);
    const [commit] = env.fake.commits(proposal.branch!);
    // Credited to nobody rather than to an address no account owns.
    expect(commit!.author).toMatchObject({ name: "Ann Example", email: "contributors@noreply.django-questions.invalid" });
    expect(commit!.message).not.toContain("Co-authored-by");
    expect(commit!.message).not.toContain("ann-exampel");
    // The history on the status page (these events) tells the contributor why.
    expect(events.map((e) => e.type)).toEqual(["created", "attempt", "github-user-not-found", "branch", "pull-request", "labelled", "opened"]);
    expect(events.find((e) => e.type === "github-user-not-found")!.detail).toBe("GitHub user ann-exampel not found: not credited as co-author.");
    // The 404 was GitHub's answer to the lookup, one more call than without a username.
    expect(env.fake.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual([
      "repos/get 200",
      "users/get-by-username 404",
      "git/get-ref 200",
      "git/get-commit 200",
      "git/create-tree 201",
      "git/create-commit 201",
      "git/create-ref 201",
      "pulls/create 201",
      "issues/create-label 201",
      "issues/create-label 201",
      "issues/add-labels 200",
    ]);
    env.fake.assertNoViolations();
  });

  it("a GitHub username that names an organization is not credited either", async () => {
    const env = await setup();
    const p = await propose(env, { ...questionForm, github: OWNER, email: "ann@example.org" });
    await env.box.drain();
    const { proposal, events } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    const [commit] = env.fake.commits(proposal.branch!);
    expect(commit!.author).toMatchObject({ email: "ann@example.org" });
    expect(commit!.message).not.toContain("Co-authored-by");
    expect(events.find((e) => e.type === "github-user-not-found")!.detail).toBe(
      `${OWNER} is a GitHub organization, not a user: not credited as co-author.`,
    );
  });

  it("delivers an edit that replaces exactly one file", async () => {
    const env = await setup();
    const p = await propose(env, editForm);
    await env.box.drain();
    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    const path = "content/questions/what-is-middleware/question.md";
    expect(proposal.branch).toMatch(/^contrib\/question\/what-is-middleware-/);
    expect(env.fake.readFile(proposal.branch!, path)).toBe(
      '---\nnumber: 1\ntitle: "Middleware: what it is and when you need it"\ntags: [http]\nadded: 2026-11-25\n---\n' +
        "What is middleware? Name three middleware classes Django provides and what they do.\n",
    );
    expect(env.fake.branch(proposal.branch!)!.files).toEqual(MAIN_FILES);
    for (const f of MAIN_FILES.filter((x) => x !== path)) expect(env.fake.readFile(proposal.branch!, f)).toBe(REPO_FILES[f]);
    const [commit] = env.fake.commits(proposal.branch!);
    expect(commit!.message.split("\n")[0]).toBe("Edit question: \u2068Middleware: what it is and when you need it\u2069");
    const pull = env.fake.pulls()[0]!;
    expect(pull).toMatchObject({ title: "Edit: \u2068Middleware: what it is and when you need it\u2069", labels: ["contribution", "question", "edit"] });
    // The contributor's note cannot close issues or ping people.
    expect(pull.body).toContain("> \u2068Asked for three classes instead of some; fixes #\u200b12, cc @\u200bsomeone\u2069");
    expect(pull.body).not.toMatch(/#12|@someone/);
    env.fake.assertNoViolations();
  });

  it("labels an edit by what it changes: contribution + answer + edit for an answer", async () => {
    const env = await setup();
    const path = "content/questions/what-is-middleware/answers/2026-11-26-jane-doe.md";
    const p = await propose(env, {
      ...editForm,
      path,
      title: undefined,
      tags: undefined,
      body: "Middleware wraps every request and response, in the order of MIDDLEWARE.",
      note: "",
    });
    await env.box.drain();
    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    expect(env.fake.readFile(proposal.branch!, path)).toContain("in the order of MIDDLEWARE.");
    expect(env.fake.pulls()[0]!.labels).toEqual(["contribution", "answer", "edit"]);
    expect(env.fake.labels().find((l) => l.name === "edit")).toMatchObject({ color: LABELS.edit!.color });
  });

  it("reports the pull request's state", async () => {
    const env = await setup();
    const p = await propose(env);
    await env.box.drain();
    const number = (await record(env, p.id)).proposal.prNumber!;
    expect(await env.forge.getState({ number })).toBe("open");
    env.fake.mergePull(number);
    expect(await env.forge.getState({ number })).toBe("merged");
    env.fake.assertNoViolations();
  });
});

const STEPS = [
  "repos/get",
  "users/get-by-username",
  "git/get-ref",
  "git/get-commit",
  "git/create-tree",
  "git/create-commit",
  "git/create-ref",
  "pulls/create",
  "issues/create-label",
  "issues/add-labels",
] as const;

const BEFORE_PULL = new Set<string>(STEPS.slice(0, 8));

async function expectOnePullWithFiles(env: Env, p: Proposal): Promise<void> {
  const { proposal } = (await record(env, p.id));
  expect(proposal.status).toBe("opened");
  const pulls = env.fake.pulls();
  expect(pulls).toHaveLength(1);
  expect(pulls[0]!.number).toBe(proposal.prNumber);
  expect(pulls[0]!.head.ref).toBe(proposal.branch);
  for (const f of p.files) expect(env.fake.readFile(proposal.branch!, f.path)).toBe(f.content);
  // The branch holds exactly one commit on top of main.
  const commits = env.fake.commits(proposal.branch!);
  expect(commits[0]!.message).toContain(`Proposal-Id: ${p.id}`);
  expect(commits[1]!.sha).toBe(env.fake.branch("main")!.sha);
  expect(pulls[0]!.labels).toEqual(["contribution", "question"]);
  // Only one branch was ever created (a lost answer still created it).
  expect(env.fake.requests.filter((r) => r.operationId === "git/create-ref" && (r.status === 201 || r.injected === "after"))).toHaveLength(1);
}

for (const step of STEPS) {
  suite(`GitHub forge: faults on ${step}`, () => {
    it("500 Server Error: retried later, one pull request", async () => {
      const env = await setup();
      env.fake.inject({ path: step, status: 500, times: 1 });
      const p = await propose(env);
      await env.box.drain();
      const after = (await record(env, p.id));
      expect(after.proposal.status).toBe("queued");
      expect(after.events.at(-1)!.detail).toMatch(/GitHub error 500 while .* retrying in 23 s/);
      await settle(env);
      await expectOnePullWithFiles(env, p);
      env.fake.assertNoViolations();
    });

    it("timeout (no answer in time): retried, one pull request", async () => {
      const env = await setup({ requestTimeoutMs: 300 });
      env.fake.inject({ path: step, delayMs: 1500, times: 1 });
      const p = await propose(env);
      await settle(env);
      await expectOnePullWithFiles(env, p);
      expect((await record(env, p.id)).events.some((e) => e.type === "retry-scheduled" && /timeout|abort/i.test(e.detail))).toBe(true);
      env.fake.assertNoViolations();
    });

    it("timeout after GitHub did the work (the answer came too late): retried, one pull request", async () => {
      const env = await setup({ requestTimeoutMs: 300 });
      env.fake.injectAfter({ path: step, delayMs: 1500, times: 1 });
      const p = await propose(env);
      await settle(env);
      // The fake logs the slow request once its late answer is sent.
      for (let i = 0; i < 100 && !env.fake.requests.some((r) => r.operationId === step && r.injected === "after"); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(env.fake.requests.some((r) => r.operationId === step && r.injected === "after")).toBe(true);
      await expectOnePullWithFiles(env, p);
      expect((await record(env, p.id)).events.some((e) => e.type === "retry-scheduled" && /timeout|abort/i.test(e.detail))).toBe(true);
    });

    it("403 secondary rate limit with a short retry-after: retried at once in the same attempt", async () => {
      const env = await setup();
      env.fake.inject({
        path: step,
        status: 403,
        headers: { "retry-after": "1" },
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      });
      const p = await propose(env);
      await env.box.drain();
      await expectOnePullWithFiles(env, p);
      expect((await record(env, p.id)).proposal.attempts).toBe(1);
      env.fake.assertNoViolations();
    });

    it("403 secondary rate limit with a long retry-after: waits until then, one pull request", async () => {
      const env = await setup();
      env.fake.inject({
        path: step,
        status: 403,
        headers: { "retry-after": "600" },
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      });
      const p = await propose(env);
      const start = Date.now();
      await env.box.drain();
      const waiting = (await record(env, p.id));
      expect(waiting.proposal.status).toBe("queued");
      expect(waiting.events.at(-1)!.type).toBe("rate-limited");
      expect(Date.parse(waiting.proposal.nextAttemptAt!)).toBeGreaterThanOrEqual(start + 600_000);
      await settle(env);
      await expectOnePullWithFiles(env, p);
      env.fake.assertNoViolations();
    });

    it("422 Unprocessable: a failed proposal with its reason, or labels skipped", async () => {
      const env = await setup();
      env.fake.inject({ path: step, status: 422, times: 1 });
      const p = await propose(env);
      await settle(env);
      const { proposal, events } = (await record(env, p.id));
      expect(proposal.files).toEqual(p.files);
      if (BEFORE_PULL.has(step)) {
        expect(proposal.status).toBe("failed");
        expect(proposal.lastError).toMatch(/^GitHub refused .*\(422 Unprocessable Entity\)/);
        expect(env.fake.pulls()).toHaveLength(0);
      } else {
        expect(proposal.status).toBe("opened");
        expect(env.fake.pulls()).toHaveLength(1);
        expect(events.some((e) => e.type === "label-not-created" || e.type === "labels-skipped")).toBe(true);
      }
      env.fake.assertNoViolations();
    });

    it("done on GitHub but the answer was lost, then the server restarts: one pull request", async () => {
      const env = await setup();
      env.fake.injectAfter({ path: step, status: 502, times: 1 });
      const p = await propose(env);
      await env.box.drain();
      // Restart: a new process (database connection, forge, outbox) takes over.
      await env.box.stop();
      const again = reopen(env);
      const forge = forgeFor(env.fake);
      const restarted: Env = { ...env, ...again, forge, box: outboxFor(again.data, forge, env.clock) };
      await settle(restarted);
      await expectOnePullWithFiles(restarted, p);
      env.fake.assertNoViolations();
    });
  });
}

suite("GitHub forge: idempotency and configuration problems", () => {
  it("an in-process retry after a lost pull request answer reuses the pull request (Octokit retry plugin)", async () => {
    const env = await setup({ retries: 2 });
    env.fake.injectAfter({ path: "pulls/create", status: 502, times: 1 });
    env.fake.injectAfter({ path: "git/create-ref", status: 502, times: 1 });
    const p = await propose(env);
    await env.box.drain();
    await expectOnePullWithFiles(env, p);
    expect((await record(env, p.id)).proposal.attempts).toBe(1);
    expect(env.fake.count("git/create-ref")).toBe(2); // the second one answers "Reference already exists"
    expect(env.fake.count("pulls/create")).toBe(2); // the second one answers "A pull request already exists"
    // Once before creating (the branch already existed, so a pull request might too) and once after the 422.
    expect(env.fake.count("pulls/list")).toBe(2);
    env.fake.assertNoViolations();
  });

  it("a pull request of an earlier attempt that a maintainer closed meanwhile: the proposal is closed, no second pull request", async () => {
    const env = await setup();
    env.fake.injectAfter({ path: "pulls/create", status: 502, times: 1 });
    const p = await propose(env);
    await env.box.drain();
    expect((await record(env, p.id)).proposal.status).toBe("queued");
    const [pull] = env.fake.pulls();
    // A maintainer closes it on GitHub before the retry.
    await octokitFor(env.fake.url, "member-token").rest.pulls.update({ owner: OWNER, repo: REPO, pull_number: pull!.number, state: "closed" });
    await settle(env);
    const { proposal, events } = (await record(env, p.id));
    expect(proposal.status).toBe("closed");
    expect(proposal.prNumber).toBe(pull!.number);
    expect(env.fake.pulls()).toHaveLength(1);
    expect(env.fake.pulls()[0]!.state).toBe("closed");
    expect(env.fake.count("pulls/create")).toBe(1);
    expect(events.at(-1)!.detail).toMatch(/was closed on GitHub/);
  });

  it("the process is killed (SIGKILL) after GitHub opened the pull request but before the answer: after the restart, one pull request", async () => {
    const env = await setup();
    const p = await propose(env);
    await env.box.stop(); // the delivery runs in the child process only
    // GitHub opens the pull request; its answer takes 5 s, and the worker dies before it arrives.
    env.fake.injectAfter({ path: "pulls/create", delayMs: 5000 });
    const child = spawn(process.execPath, ["--import", "tsx", "tests/contributions/outbox-worker.ts", env.url ?? env.dir, env.fake.url, BOT_TOKEN], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    for (let i = 0; env.fake.pulls().length === 0; i++) {
      if (i > 1200 || child.exitCode !== null) throw new Error(`the worker never opened the pull request: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const killed = (await record(env, p.id)).proposal;
    expect(killed).toMatchObject({ status: "queued", inFlight: true, prNumber: null });
    expect(killed.branch).toMatch(/^contrib\/question\//);

    // Restart: a new process (database connection, forge, outbox) takes over.
    const again = reopen(env);
    const forge = forgeFor(env.fake);
    const restarted: Env = { ...env, ...again, forge, box: outboxFor(again.data, forge, env.clock) };
    await settle(restarted);
    await expectOnePullWithFiles(restarted, p);
    const { events } = await record(restarted, p.id);
    // SQLite (one instance): released at start; PostgreSQL: taken again once the killed worker's lease lapsed.
    if (env.db) expect(events.map((e) => e.type)).toContain("recovered");
    else expect(events.map((e) => e.type).filter((t) => t === "attempt")).toHaveLength(2);
    expect(events.find((e) => e.type === "pull-request")!.detail).toMatch(/Found the pull request #\d+ opened by an earlier attempt/);
  }, 60_000);

  it("crash after the commit but before the branch: the next attempt reuses the saved commit", async () => {
    const env = await setup();
    env.fake.inject({ path: "git/create-ref", status: 503, times: 1 });
    const p = await propose(env);
    await env.box.drain();
    const saved = (await record(env, p.id)).proposal.commitSha;
    expect(saved).toMatch(/^[0-9a-f]{40}$/);
    await settle(env);
    expect((await record(env, p.id)).proposal.commitSha).toBe(saved);
    expect(env.fake.count("git/create-commit")).toBe(1);
    await expectOnePullWithFiles(env, p);
  });

  it("refuses to adopt a branch of the same name that is not the proposal's", async () => {
    const env = await setup();
    const p = await propose(env);
    const branch = `contrib/question/how-do-f-expressions-avoid-race-conditions-${p.id.slice(0, 8)}`;
    env.fake.pushCommit(branch, { "content/other.md": "x\n" }, "Someone else's work");
    await settle(env);
    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("failed");
    expect(proposal.lastError).toMatch(/already exists .* does not belong to this proposal/);
    expect(env.fake.pulls()).toHaveLength(0);
    env.fake.assertNoViolations();
  });

  it("401 bad token: failed with a clear reason; after fixing the token, retryProposal delivers it", async () => {
    const env = await setup({}, "wrong-token");
    const p = await propose(env);
    await settle(env);
    const failed = (await record(env, p.id)).proposal;
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/^GitHub rejected the token \(401 Bad credentials\) while reading the repository: check GITHUB_TOKEN/);
    expect(env.fake.requests).toHaveLength(1);

    // The operator fixes GITHUB_TOKEN and restarts; then retries the proposal.
    await env.box.stop();
    const forge = forgeFor(env.fake);
    const box = outboxFor(env.data, forge, env.clock);
    await box.drain();
    expect((await record(env, p.id)).proposal.status).toBe("failed");
    expect(await retryProposal(env.data, p.id, box, env.clock.t)).toBe(true);
    await box.drain();
    await expectOnePullWithFiles(env, p);
    env.fake.assertNoViolations();
  });

  it("no write access (404 or 403) and a wrong repository: failed, naming what to check", async () => {
    const env = await setup({}, "outsider-token");
    const p = await propose(env);
    await settle(env);
    // GitHub hides what a token may not change behind 404.
    expect((await record(env, p.id)).proposal.lastError).toMatch(
      /^GitHub answered 404 Not Found while creating the tree: check GITHUB_REPOSITORY=django-questions\/content .* write to it/,
    );

    const denied = await setup();
    denied.fake.inject({ path: "git/create-tree", status: 403, body: { message: "Resource not accessible by integration" } });
    const q = await propose(denied);
    await settle(denied);
    expect((await record(denied, q.id)).proposal.lastError).toMatch(
      /^GitHub refused access \(403 Resource not accessible by integration\) while creating the tree: GITHUB_TOKEN needs write access to django-questions\/content/,
    );

    const wrong = createGitHubForge(
      { kind: "github", owner: OWNER, repo: "no-such-repo", apiUrl: env.fake.url, auth: { type: "token", token: BOT_TOKEN } },
      { retries: 0 },
    );
    const elsewhere = await setup();
    const box = outboxFor(elsewhere.data, wrong, env.clock);
    const r = await createProposal(questionForm, proposalContext(elsewhere.data, { now: () => NOW }));
    if (!r.ok) throw new Error("refused");
    await box.drain();
    const failed = (await getProposal(elsewhere.data, r.proposal.id))!.proposal;
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/while reading the repository: check GITHUB_REPOSITORY=django-questions\/no-such-repo/);
    env.fake.assertNoViolations();
    denied.fake.assertNoViolations();
  });

  it("primary rate limit (x-ratelimit-remaining: 0): waits for x-ratelimit-reset", async () => {
    const env = await setup();
    const reset = Math.floor(Date.now() / 1000) + 1800;
    env.fake.inject({
      path: "git/create-tree",
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for user ID 1." },
    });
    const p = await propose(env);
    await env.box.drain();
    const waiting = (await record(env, p.id)).proposal;
    expect(waiting.status).toBe("queued");
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThanOrEqual(reset * 1000);
    await settle(env);
    await expectOnePullWithFiles(env, p);
  });
});

suite("GitHub forge: signed-in contributors", () => {
  it("forks for a contributor without push access, waits for GitHub to finish the fork, and opens the pull request from it", async () => {
    const env = await setup();
    const p = await propose(env, questionForm, "outsider-token");
    expect(p.hasUserToken).toBe(true);
    await env.box.drain();
    const { proposal, events } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    expect(proposal.hasUserToken).toBe(false); // forgotten once delivered
    expect(proposal.progress).toMatchObject({ headOwner: "outsider", headRepo: REPO });
    // The branch lives in the fork, not upstream.
    expect(env.fake.branch(proposal.branch!)).toBeUndefined();
    const forkBranch = env.fake.branch(proposal.branch!, `outsider/${REPO}`)!;
    expect(forkBranch.parents).toEqual([env.fake.branch("main")!.sha]);
    for (const f of p.files) expect(env.fake.readFile(proposal.branch!, f.path, `outsider/${REPO}`)).toBe(f.content);
    const pulls = env.fake.pulls();
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      user: "outsider",
      head: { ref: proposal.branch, repo: `outsider/${REPO}` },
      base: { ref: "main", repo: `${OWNER}/${REPO}` },
      labels: ["contribution", "question"], // added by the site's token: the contributor cannot label
    });
    expect(env.fake.count("repos/create-fork")).toBe(1);
    expect(env.fake.count("repos/merge-upstream")).toBe(1);
    expect(events.map((e) => e.type)).toContain("forked");
    // The new fork answered "Git Repository is empty." twice (GitHub forks in the background) before it could be used.
    expect(env.fake.requests.map((r) => r.operationId)).toEqual([
      "repos/get", // the default branch (site's token)
      "repos/get", // may the contributor push? (their token)
      "repos/create-fork",
      "git/get-ref", // 409: the fork is not ready yet
      "git/get-ref", // 409
      "git/get-ref", // ready: the fork's head
      "repos/merge-upstream", // "none": the head just read is still the head
      "users/get-by-username", // the form's GitHub username (site's token)
      "git/get-commit",
      "git/create-tree",
      "git/create-commit",
      "git/create-ref",
      "pulls/create",
      "issues/create-label",
      "issues/create-label",
      "issues/add-labels",
    ]);
    expect(env.fake.requests.filter((r) => r.operationId === "git/get-ref").map((r) => `${r.path.split("/")[2]} ${r.status}`)).toEqual([
      "outsider 409",
      "outsider 409",
      "outsider 200",
    ]);
  });

  it("a fork GitHub takes long to make: the attempt ends as a retry (never a configuration failure), the next continues in the same fork", async () => {
    const env = await setup({}, BOT_TOKEN, { forkReadiness: { requests: 6 } });
    const p = await propose(env, questionForm, "outsider-token");
    await env.box.drain();
    const waiting = (await record(env, p.id));
    expect(waiting.proposal.status).toBe("queued");
    expect(waiting.proposal.progress).toMatchObject({ headOwner: "outsider", headRepo: REPO });
    expect(waiting.proposal.progress.forkReady).toBeUndefined();
    expect(waiting.events.at(-1)!.detail).toMatch(/GitHub is still creating the fork outsider\/content \(it answered 409 Git Repository is empty\./);
    expect(waiting.proposal.hasUserToken).toBe(true);
    await settle(env);
    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    expect(env.fake.count("repos/create-fork")).toBe(1);
    expect(env.fake.pulls()).toHaveLength(1);
    expect(env.fake.pulls()[0]).toMatchObject({ user: "outsider", head: { ref: proposal.branch, repo: `outsider/${REPO}` } });
    for (const f of p.files) expect(env.fake.readFile(proposal.branch!, f.path, `outsider/${REPO}`)).toBe(f.content);
  });

  it("keeps a signed-in contributor's token through a configuration failure for at most 24 hours, and forgets it when delivered, refused or decided", async () => {
    // A configuration failure (the site's token is wrong): the token waits for the retry after the fix.
    const env = await setup({}, "wrong-token");
    const p = await propose(env, questionForm, "member-token");
    await env.box.drain();
    expect((await record(env, p.id)).proposal).toMatchObject({ status: "failed", hasUserToken: true });
    env.clock.t += 23 * 3_600_000;
    await env.box.drain();
    expect((await record(env, p.id)).proposal.hasUserToken).toBe(true);
    env.clock.t += 2 * 3_600_000;
    await env.box.drain();
    const forgotten = (await record(env, p.id));
    expect(forgotten.proposal.hasUserToken).toBe(false);
    expect(forgotten.events.at(-1)!.type).toBe("sign-in-forgotten");

    // Refused for good (not a configuration problem): forgotten at once.
    const refused = await setup();
    refused.fake.inject({ path: "git/create-tree", status: 422 });
    const q = await propose(refused, questionForm, "member-token");
    await refused.box.drain();
    expect((await record(refused, q.id)).proposal).toMatchObject({ status: "failed", hasUserToken: false });

    // A maintainers' decision on a proposal that still held a token forgets it.
    const decided = await setup({}, "wrong-token");
    const r = await propose(decided, questionForm, "member-token");
    await decided.box.drain();
    expect((await record(decided, r.id)).proposal.hasUserToken).toBe(true);
    await setReviewStatus(decided.data, r.id, "closed", "Closed by a maintainer.", decided.clock.t);
    expect((await record(decided, r.id)).proposal).toMatchObject({ status: "closed", hasUserToken: false });
  });

  it("a fork flow interrupted after the fork resumes in the same fork", async () => {
    const env = await setup();
    env.fake.inject({ path: "pulls/create", status: 500, times: 1 });
    const p = await propose(env, questionForm, "outsider-token");
    await settle(env);
    expect((await record(env, p.id)).proposal.status).toBe("opened");
    expect(env.fake.pulls()).toHaveLength(1);
    expect(env.fake.count("repos/create-fork")).toBe(1);
    env.fake.assertNoViolations();
  });

  it("opens the pull request as a contributor who can push, from a branch of the repository", async () => {
    const env = await setup();
    const p = await propose(env, questionForm, "member-token");
    await env.box.drain();
    const { proposal } = (await record(env, p.id));
    expect(proposal.status).toBe("opened");
    expect(env.fake.branch(proposal.branch!)).toBeDefined();
    expect(env.fake.pulls()[0]).toMatchObject({ user: "member", head: { repo: `${OWNER}/${REPO}` } });
    expect(env.fake.count("repos/create-fork")).toBe(0);
    env.fake.assertNoViolations();
  });
});
