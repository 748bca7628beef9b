/**
 * The local review queue end to end below the web layer: proposals stored and
 * delivered as the outbox does, then reviewed — merge writes the files into
 * the content folder, commits them with the contributor as author when the
 * folder is a git checkout, and the site's content store shows them at once.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeEach, expect, it } from "vitest";
import { getEvents, getProposalRecord, proposalRecords, type ProposalData } from "~/modules/contributions/store.server";
import { contentTarget, createLocalForge } from "~/modules/forge/local/index.server";
import { runGit, type GitRunner } from "~/modules/git/run.server";
import { createReviewService, ReviewRefused, type Actor } from "~/modules/review/service.server";
import { questionNumberOf } from "~/modules/review/renumber";
import { createGitSync } from "~/modules/sync/git.server";
import { describeDialects } from "../support/databases";
import { answerForm, contentRepo, git, loadStore, proposeLocally, questionForm, tempDir } from "./helpers";

const maintainer: Actor = { login: "maintainer", via: "token" };
/** git as on a machine without any git configuration (the committer falls back to the site's identity). */
const bareGit: GitRunner = (args, options = {}) => runGit(args, { ...options, env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...options.env } });

/** The database of the running test (describeDialects: SQLite and PostgreSQL). */
let data: ProposalData;

async function setup(withGit = true, runGit: GitRunner = bareGit) {
  const repo = contentRepo(withGit);
  const store = await loadStore(repo.contentDir);
  const reloaded: string[][] = [];
  const forge = createLocalForge({
    records: proposalRecords(data),
    contentDir: repo.contentDir,
    runGit,
    reload: async (paths) => {
      reloaded.push(paths);
      await store.reload(paths);
    },
  });
  const review = createReviewService({ data, store, forge, log: { warn() {} } });
  return { ...repo, store, review, reloaded, forge };
}

async function refusal(p: Promise<unknown>): Promise<ReviewRefused> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReviewRefused);
  return error as ReviewRefused;
}

describeDialects("the local review queue", (t) => {
  beforeEach(() => {
    data = t().data;
  });
  it("lists open proposals newest first, with the content check's result and possible duplicates", async () => {
    const { store, review } = await setup(false);
    const older = await proposeLocally(data, store, answerForm, new Date("2026-12-01T09:00:00Z"));
    const newer = await proposeLocally(data, store, { ...questionForm, title: "Why are QuerySets lazy in Django?", body: "What does it mean that QuerySets are lazy?" }, new Date("2026-12-01T10:00:00Z"));
    const items = await review.queue(maintainer);
    expect(items.map((i) => i.id)).toEqual([newer.id, older.id]);
    expect(items[0]).toMatchObject({ kind: "question", number: 2, contributor: "Ann Example (@ann-example)", check: { state: "success" } });
    expect(items[0]!.duplicates.map((d) => d.slug)).toContain("querysets-are-lazy");
    expect(items[1]).toMatchObject({ kind: "answer", number: 1, duplicates: [] });
  });

  it("shows a proposal as the site will: the rendered page, the diff and every finding", async () => {
    const { store, review } = await setup(false);
    const p = await proposeLocally(data, store, questionForm);
    const detail = await review.detail(p.id, maintainer);
    expect(detail.open).toBe(true);
    expect(detail.preview?.question).toMatchObject({ title: questionForm.title, number: 3, slug: p.slug });
    expect(detail.preview?.question.html).toContain("<code>F()</code>");
    expect(detail.preview?.tags.map((t) => t.id)).toEqual(["orm", "models"]);
    expect(detail.files).toHaveLength(1);
    expect(detail.files[0]).toMatchObject({ path: `content/questions/${p.slug}/question.md`, status: "added" });
    expect(detail.files[0]!.lines.every((l) => l?.type === "add")).toBe(true);
    expect(detail.findings).toEqual([]);
    expect(detail.events.map((e) => e.type)).toContain("opened");
  });

  it("merges: writes the file, commits it as the contributor, and the site has it at once", async () => {
    const { root, contentDir, store, review, reloaded } = await setup(true);
    const p = await proposeLocally(data, store, questionForm);
    await review.merge(p.id, maintainer);

    const file = path.join(contentDir, "questions", p.slug, "question.md");
    expect(fs.readFileSync(file, "utf8")).toBe(p.files[0]!.content);
    expect(reloaded).toEqual([[`questions/${p.slug}/question.md`]]);
    expect(store.content.bySlug.get(p.slug)?.title).toBe(questionForm.title);

    const [author, subject, files] = git(root, "log", "-1", "--format=%an <%ae>%n%s%n", "--name-only").split("\n").filter(Boolean);
    expect(author).toBe("Ann Example <ann-example@users.noreply.github.com>");
    expect(subject).toBe(`Question: \u2068${questionForm.title}\u2069 (#1)`);
    expect(files).toBe(`content/questions/${p.slug}/question.md`);
    expect(git(root, "log", "-1", "--format=%cn")).toBe("Django Questions");
    expect(git(root, "status", "--porcelain")).toBe("");

    const after = (await getProposalRecord(data, p.id))!;
    expect(after.status).toBe("merged");
    expect((await getEvents(data, p.id)).at(-1)).toMatchObject({ type: "merged", detail: expect.stringMatching(/^Merged by a maintainer \(#1\): it is on the site now\. Commit [0-9a-f]{7}\.$/) });
    expect(await review.queue(maintainer)).toEqual([]);
    expect((await review.detail(p.id, maintainer)).siteUrl).toBe(`/q/${p.slug}`);
  });

  it("commits only the proposal's file, leaving other changes in the work tree alone", async () => {
    const { root, store, review } = await setup(true);
    fs.writeFileSync(path.join(root, "README.md"), "edited by hand\n");
    const p = await proposeLocally(data, store, answerForm);
    await review.merge(p.id, maintainer);
    expect(git(root, "log", "-1", "--format=%an <%ae>")).toBe("Bob Builder <bob@example.org>");
    expect(git(root, "log", "-1", "--format=%s")).toBe("Answer: \u2068Why QuerySets are lazy\u2069 (#1)");
    expect(git(root, "status", "--porcelain")).toBe("M README.md");
  });

  it("renumbers a new question whose number was taken by the time it is merged", async () => {
    const { root, contentDir, store, review } = await setup(true);
    const p = await proposeLocally(data, store, questionForm);
    expect(questionNumberOf(p.files[0]!.content)).toBe(3);
    // Meanwhile someone adds question 3 by hand.
    const other = "---\nnumber: 3\ntitle: What does select_related do?\ntags: [orm]\nadded: 2026-12-01\n---\nWhat does select_related do?\n";
    fs.mkdirSync(path.join(contentDir, "questions", "what-does-select-related-do"));
    fs.writeFileSync(path.join(contentDir, "questions", "what-does-select-related-do", "question.md"), other);
    await store.reload(["questions/what-does-select-related-do/question.md"]);

    const detail = await review.detail(p.id, maintainer);
    expect(detail.renumbering).toEqual([{ path: p.files[0]!.path, from: 3, to: 4 }]);
    expect(detail.preview?.question.number).toBe(4);
    // The queue says what the screen says: the merge renumbers, so there is no "number used twice" error.
    expect(detail.findings.filter((f) => f.severity === "error")).toEqual([]);
    const [queued] = await review.queue(maintainer);
    expect(queued!.check).toEqual(detail.item.check);
    expect(queued!.check.state).toBe("success");

    await review.merge(p.id, maintainer);
    const merged = fs.readFileSync(path.join(contentDir, "questions", p.slug, "question.md"), "utf8");
    expect(questionNumberOf(merged)).toBe(4);
    expect(merged).toBe(p.files[0]!.content.replace("number: 3", "number: 4"));
    expect(store.content.byNumber.get(4)?.slug).toBe(p.slug);
    expect(store.content.byNumber.get(3)?.slug).toBe("what-does-select-related-do");
    expect(git(root, "show", "HEAD:" + `content/questions/${p.slug}/question.md`)).toContain("number: 4");
    const stored = (await getProposalRecord(data, p.id))!;
    expect(stored.files[0]!.content).toBe(merged);
    expect(stored.fields.number).toBe(4);
    expect((await getEvents(data, p.id)).map((e) => e.type)).toEqual(expect.arrayContaining(["renumbered", "merged"]));
  });

  it("merges into a content folder that is not a git checkout (files only)", async () => {
    const { contentDir, store, review } = await setup(false);
    const p = await proposeLocally(data, store, questionForm);
    const outcome = await review.merge(p.id, maintainer);
    expect(outcome.message).not.toMatch(/Commit/);
    expect(fs.existsSync(path.join(contentDir, "questions", p.slug, "question.md"))).toBe(true);
    expect(store.content.bySlug.has(p.slug)).toBe(true);
  });

  it("puts everything back when the commit fails, and the proposal stays open", async () => {
    const failing: GitRunner = (args, options) => (args.includes("commit") ? Promise.reject(new Error("pre-commit hook failed")) : bareGit(args, options));
    const { root, contentDir, store, review } = await setup(true, failing);
    const p = await proposeLocally(data, store, questionForm);
    await expect(review.merge(p.id, maintainer)).rejects.toThrow(/pre-commit hook failed/);
    expect(fs.existsSync(path.join(contentDir, "questions", p.slug, "question.md"))).toBe(false);
    expect(git(root, "status", "--porcelain")).toBe("");
    expect((await getProposalRecord(data, p.id))!.status).toBe("opened");
    expect(store.content.bySlug.has(p.slug)).toBe(false);
  });

  it("a renumbering is recorded only when the merge succeeds: a failed write leaves the proposal as it was", async () => {
    const { contentDir, store, review } = await setup(true);
    const p = await proposeLocally(data, store, questionForm);
    const other = "---\nnumber: 3\ntitle: What does select_related do?\ntags: [orm]\nadded: 2026-12-01\n---\nWhat does select_related do?\n";
    fs.mkdirSync(path.join(contentDir, "questions", "what-does-select-related-do"));
    fs.writeFileSync(path.join(contentDir, "questions", "what-does-select-related-do", "question.md"), other);
    await store.reload(["questions/what-does-select-related-do/question.md"]);
    expect((await review.detail(p.id, maintainer)).renumbering).toEqual([{ path: p.files[0]!.path, from: 3, to: 4 }]);
    const before = { record: (await getProposalRecord(data, p.id))!, events: (await getEvents(data, p.id)) };

    // A plain file where the question's folder must go: writing the question fails.
    fs.writeFileSync(path.join(contentDir, "questions", p.slug), "in the way\n");
    await expect(review.merge(p.id, maintainer)).rejects.toThrow(/could not be merged/);
    const after = (await getProposalRecord(data, p.id))!;
    expect(after.status).toBe("opened");
    expect(after.files).toEqual(before.record.files);
    expect(questionNumberOf(after.files[0]!.content)).toBe(3);
    expect(after.fields).toEqual(before.record.fields);
    expect((await getEvents(data, p.id))).toEqual(before.events);
    expect((await getEvents(data, p.id)).map((e) => e.type)).not.toContain("renumbered");

    // Out of the way, the merge renumbers and records it once.
    fs.rmSync(path.join(contentDir, "questions", p.slug));
    await review.merge(p.id, maintainer);
    expect((await getEvents(data, p.id)).filter((e) => e.type === "renumbered")).toHaveLength(1);
    expect((await getProposalRecord(data, p.id))!.fields.number).toBe(4);
  });

  it("requests changes with a comment, then closes with a comment: both reach the contributor's timeline", async () => {
    const { store, review } = await setup(false);
    const p = await proposeLocally(data, store, questionForm);
    expect((await refusal(review.requestChanges(p.id, maintainer, "   "))).status).toBe(422);

    await review.requestChanges(p.id, maintainer, "Please add an example with `update()`.");
    expect((await getProposalRecord(data, p.id))!.status).toBe("changes_requested");
    expect((await getEvents(data, p.id)).at(-1)).toMatchObject({ type: "changes-requested", detail: "A maintainer asked for changes: Please add an example with `update()`." });
    // Still in the queue, marked.
    expect((await review.queue(maintainer))[0]).toMatchObject({ id: p.id, status: "changes_requested" });

    // Closing needs a comment too.
    expect(await refusal(review.close(p.id, maintainer, ""))).toMatchObject({ status: 422, field: "comment" });
    expect((await getProposalRecord(data, p.id))!.status).toBe("changes_requested");
    await review.close(p.id, maintainer, "Duplicate of question 2.");
    expect((await getProposalRecord(data, p.id))!.status).toBe("closed");
    expect((await getEvents(data, p.id)).at(-1)).toMatchObject({ type: "closed", detail: "Closed by a maintainer without merging: Duplicate of question 2." });
    expect(await review.queue(maintainer)).toEqual([]);
    // Nothing left to do on a closed proposal.
    await refusal(review.merge(p.id, maintainer));
    expect((await refusal(review.close(p.id, maintainer, "Again."))).message).toMatch(/closed/);
  });

  it("refuses to merge an answer whose file name was taken meanwhile", async () => {
    const { contentDir, store, review } = await setup(false);
    const p = await proposeLocally(data, store, answerForm);
    const target = path.join(contentDir, p.files[0]!.path.slice("content/".length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, "---\nauthor: Bob Builder\ndate: 2026-12-01\n---\nAnother text.\n");
    await store.reload([p.files[0]!.path.slice("content/".length)]);
    expect((await review.detail(p.id, maintainer)).mergeBlocked).toMatch(/exists already/);
    expect((await refusal(review.merge(p.id, maintainer))).message).toMatch(/exists already/);
    expect(fs.readFileSync(target, "utf8")).toContain("Another text.");
  });

  it("answers 404 for ids that are not in the queue", async () => {
    const { review } = await setup(false);
    expect((await refusal(review.detail("nope", maintainer))).status).toBe(404);
    expect((await refusal(review.detail("pr-3", maintainer))).status).toBe(404);
  });
});

describeDialects("a local queue whose checkout follows a remote (CONTENT_REMOTE set)", (t) => {
  beforeEach(() => {
    data = t().data;
  });
  it("fast-forwards before the merge and pushes the merge commit, so the checkout never diverges", async () => {
      const { root } = contentRepo(true);
    const origin = `${tempDir()}/origin.git`;
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", origin);
    git(root, "push", "--quiet", origin, "HEAD:refs/heads/main");
    const checkout = `${tempDir()}/checkout`;
    git(root, "clone", "--quiet", origin, checkout);
    const other = `${tempDir()}/other`;
    git(root, "clone", "--quiet", origin, other);
    const contentDir = path.join(checkout, "content");
    const store = await loadStore(contentDir);
    const quiet = { info() {}, warn() {}, error() {} };
    const sync = createGitSync({ store, remote: "origin", log: quiet });
    const forge = createLocalForge({ records: proposalRecords(data), contentDir, runGit: bareGit, reload: (paths) => store.reload(paths), checkout: sync });
    const review = createReviewService({ data, store, forge, log: { warn() {} } });
    const p = await proposeLocally(data, store, questionForm);

    // Someone pushes an edit before the maintainer merges.
    fs.appendFileSync(path.join(other, "README.md"), "More.\n");
    git(other, "commit", "--quiet", "-am", "Edit the README");
    git(other, "push", "--quiet", "origin", "HEAD:main");

    const outcome = await review.merge(p.id, maintainer);
    expect(outcome.message).toMatch(/Pushed to the content remote\.$/);
    expect(git(checkout, "rev-parse", "HEAD")).toBe(git(origin, "rev-parse", "refs/heads/main"));
    expect(git(checkout, "log", "-1", "--format=%s")).toBe(`Question: \u2068${questionForm.title}\u2069 (#1)`);
    expect(git(checkout, "log", "-2", "--format=%s").split("\n")[1]).toBe("Edit the README");
    // The next poll has nothing to complain about.
    expect((await sync.sync("poll")).error).toBeUndefined();
    await store.close();
  });
});

describeDialects("where a local merge may write", (t) => {
  beforeEach(() => {
    data = t().data;
  });
  it("only under content/questions/, in the two shapes of the contract", () => {
    const { contentDir } = contentRepo(false);
    expect(contentTarget(contentDir, "content/questions/what-is-wsgi/question.md").rel).toBe("questions/what-is-wsgi/question.md");
    for (const bad of [
      "content/questions/../../../etc/passwd",
      "content/tags.yml",
      "content/LICENSE",
      "README.md",
      "/etc/passwd",
      "content/questions/what-is-wsgi/notes.txt",
      "content/questions/what-is-wsgi/answers/../../x/question.md",
      "content\\questions\\x\\question.md",
    ]) {
      expect(() => contentTarget(contentDir, bad), bad).toThrow();
    }
  });

  it("never through a symbolic link that leads out of the content folder", () => {
    const { contentDir } = contentRepo(false);
    const outside = fs.mkdtempSync(path.join(path.dirname(contentDir), "outside-"));
    fs.symlinkSync(outside, path.join(contentDir, "questions", "linked-away"));
    expect(() => contentTarget(contentDir, "content/questions/linked-away/question.md")).toThrow(/link/);
  });
});
