/**
 * The suite holds on a checkout after questions were merged through the app:
 * a copy of the repository's content/ in a git repository, a question (with
 * no answer: valid content) proposed and merged through the local review
 * flow, then the content tests (tests/content/) run on that folder.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { proposalRecords } from "~/modules/contributions/store.server";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import { createLocalForge } from "~/modules/forge/local/index.server";
import { runGit, type GitRunner } from "~/modules/git/run.server";
import { createReviewService, type Actor } from "~/modules/review/service.server";
import { ROOT } from "../support/app-server";
import { git, loadStore, proposeLocally, questionForm, tempDir } from "./helpers";

const maintainer: Actor = { login: "maintainer", via: "token" };
const isolatedGit: GitRunner = (args, options = {}) => runGit(args, { ...options, env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...options.env } });

let db: Database | undefined;
afterEach(() => db?.close());

describe("a checkout after a question was merged through the app", () => {
  it("passes the content tests", { timeout: 180_000 }, async () => {
    // The repository's content, committed in a repository of its own.
    const root = tempDir("dq-merged-");
    fs.cpSync(path.join(ROOT, "content"), path.join(root, "content"), { recursive: true });
    git(root, "init", "--quiet", "--initial-branch=main");
    git(root, "add", "--all");
    git(root, "commit", "--quiet", "-m", "The repository's content");
    const contentDir = path.join(root, "content");

    db = openMemoryDatabase();
    const data = sqliteDataLayer(db);
    const store = await loadStore(contentDir);
    const before = store.content.questions.length;
    const forge = createLocalForge({ records: proposalRecords(data), contentDir, runGit: isolatedGit, reload: (paths) => store.reload(paths) });
    const review = createReviewService({ data, store, forge, log: { warn() {} } });

    const p = await proposeLocally(data, store, { ...questionForm, title: "How does a merged question without answers look?", body: "What does a reader see for a question that has no answer yet?" });
    await review.merge(p.id, maintainer);

    // Merged: committed into the folder, served at once, and it has no answer.
    const merged = store.content.bySlug.get(p.slug);
    expect(merged?.answers).toEqual([]);
    expect(merged?.number).toBe(Math.max(...store.content.questions.filter((q) => q.slug !== p.slug).map((q) => q.number)) + 1);
    expect(store.content.questions).toHaveLength(before + 1);
    expect(fs.existsSync(path.join(contentDir, "questions", p.slug, "question.md"))).toBe(true);
    expect(git(root, "status", "--porcelain")).toBe("");

    // The content tests, on that folder.
    const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "tests/content", "--reporter=dot"], {
      cwd: ROOT,
      env: { ...process.env, CONTENT_TEST_DIR: contentDir, NO_COLOR: "1", FORCE_COLOR: "0" },
      encoding: "utf8",
    });
    // eslint-disable-next-line no-control-regex
    const output = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  });
});
