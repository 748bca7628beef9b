import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Faults, startFakeGitHub, type FakeGitHub } from "./server.js";
import { octokitFor, requestFailure, SEED_FILES } from "./helpers.js";

const owner = "django-questions";
const repo = "content";

describe("fake GitHub fault injection", () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub({ files: SEED_FILES, strict: true, users: [{ login: "alice", token: "alice-token", permission: "write" }] });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("a 500 once, then success: Octokit's retry plugin gets through on the second attempt", async () => {
    fake.inject({ path: "repos/get", status: 500 });
    const withRetry = octokitFor(fake.url, "alice-token", { retry: { enabled: true, retryAfterBaseValue: 1 } });
    const { data } = await withRetry.rest.repos.get({ owner, repo });
    expect(data.name).toBe(repo);
    expect(fake.requests.filter((r) => r.operationId === "repos/get").map((r) => r.status)).toEqual([500, 200]);

    // Without retries the caller sees the 500; `times` limits how often the fault fires.
    fake.inject({ method: "GET", path: /\/git\/ref\//, status: 503, times: 2 });
    const plain = octokitFor(fake.url, "alice-token");
    expect((await requestFailure(plain.rest.git.getRef({ owner, repo, ref: "heads/main" }))).status).toBe(503);
    expect((await requestFailure(plain.rest.git.getRef({ owner, repo, ref: "heads/main" }))).status).toBe(503);
    expect((await plain.rest.git.getRef({ owner, repo, ref: "heads/main" })).status).toBe(200);
    fake.assertNoViolations();
  });

  it("a secondary rate limit (403 + retry-after) reaches Octokit's throttling handler", async () => {
    fake.inject(Faults.secondaryRateLimit("/repos/{owner}/{repo}", 1));
    const seen: number[] = [];
    const throttled = octokitFor(fake.url, "alice-token", {
      throttle: {
        enabled: true,
        onSecondaryRateLimit: (retryAfter: number) => {
          seen.push(retryAfter);
          return false; // give up instead of sleeping in a unit test
        },
        onRateLimit: () => false,
      },
    });
    const error = await requestFailure(throttled.rest.repos.get({ owner, repo }));
    expect(error.status).toBe(403);
    expect(seen).toEqual([1]);
    expect(error.response?.headers["x-ratelimit-limit"]).toBe("5000");
  });

  it("a primary rate limit (x-ratelimit-remaining: 0) reaches onRateLimit, and real exhaustion is modelled too", async () => {
    fake.inject(Faults.primaryRateLimit("repos/get", 30));
    const waits: number[] = [];
    const throttled = octokitFor(fake.url, "alice-token", {
      throttle: { enabled: true, onRateLimit: (after: number) => (waits.push(after), false), onSecondaryRateLimit: () => false },
    });
    const error = await requestFailure(throttled.rest.repos.get({ owner, repo }));
    expect(error.status).toBe(403);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(20);

    const small = await startFakeGitHub({ rateLimit: 2, users: [{ login: "carol", token: "carol-token" }] });
    try {
      const carol = octokitFor(small.url, "carol-token");
      const first = await carol.rest.repos.get({ owner, repo });
      expect(first.headers["x-ratelimit-remaining"]).toBe("1");
      expect(first.headers["x-ratelimit-used"]).toBe("1");
      await carol.rest.repos.get({ owner, repo });
      const limited = await requestFailure(carol.rest.repos.get({ owner, repo }));
      expect(limited.status).toBe(403);
      expect((limited.response?.data as { message: string }).message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
      expect(limited.response?.headers["x-ratelimit-remaining"]).toBe("0");
      const { data } = await carol.rest.rateLimit.get();
      expect(data.resources.core.remaining).toBe(0);
    } finally {
      await small.close();
    }
  });

  it("a delay longer than the client's timeout makes the client give up; the fake carries on", async () => {
    fake.inject(Faults.hang("repos/get", 400));
    const octokit = octokitFor(fake.url, "alice-token");
    const started = Date.now();
    const error = await octokit.rest.repos.get({ owner, repo, request: { signal: AbortSignal.timeout(50) } }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(350);
    expect(String((error as Error).name)).toMatch(/Abort|Timeout|HttpError/);
    // Nothing else is affected.
    expect((await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" })).status).toBe(200);
  });

  it("injectAfter: the branch is created on GitHub but the answer is lost; the retry learns it already exists", async () => {
    const octokit = octokitFor(fake.url, "alice-token");
    const sha = fake.branch("main")!.sha;
    fake.injectAfter({ method: "POST", path: "git/create-ref", status: 502 });
    const lost = await requestFailure(octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/contrib/x", sha }));
    expect(lost.status).toBe(502);
    expect(fake.branch("contrib/x")?.sha).toBe(sha);
    const retry = await requestFailure(octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/contrib/x", sha }));
    expect(retry.status).toBe(422);
    expect((retry.response?.data as { message: string }).message).toBe("Reference already exists");
    expect(fake.requests.filter((r) => r.operationId === "git/create-ref").map((r) => [r.status, r.injected])).toEqual([
      [502, "after"],
      [422, undefined],
    ]);

    // A dropped connection after the PR was opened: the PR exists once, a retry gets the duplicate error.
    fake.pushCommit("contrib/x", { "q.md": "q\n" }, "q");
    fake.injectAfter({ path: "pulls/create", abort: true });
    const dropped = await octokit.rest.pulls.create({ owner, repo, title: "Q", head: "contrib/x", base: "main" }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(Error);
    expect(fake.pulls()).toHaveLength(1);
    const dup = await requestFailure(octokit.rest.pulls.create({ owner, repo, title: "Q", head: "contrib/x", base: "main" }));
    expect(dup.status).toBe(422);
    const { data: found } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:contrib/x` });
    expect(found.map((p) => p.number)).toEqual([1]);
    fake.assertNoViolations();
  });

  it("an aborted connection before handling changes nothing", async () => {
    fake.inject({ path: "/repos/django-questions/content/git/refs", abort: true });
    const octokit = octokitFor(fake.url, "alice-token");
    const error = await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/y", sha: fake.branch("main")!.sha }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(fake.branch("y")).toBeUndefined();
    await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/y", sha: fake.branch("main")!.sha });
    expect(fake.branch("y")).toBeDefined();
  });

  it("hold(): a request waits (before or after GitHub handles it) until released; a client gone meanwhile never hears back", async () => {
    const octokit = octokitFor(fake.url, "alice-token");
    // Before: nothing is done until the release.
    const before = fake.hold({ path: "git/create-ref", phase: "before" });
    const main = (await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" })).data.object.sha;
    const creating = octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/held-before", sha: main });
    const held = await before.reached;
    expect(held).toMatchObject({ method: "POST", body: { ref: "refs/heads/held-before" } });
    expect(fake.branch("held-before")).toBeUndefined();
    before.release();
    expect((await creating).status).toBe(201);
    expect(fake.branch("held-before")?.sha).toBe(main);

    // After: the work is done at once, only the answer waits.
    const after = fake.hold({ path: "git/create-ref", phase: "after" });
    const controller = new AbortController();
    const abandoned = octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/held-after", sha: main, request: { signal: controller.signal } }).catch((e: unknown) => e);
    await after.reached;
    expect(fake.branch("held-after")?.sha).toBe(main);
    controller.abort();
    await abandoned;
    await new Promise((r) => setTimeout(r, 200)); // the closed connection reaches the fake
    after.release();
    for (let i = 0; i < 50 && !fake.requests.some((r) => r.path.endsWith("/git/refs") && r.status === 0); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.requests.filter((r) => r.path.endsWith("/git/refs")).map((r) => r.status)).toEqual([201, 0]);
    fake.assertNoViolations();
  });
});
