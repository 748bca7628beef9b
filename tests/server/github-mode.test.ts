/**
 * The contribution loop in GitHub mode, end to end through the running
 * production server: environment → services → form → outbox → (fake) GitHub
 * → signed webhook → status page.
 *
 * The fake GitHub is seeded with the repository's real `content/` files and
 * checks every request against GitHub's OpenAPI description; the app talks to
 * it exactly as it would to api.github.com (throttling included, so each
 * delivery takes a few seconds).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BranchInfo, RequestRecord } from "../fake-github/server";
import type { AppServer } from "../support/app-server";
import { ROOT } from "../support/app-server";
import { BOT, MAINTAINER, OWNER, PUBLIC_URL, REPO, startGitHubModeApp, type GitHubMode } from "../support/fake-github-app";

let gh: GitHubMode;
let badApp: AppServer;

beforeAll(async () => {
  gh = await startGitHubModeApp({
    env: { PROPOSAL_RATE_LIMIT: "1000", OUTBOX_RETRY_BASE_MS: "1000" },
    // A second app with a token GitHub rejects (its webhook is not configured: it never gets that far).
    others: [{ token: "bad", env: { PROPOSAL_RATE_LIMIT: "1000" } }],
  });
  badApp = gh.others[0]!;
});
afterAll(async () => {
  await gh?.stop();
});
// No test may make a request the real GitHub would reject.
afterEach(() => {
  gh?.fake.assertNoViolations();
});

// ---------------------------------------------------------------------------
// helpers

const PR_URL = new RegExp(`href="(https://github\\.com/${OWNER}/${REPO}/pull/(\\d+))"`);

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The highest question number in the repository's content folder, + 1. */
function nextFreeNumber(): number {
  const dir = path.join(ROOT, "content/questions");
  let max = 0;
  for (const slug of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, slug, "question.md"), "utf8");
    max = Math.max(max, Number(/^number: (\d+)$/m.exec(text)![1]));
  }
  return max + 1;
}

function decodeHtml(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Sends a proposal form as a browser would (same-origin POST, form-encoded); returns the proposal id. */
async function submit(app: AppServer, pathname: string, fields: Record<string, string | string[]>): Promise<string> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ licence: "on", intent: "submit", submissionKey: crypto.randomUUID().replace(/-/g, ""), ...fields })) {
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  }
  const res = await fetch(app.url + pathname, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    body: body.toString(),
  });
  const text = res.status === 303 ? "" : await res.text();
  expect(res.status, `form refused:\n${text.slice(0, 3000)}`).toBe(303);
  const location = res.headers.get("location") ?? "";
  const m = /^\/contributions\/([A-Za-z0-9_-]+)$/.exec(location);
  expect(m, `redirect to ${location}`).not.toBeNull();
  return m![1]!;
}

interface StatusView {
  status: string | undefined;
  html: string;
  /** Decoded text of the page (entities resolved). */
  text: string;
  prUrl?: string;
  prNumber?: number;
}

async function statusPage(app: AppServer, id: string): Promise<StatusView> {
  const res = await fetch(`${app.url}/contributions/${id}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const pr = PR_URL.exec(html);
  return {
    status: /data-status="([a-z_]+)"/.exec(html)?.[1],
    html,
    text: decodeHtml(html),
    ...(pr ? { prUrl: pr[1]!, prNumber: Number(pr[2]) } : {}),
  };
}

/** Polls the status page until it shows `status`; returns that page. */
async function waitForStatus(app: AppServer, id: string, status: string, timeout = 20_000): Promise<StatusView> {
  await expect
    .poll(async () => (await statusPage(app, id)).status, { timeout, interval: 200, message: `status of ${id}; server output:\n${app.output().slice(-3000)}` })
    .toBe(status);
  return statusPage(app, id);
}

function pullsFor(id: string) {
  return gh.fake.pulls().filter((p) => (p.body ?? "").includes(id));
}

function onlyPull(id: string) {
  const pulls = pullsFor(id);
  expect(pulls, `pull requests of ${id}`).toHaveLength(1);
  return pulls[0]!;
}

/** Paths a branch adds, changes or removes compared with `base` (a snapshot of main taken earlier). */
function changedPaths(branch: string, base: BranchInfo): string[] {
  const head = gh.fake.branch(branch)!;
  const changed = head.files.filter((p) => !base.files.includes(p) || gh.fake.readFile(head.sha, p) !== gh.fake.readFile(base.sha, p));
  changed.push(...base.files.filter((p) => !head.files.includes(p)));
  return changed.sort();
}

/** GitHub API as the maintainer (fetch, as their browser or `gh` would). */
async function asMaintainer(method: string, pathname: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  const res = await fetch(gh.fake.url + pathname, {
    method,
    headers: {
      Authorization: `token ${MAINTAINER.token}`,
      Accept: "application/vnd.github+json",
      "User-Agent": "maintainer-test",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, data: await res.json() };
}

function operations(calls: RequestRecord[]): string[] {
  return calls.map((c) => c.operationId ?? `${c.method} ${c.path}`);
}

// The proposals made in the tests below, for the later review steps.
const made: { question?: { id: string; number: number }; second?: { id: string; number: number } } = {};

// ---------------------------------------------------------------------------

describe("a new question through the running app in GitHub mode", () => {
  it("opens exactly one pull request with the exact file, author and labels, and the status page links it", async () => {
    const title = "Why would a Django project prefer bulk_update over save in a loop";
    const bodyText = "When does `Model.objects.bulk_update()` beat calling `save()` on each instance, and what does it skip?";
    const number = nextFreeNumber();
    const mainBefore = gh.fake.branch("main")!;
    const before = gh.fake.requests.length;
    const day = today();

    const id = await submit(gh.app, "/contribute/question", {
      kind: "question",
      title,
      body: bodyText,
      tags: ["orm", "performance"],
      credit: "Django documentation",
      name: "Grace Hopper",
      github: "grace-h",
      email: "grace@example.org",
    });

    // The proposal is stored at once: its status page exists before GitHub has answered.
    const first = await statusPage(gh.app, id);
    expect(["queued", "opened"]).toContain(first.status);

    const page = await waitForStatus(gh.app, id, "opened");
    const calls = gh.fake.requests.slice(before);
    const pr = onlyPull(id);
    expect(page.prUrl).toBe(`https://github.com/${OWNER}/${REPO}/pull/${pr.number}`);
    expect(page.prNumber).toBe(pr.number);

    // The pull request.
    const slug = "why-would-a-django-project-prefer-bulk-update-over-save-in-a";
    const filePath = `content/questions/${slug}/question.md`;
    expect(pr.title).toBe(`Question: \u2068${title}\u2069`);
    expect(pr.state).toBe("open");
    expect(pr.user).toBe(BOT.login);
    expect(pr.base.ref).toBe("main");
    expect(pr.head.repo).toBe(`${OWNER}/${REPO}`);
    expect(pr.head.ref).toBe(`contrib/question/${slug}-${id.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8)}`);
    expect([...pr.labels].sort()).toEqual(["contribution", "question"]);
    expect(pr.body).toMatch(new RegExp(`<!-- django-questions:proposal \\{[^\\n]*"id":"${id}"[^\\n]*\\} -->`));
    expect(pr.body).toContain(`${PUBLIC_URL}/contributions/${id}`);
    expect(page.text).toContain(filePath);

    // One new commit on the branch, on top of main, adding exactly the question file.
    const commits = gh.fake.commits(pr.head.ref);
    expect(commits[0]!.sha).toBe(pr.head.sha);
    expect(commits[0]!.parents).toEqual([mainBefore.sha]);
    expect(commits[1]!.sha).toBe(mainBefore.sha);
    const branch = gh.fake.branch(pr.head.ref)!;
    expect(branch.files.filter((f) => !mainBefore.files.includes(f))).toEqual([filePath]);
    expect(mainBefore.files.every((f) => gh.fake.readFile(pr.head.ref, f) === gh.fake.readFile("main", f))).toBe(true);
    const added = [day, today()];
    const text = gh.fake.readFile(pr.head.ref, filePath);
    expect(added.map((d) =>
      [
        "---",
        `number: ${number}`,
        `title: ${title}`,
        "tags: [orm, performance]",
        `added: ${d}`,
        "credit: Django documentation",
        "---",
        bodyText,
        "",
      ].join("\n"),
    )).toContain(text);

    // Authored by the contributor, with the GitHub user as co-author.
    const commit = commits[0]!;
    expect(commit.author.name).toBe("Grace Hopper");
    expect(commit.author.email).toBe("grace@example.org");
    expect(commit.message).toContain(`Proposal-Id: ${id}`);
    // The account GitHub found for "grace-h", by its ID+login no-reply address.
    expect(commit.message).toMatch(/^Co-authored-by: Grace Hopper <5912345\+grace-h@users\.noreply\.github\.com>$/m);

    // The forge's happy path, first proposal of the process (app/modules/forge/README.md): 10 calls,
    // + 1 to look up the GitHub username.
    expect(calls.every((c) => c.login === BOT.login)).toBe(true);
    expect(calls.every((c) => c.status < 300)).toBe(true);
    expect(operations(calls).sort()).toEqual(
      [
        "repos/get",
        "users/get-by-username",
        "git/get-ref",
        "git/get-commit",
        "git/create-tree",
        "git/create-commit",
        "git/create-ref",
        "pulls/create",
        "issues/create-label",
        "issues/create-label",
        "issues/add-labels",
      ].sort(),
    );
    const ops = operations(calls);
    expect(ops.indexOf("git/create-ref")).toBeLessThan(ops.indexOf("pulls/create"));
    expect(ops.indexOf("pulls/create")).toBeLessThan(ops.indexOf("issues/add-labels"));

    // The history on the status page tells the story.
    expect(page.text).toContain(`Opened for review as #${pr.number}`);
    gh.fake.assertNoViolations();
    made.question = { id, number: pr.number };
  });

  it("delivers the next question in 6 calls (base unchanged, labels known)", async () => {
    const before = gh.fake.requests.length;
    const id = await submit(gh.app, "/contribute/question", {
      kind: "question",
      title: "What does select_related do that prefetch_related cannot",
      body: "Explain when `select_related()` is the right tool and when `prefetch_related()` is needed instead?",
      tags: ["orm"],
      name: "Alan Turing",
    });
    const page = await waitForStatus(gh.app, id, "opened");
    const calls = gh.fake.requests.slice(before);
    expect(operations(calls).sort()).toEqual(
      ["git/get-ref", "git/create-tree", "git/create-commit", "git/create-ref", "pulls/create", "issues/add-labels"].sort(),
    );
    const pr = onlyPull(id);
    expect(page.prNumber).toBe(pr.number);
    // No e-mail, no GitHub username: the no-reply address and no co-author.
    const commit = gh.fake.commits(pr.head.ref)[0]!;
    expect(commit.author.name).toBe("Alan Turing");
    expect(commit.author.email).toBe("contributors@noreply.django-questions.invalid");
    expect(commit.message).not.toContain("Co-authored-by:");
    gh.fake.assertNoViolations();
    made.second = { id, number: pr.number };
  });
});

describe("an answer and an edit through the running app", () => {
  it("opens an answer pull request adding only the answer file", async () => {
    const slug = "atomic-requests-setting";
    const questionTitle = "The ATOMIC_REQUESTS setting, its pros and cons";
    const day = today();
    const mainBefore = gh.fake.branch("main")!;
    const bodyText = "It wraps each view in a transaction: simple and safe, but every request holds a transaction open, even a slow one.";
    const id = await submit(gh.app, `/q/${slug}/answer`, {
      kind: "answer",
      body: bodyText,
      name: "Ada Lovelace",
      github: "ada-l",
      email: "ada@example.org",
    });
    const page = await waitForStatus(gh.app, id, "opened");
    const pr = onlyPull(id);
    expect(page.prNumber).toBe(pr.number);
    expect(pr.title).toBe(`Answer: \u2068${questionTitle}\u2069`);
    expect(pr.base.ref).toBe("main");
    expect(pr.head.ref).toBe(`contrib/answer/${slug}-${id.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8)}`);
    expect([...pr.labels].sort()).toEqual(["answer", "contribution"]);
    const answerPath = `content/questions/${slug}/answers/${day}-ada-lovelace.md`;
    expect(gh.fake.commits(pr.head.ref)[0]!.parents).toEqual([mainBefore.sha]);
    expect(changedPaths(pr.head.ref, mainBefore)).toEqual([answerPath]);
    expect(gh.fake.readFile(pr.head.ref, answerPath)).toBe(
      ["---", "author: Ada Lovelace", "github: ada-l", `date: ${day}`, "---", bodyText, ""].join("\n"),
    );
    const commit = gh.fake.commits(pr.head.ref)[0]!;
    expect(commit.author).toMatchObject({ name: "Ada Lovelace", email: "ada@example.org" });
    expect(commit.message).toMatch(/^Co-authored-by: Ada Lovelace <5912346\+ada-l@users\.noreply\.github\.com>$/m);
    gh.fake.assertNoViolations();
  });

  it("opens an edit pull request that changes only the edited file", async () => {
    const slug = "atomic-requests-setting";
    const filePath = `content/questions/${slug}/question.md`;
    const original = fs.readFileSync(path.join(ROOT, filePath), "utf8");
    const [, frontMatter, oldBody] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(original)!;
    const newBody = `${oldBody!.trimEnd()} Does the answer change for views that stream their response?`;
    const id = await submit(gh.app, `/q/${slug}/edit`, {
      kind: "edit",
      title: "The ATOMIC_REQUESTS setting, its pros and cons",
      tags: ["settings", "database"],
      body: newBody,
      name: "Linus Editor",
    });
    const page = await waitForStatus(gh.app, id, "opened");
    const pr = onlyPull(id);
    expect(page.prNumber).toBe(pr.number);
    expect(pr.title).toBe("Edit: \u2068The ATOMIC_REQUESTS setting, its pros and cons\u2069");
    expect([...pr.labels].sort()).toEqual(["contribution", "edit", "question"]);
    expect(pr.head.ref).toMatch(new RegExp(`^contrib/question/${slug}-[a-z0-9]{8}$`));

    // The pull request's files, as GitHub lists them to reviewers.
    const files = await asMaintainer("GET", `/repos/${OWNER}/${REPO}/pulls/${pr.number}/files`);
    expect(files.status).toBe(200);
    const list = files.data as { filename: string; status: string; patch?: string }[];
    expect(list.map((f) => [f.filename, f.status])).toEqual([[filePath, "modified"]]);
    const changedLines = list[0]!.patch!.split("\n").filter((l) => /^[+-]/.test(l));
    expect(changedLines).toEqual([
      `-${oldBody!.trimEnd()}`,
      `+${newBody}`,
    ]);
    // Front matter (number, added, credit) kept as it was.
    expect(gh.fake.readFile(pr.head.ref, filePath)).toBe(`${frontMatter}${newBody}\n`);
    gh.fake.assertNoViolations();
  });
});

describe("the maintainers' decision on GitHub reaches the status page", () => {
  it("turns to merged after a merge on GitHub (pull_request closed + merged webhook)", async () => {
    const q = made.question;
    expect(q, "the first test made a question").toBeDefined();
    gh.fake.mergePull(q!.number, { method: "squash", by: MAINTAINER.login });
    await gh.fake.flushWebhooks();
    const page = await waitForStatus(gh.app, q!.id, "merged");
    expect(page.text).toContain(`Merged as #${q!.number} by @${MAINTAINER.login}`);
    const delivery = gh.fake.deliveries.find(
      (d) => d.event === "pull_request" && d.action === "closed" && (d.payload.pull_request as { number: number }).number === q!.number,
    );
    expect(delivery?.status).toBe(200);
    expect(pullsFor(q!.id)[0]).toMatchObject({ state: "closed", merged: true });
  });

  it("turns to closed when a maintainer closes the pull request without merging", async () => {
    const q = made.second;
    expect(q, "the second test made a question").toBeDefined();
    const res = await asMaintainer("PATCH", `/repos/${OWNER}/${REPO}/pulls/${q!.number}`, { state: "closed" });
    expect(res.status).toBe(200);
    await gh.fake.flushWebhooks();
    const page = await waitForStatus(gh.app, q!.id, "closed");
    expect(page.text).toContain(`Closed without merging (#${q!.number})`);
    expect(pullsFor(q!.id)[0]).toMatchObject({ state: "closed", merged: false });
    gh.fake.assertNoViolations();
  });
});

describe("when delivery fails", () => {
  it("keeps the proposal and says the token is wrong; Try again tries again", async () => {
    const title = "How does a wrong GitHub token show on the status page";
    const id = await submit(badApp, "/contribute/question", {
      kind: "question",
      title,
      body: "What does a contributor see when the site cannot open the pull request, and is the text lost?",
      tags: ["deployment"],
      name: "Bad Token",
    });
    const page = await waitForStatus(badApp, id, "failed");
    expect(page.text).toMatch(/GitHub rejected the token \(401 Bad credentials\) while reading the repository: check GITHUB_TOKEN/);
    // Nothing lost: the file is on the status page, with its text.
    expect(page.text).toContain("content/questions/how-does-a-wrong-github-token-show-on-the-status-page/question.md");
    expect(page.text).toContain("is the text lost?");
    expect(page.html).toContain(">Try again</button>");
    expect(pullsFor(id)).toHaveLength(0);

    // "Try again" (the status page's form) queues it again; the token is still wrong, so it fails again.
    const res = await fetch(`${badApp.url}/contributions/${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: badApp.url },
      body: "",
    });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => {
        const p = await statusPage(badApp, id);
        return p.status === "failed" && p.text.includes("Retry requested") && (p.text.match(/GitHub rejected the token/g) ?? []).length >= 3;
      }, { timeout: 15_000, interval: 200 })
      .toBe(true);
    expect(pullsFor(id)).toHaveLength(0);
    // A cross-site "Try again" is refused.
    const forged = await fetch(`${badApp.url}/contributions/${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: "",
    });
    expect(forged.status).toBe(403);
  });

  it("retries GitHub's 5xx answers (visible in the history) and still opens exactly one pull request", async () => {
    // Octokit retries a 5xx twice in-process; the third 500 makes the attempt fail and the outbox retry it.
    gh.fake.inject({ path: "git/get-ref", status: 500, times: 3 });
    const title = "Which Django signals fire during a bulk_create call";
    const id = await submit(gh.app, "/contribute/question", {
      kind: "question",
      title,
      body: "Does `bulk_create()` send `pre_save` and `post_save`, and what should code relying on them do instead?",
      tags: ["signals", "orm"],
      name: "Retry Case",
    });
    const page = await waitForStatus(gh.app, id, "opened", 30_000);
    expect(page.text).toContain("GitHub error 500 while reading the head of main");
    // OUTBOX_RETRY_BASE_MS=1000: the first retry comes within a second (30 s by default).
    expect(page.text).toMatch(/retrying in \d{3,4} ms\./);
    expect(page.text).toMatch(/Attempt 2: delivering/);
    expect(gh.fake.requests.filter((r) => r.injected === "before")).toHaveLength(3);
    const pr = onlyPull(id);
    expect(pr.title).toBe(`Question: \u2068${title}\u2069`);
    expect(gh.fake.pulls().filter((p) => p.title === `Question: \u2068${title}\u2069`)).toHaveLength(1);
    expect(page.prNumber).toBe(pr.number);
    gh.fake.assertNoViolations();
  });

  it("after a failure a human must fix, Try again delivers it once the cause is gone", async () => {
    // GitHub refuses the token once (e.g. it was being rotated); the next attempt works.
    gh.fake.inject({ path: "git/get-ref", status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } });
    const title = "Why should a custom user model be set up before the first migration";
    const id = await submit(gh.app, "/contribute/question", {
      kind: "question",
      title,
      body: "What goes wrong when `AUTH_USER_MODEL` is changed after the first `migrate`, and how is it repaired?",
      tags: ["auth", "migrations"],
      name: "Try Again",
    });
    const failed = await waitForStatus(gh.app, id, "failed");
    expect(failed.text).toContain("check GITHUB_TOKEN");
    expect(pullsFor(id)).toHaveLength(0);
    const res = await fetch(`${gh.app.url}/contributions/${id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: gh.app.url },
      body: "",
    });
    expect(res.status).toBe(200);
    const page = await waitForStatus(gh.app, id, "opened");
    expect(page.text).toContain("Retry requested");
    const pr = onlyPull(id);
    expect(pr.title).toBe(`Question: \u2068${title}\u2069`);
    expect(page.prNumber).toBe(pr.number);
    gh.fake.assertNoViolations();
  });
});
