import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ContentStore } from "~/modules/content/store.server";
import { GitCommandError, runGit } from "~/modules/git/run.server";
import { contentSyncSetting, createGitSync } from "~/modules/sync/git.server";
import type { SyncLog } from "~/modules/sync/log";
import { copyContentRepo, createContentRepo, git, questionMarkdown, type ContentRepo } from "./git-fixture";

function captureLog() {
  const lines: { level: string; message: string }[] = [];
  const log: SyncLog = {
    info: (message) => lines.push({ level: "info", message }),
    warn: (message) => lines.push({ level: "warn", message }),
    error: (message) => lines.push({ level: "error", message }),
  };
  return { log, lines, errors: () => lines.filter((l) => l.level === "error").map((l) => l.message) };
}

let template: ContentRepo;
let repo: ContentRepo;
let store: ContentStore;

beforeAll(() => {
  template = createContentRepo();
});
afterAll(() => {
  template?.cleanup();
});

describe("git sync of the content checkout", () => {
  beforeEach(async () => {
    repo = copyContentRepo(template);
    store = new ContentStore(repo.contentDir);
    await store.load();
  });
  afterEach(async () => {
    await store.close();
    repo.cleanup();
  });

  it("fast-forwards to a pushed question and re-reads only the changed content files", async () => {
    const before = store.version;
    const from = repo.head();
    const to = repo.pushFiles(
      {
        "content/questions/how-do-live-updates-work/question.md": questionMarkdown({
          slug: "how-do-live-updates-work",
          number: 900,
          title: "How does a merged question reach the running site?",
        }),
        "README.md": "# Changed outside the content folder\n",
      },
      "Add question 900",
    );
    const reload = vi.spyOn(store, "reload");
    const { log } = captureLog();
    const sync = createGitSync({ store, log });

    const result = await sync.sync("test");

    expect(result).toMatchObject({ updated: true, from, to, changed: ["questions/how-do-live-updates-work/question.md"] });
    expect(result.error).toBeUndefined();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(reload).toHaveBeenCalledWith(["questions/how-do-live-updates-work/question.md"]);
    expect(store.content.bySlug.get("how-do-live-updates-work")?.title).toBe("How does a merged question reach the running site?");
    expect(store.content.questions).toHaveLength(repo.seeded.length + 1);
    expect(store.version).not.toBe(before);
    expect(repo.head()).toBe(to);
  });

  it("drops a question that was renamed or deleted upstream (old paths are re-read too)", async () => {
    const [first, second] = repo.seeded as [string, string];
    const moved = fs.readFileSync(path.join(repo.contentDir, "questions", first, "question.md"), "utf8");
    repo.pushFiles(
      {
        [`content/questions/${first}`]: null,
        [`content/questions/${first}-renamed/question.md`]: moved,
        [`content/questions/${second}`]: null,
      },
      "Rename one question, delete another",
    );
    const sync = createGitSync({ store, log: captureLog().log });

    const result = await sync.sync();

    expect(result.changed).toContain(`questions/${first}/question.md`);
    expect(result.changed).toContain(`questions/${first}-renamed/question.md`);
    expect(store.content.bySlug.has(first)).toBe(false);
    expect(store.content.bySlug.has(second)).toBe(false);
    expect(store.content.bySlug.get(`${first}-renamed`)?.body).toBeTruthy();
  });

  it("does nothing when the checkout is already up to date", async () => {
    const reload = vi.spyOn(store, "reload");
    const sync = createGitSync({ store, log: captureLog().log });
    const result = await sync.sync();
    expect(result).toMatchObject({ updated: false, changed: [] });
    expect(result.error).toBeUndefined();
    expect(reload).not.toHaveBeenCalled();
  });

  it("follows CONTENT_BRANCH when it is set, not the checked-out branch's upstream", async () => {
    git(repo.author, "checkout", "--quiet", "-b", "published");
    fs.mkdirSync(path.join(repo.author, "content/questions/branch-only-question"), { recursive: true });
    fs.writeFileSync(
      path.join(repo.author, "content/questions/branch-only-question/question.md"),
      questionMarkdown({ slug: "branch-only-question", number: 901, title: "Which branch does the site follow?" }),
    );
    git(repo.author, "add", "-A");
    git(repo.author, "commit", "--quiet", "-m", "On the published branch");
    git(repo.author, "push", "--quiet", "origin", "HEAD:refs/heads/published");

    const onMain = await createGitSync({ store, log: captureLog().log }).sync();
    expect(onMain.updated).toBe(false);
    expect(store.content.bySlug.has("branch-only-question")).toBe(false);

    const onPublished = await createGitSync({ store, branch: "published", log: captureLog().log }).sync();
    expect(onPublished.updated).toBe(true);
    expect(store.content.bySlug.has("branch-only-question")).toBe(true);
  });

  it("refuses a diverged checkout with a clear message and keeps serving the previous content", async () => {
    fs.writeFileSync(path.join(repo.checkout, "LOCAL.md"), "a commit made on the server by hand\n");
    git(repo.checkout, "add", "-A");
    git(repo.checkout, "commit", "--quiet", "-m", "Local change on the server");
    const localHead = repo.head();
    repo.pushQuestion({ slug: "pushed-while-diverged", number: 902, title: "What happens when histories diverge?" });
    const versionBefore = store.version;
    const reload = vi.spyOn(store, "reload");
    const { log, errors } = captureLog();

    const result = await createGitSync({ store, log }).sync("test");

    expect(result.updated).toBe(false);
    expect(result.error).toMatch(/diverged from origin\/main/);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/diverged from origin\/main.*fast-forward is impossible.*keeps serving/);
    expect(reload).not.toHaveBeenCalled();
    expect(repo.head()).toBe(localHead);
    expect(store.version).toBe(versionBefore);
    expect(store.content.bySlug.has("pushed-while-diverged")).toBe(false);
    expect(store.content.questions).toHaveLength(repo.seeded.length);
  });

  it("a checkout ahead of the remote (a local merge not pushed yet) is said once, not at every poll; push() publishes it", async () => {
    const slug = "merged-in-the-local-queue";
    fs.mkdirSync(path.join(repo.contentDir, "questions", slug), { recursive: true });
    fs.writeFileSync(path.join(repo.contentDir, "questions", slug, "question.md"), questionMarkdown({ slug, number: 950, title: "What did the local queue merge?" }));
    git(repo.checkout, "add", "-A");
    git(repo.checkout, "commit", "--quiet", "-m", "Merged locally");
    const { log, lines } = captureLog();
    const sync = createGitSync({ store, log });
    for (let i = 0; i < 3; i++) expect((await sync.sync("poll")).error).toBeUndefined();
    const ahead = lines.filter((l) => l.message.includes("has commits that origin/main does not have"));
    expect(ahead).toHaveLength(1);
    expect(ahead[0]!.message).toContain("git push origin HEAD:main");

    expect(await sync.push("test")).toEqual({ pushed: true });
    expect(git(repo.origin, "rev-parse", "refs/heads/main")).toBe(repo.head());
    // Work pushed by others afterwards fast-forwards as usual: the checkout did not diverge.
    repo.pushQuestion({ slug: "pushed-after-the-merge", number: 951, title: "What came after the local merge?" });
    const after = await sync.sync("poll");
    expect(after.error).toBeUndefined();
    expect(after.changed).toEqual(["questions/pushed-after-the-merge/question.md"]);
    expect(store.content.bySlug.get("pushed-after-the-merge")?.number).toBe(951);
  });

  it("never forces a push: when the remote moved meanwhile the push is refused and said", async () => {
    repo.pushQuestion({ slug: "landed-upstream", number: 952, title: "What landed upstream meanwhile?" });
    fs.writeFileSync(path.join(repo.contentDir, "questions", repo.seeded[0]!, "question.md"), questionMarkdown({ slug: repo.seeded[0]!, number: 1, title: "Edited locally?" }));
    git(repo.checkout, "commit", "--quiet", "-am", "Local edit");
    const remoteHead = git(repo.origin, "rev-parse", "refs/heads/main");
    const { log, errors } = captureLog();
    const result = await createGitSync({ store, log }).push("test");
    expect(result.pushed).toBe(false);
    expect(result.error).toMatch(/^pushing to origin\/main failed/);
    expect(errors().join("\n")).toMatch(/push it by hand/);
    expect(git(repo.origin, "rev-parse", "refs/heads/main")).toBe(remoteHead);
  });

  it("turned off: no git command runs, and the result says why", async () => {
    const calls: string[][] = [];
    const sync = createGitSync({ store, enabled: false, log: captureLog().log, runGit: async (args) => (calls.push([...args]), "") });
    repo.pushQuestion({ slug: "not-followed", number: 953, title: "Is this followed?" });
    const result = await sync.sync("poll");
    expect(result.error).toMatch(/content sync is off/);
    expect(await sync.followedBranch()).toBeUndefined();
    expect(calls).toEqual([]);
    expect(store.content.bySlug.has("not-followed")).toBe(false);
  });

  it("knows the branch it follows before the first sync: CONTENT_BRANCH, or the checkout's current branch", async () => {
    git(repo.checkout, "checkout", "--quiet", "-b", "published");
    expect(await createGitSync({ store, log: captureLog().log }).followedBranch()).toBe("published");
    expect(await createGitSync({ store, branch: "main", log: captureLog().log }).followedBranch()).toBe("main");
  });

  it("serves the previous content while a sync is under way, even once the files on disk have changed", async () => {
    const edited = repo.seeded[0]!;
    const oldTitle = store.content.bySlug.get(edited)!.title;
    const oldVersion = store.version;
    repo.pushFiles(
      {
        [`content/questions/${edited}/question.md`]: questionMarkdown({ slug: edited, number: store.content.bySlug.get(edited)!.number, title: "A retitled question?" }),
        "content/questions/arrives-with-the-sync/question.md": questionMarkdown({ slug: "arrives-with-the-sync", number: 960, title: "What arrives with the sync?" }),
      },
      "Edit and add",
    );
    // Hold the sync right after the fast-forward: the checkout has the new files, the site has not re-read them.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const sync = createGitSync({
      store,
      log: captureLog().log,
      runGit: async (args, timeoutMs) => {
        if (args.includes("diff")) {
          held();
          await gate;
        }
        return runGit(args, { timeoutMs });
      },
    });
    const running = sync.sync("webhook");
    await holding;
    expect(fs.readFileSync(path.join(repo.contentDir, "questions", edited, "question.md"), "utf8")).toContain("A retitled question?");
    expect(sync.busy).toBe(true);
    expect(store.version).toBe(oldVersion);
    expect(store.content.bySlug.get(edited)!.title).toBe(oldTitle);
    expect(store.content.bySlug.has("arrives-with-the-sync")).toBe(false);

    release();
    const result = await running;
    expect(result.error).toBeUndefined();
    expect(store.content.bySlug.get(edited)!.title).toBe("A retitled question?");
    expect(store.content.bySlug.get("arrives-with-the-sync")?.number).toBe(960);
  });

  it("reports an unreachable remote and keeps the content; logs a repeated failure once", async () => {
    git(repo.checkout, "remote", "set-url", "origin", path.join(repo.root, "gone.git"));
    const { log, errors } = captureLog();
    const sync = createGitSync({ store, log });

    const first = await sync.sync("poll");
    const second = await sync.sync("poll");

    expect(first.error).toMatch(/fetching origin\/main failed/);
    expect(second.error).toBe(first.error);
    expect(errors()).toHaveLength(1);
    expect(store.content.questions).toHaveLength(repo.seeded.length);
  });

  it("says so when the content folder is not in a git checkout", async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), "dq-plain-"));
    try {
      fs.cpSync(repo.contentDir, plain, { recursive: true });
      const plainStore = new ContentStore(plain);
      await plainStore.load();
      const { log, errors } = captureLog();
      const result = await createGitSync({ store: plainStore, log }).sync();
      expect(result.updated).toBe(false);
      expect(result.error).toMatch(/is not inside a git checkout/);
      expect(errors()[0]).toContain("keeps serving the previous content");
      expect(plainStore.content.questions).toHaveLength(repo.seeded.length);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it("runs one sync at a time: triggers during a run coalesce into exactly one more", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const fetches: number[] = [];
    const sync = createGitSync({
      store,
      log: captureLog().log,
      runGit: async (args, timeoutMs) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (args.includes("fetch")) fetches.push(Date.now());
        try {
          return await runGit(args, { timeoutMs });
        } finally {
          inFlight -= 1;
        }
      },
    });

    const first = sync.sync("first");
    expect(sync.busy).toBe(true);
    repo.pushQuestion({ slug: "pushed-during-a-sync", number: 903, title: "Is a push during a sync picked up?" });
    const second = sync.sync("second");
    const third = sync.sync("third");
    const [a, b, c] = await Promise.all([first, second, third]);
    await sync.whenIdle();

    expect(fetches).toHaveLength(2);
    expect(maxInFlight).toBe(1);
    expect(b).toBe(c);
    expect(a).not.toBe(b);
    expect(b.reason).toBe("second");
    expect(sync.busy).toBe(false);
    // Whatever the first run saw, the scheduled one brought the push in.
    expect(store.content.bySlug.has("pushed-during-a-sync")).toBe(true);
    expect(sync.lastResult).toBe(b);
  });
});

describe("shutdown", () => {
  it("does not wait forever for a sync stuck in a git command", async () => {
    const stuck = createGitSync({
      store: { dir: os.tmpdir(), reload: async () => undefined },
      log: captureLog().log,
      runGit: () => new Promise<string>(() => undefined),
    });
    void stuck.sync("stuck");
    const started = Date.now();
    await stuck.whenIdle(100);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stuck.busy).toBe(true);
  });
});

describe("runGit", () => {
  it("kills a git command that exceeds the timeout", async () => {
    // hash-object --stdin waits for an end of input that never comes.
    const started = Date.now();
    const error = await runGit(["hash-object", "--stdin"], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).timedOut).toBe(true);
    expect((error as Error).message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("whether the checkout follows a remote", () => {
  it("GitHub mode: always (origin unless CONTENT_REMOTE says otherwise); merges happen on GitHub", () => {
    expect(contentSyncSetting({ remoteForge: true, remote: undefined })).toEqual({ enabled: true, remote: "origin" });
    expect(contentSyncSetting({ remoteForge: true, remote: "upstream" })).toEqual({ enabled: true, remote: "upstream" });
  });

  it("local mode: only with CONTENT_REMOTE set (local merges are then pushed to it: see the review tests)", () => {
    expect(contentSyncSetting({ remoteForge: false, remote: undefined })).toMatchObject({ enabled: false });
    expect(contentSyncSetting({ remoteForge: false, remote: "origin" })).toEqual({ enabled: true, remote: "origin" });
  });
});
