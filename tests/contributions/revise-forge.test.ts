/**
 * A revision on the forges: on GitHub (the fake, which checks every request
 * against GitHub's OpenAPI description) a new commit on the same branch, the
 * same pull request showing it, its title and body updated; from a fork only
 * with the contributor's own sign-in. The local queue needs nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubForgeConfig } from "~/modules/forge/config.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";
import type { DeliverableProposal, DeliveryProgress, Forge, ProgressStore } from "~/modules/forge/types";
import { octokitFor } from "../fake-github/helpers";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";
import { startOutbox } from "~/modules/contributions/outbox.server";
import { reviseProposal } from "~/modules/contributions/revise.server";
import { createProposal, getProposal } from "~/modules/contributions/service.server";
import { setReviewStatus } from "~/modules/contributions/store.server";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase } from "~/modules/db/index.server";
import { reviseContext } from "../support/revise";
import { REPO_FILES } from "./fixtures";
import { memoryLog, proposalContext, questionForm } from "./helpers";
import { testForgeDeps } from "../support/forge-deps";

const OWNER = "django-questions";
const REPO = "content";
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) {
    try {
      fake.assertNoViolations();
    } finally {
      await fake.close();
    }
  }
});

function memoryProgress(): ProgressStore & { events: string[] } {
  let current: DeliveryProgress = {};
  const events: string[] = [];
  return {
    get current() {
      return current;
    },
    async save(patch) {
      current = { ...current, ...patch };
    },
    async note(type, detail) {
      events.push(`${type}: ${detail}`);
    },
    events,
  };
}

async function setup(): Promise<{ fake: FakeGitHub; forge: Forge }> {
  const fake = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: REPO_FILES,
    users: [
      { login: "dq-bot", token: "bot-token", permission: "write" },
      { login: "outsider", token: "outsider-token" },
    ],
    forkReadiness: { requests: 0 },
  });
  fakes.push(fake);
  const config: GitHubForgeConfig = { kind: "github", owner: OWNER, repo: REPO, apiUrl: fake.url, auth: { type: "token", token: "bot-token" } };
  const forge = createGitHubForge(config, testForgeDeps({ forkReadyDelaysMs: [5, 10] }));
  return { fake, forge };
}

const PATH = "content/questions/what-is-a-signal/question.md";
const question = (body: string, title = "What is a Django signal?") =>
  `---\nnumber: 3\ntitle: ${title}\ntags: [signals]\nadded: 2026-12-01\ncredit: Ann\n---\n${body}\n`;

function proposal(body: string, title?: string): DeliverableProposal {
  return {
    id: "rev1sion0abc",
    kind: "question",
    slug: "what-is-a-signal",
    questionTitle: title ?? "What is a Django signal?",
    files: [{ path: PATH, content: question(body, title) }],
    contributor: { name: "Ann", email: "ann@example.org" },
    title: `Question: ${title ?? "What is a Django signal?"}`,
    body: "A new question.",
    createdAt: "2026-12-01T10:00:00Z",
  };
}

describe("a revision on GitHub", () => {
  it("adds a commit to the same branch: the same pull request shows the revised file, with its new title", async () => {
    const { fake, forge } = await setup();
    const progress = memoryProgress();
    const first = proposal("What is a signal?");
    const delivered = await forge.deliver(first, progress);
    const firstCommit = progress.current.commitSha!;
    const octokit = octokitFor(fake.url, "bot-token");
    const pullsBefore = fake.count("pulls/create");

    const revised = proposal("What is a Django signal, and when is it sent? Name two built-in signals.", "What is a Django signal, and when is it sent?");
    const result = await forge.revise(revised, progress, { previousFiles: first.files, version: 2 });

    expect(result.commitSha).toBeTruthy();
    expect(result.commitSha).not.toBe(firstCommit);
    expect(progress.current.commitSha).toBe(result.commitSha);
    expect(fake.count("pulls/create")).toBe(pullsBefore);
    const { data: pr } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: delivered.number });
    expect(pr.state).toBe("open");
    expect(pr.head.sha).toBe(result.commitSha);
    expect(pr.title).toBe("Question: What is a Django signal, and when is it sent?");
    expect(pr.body).toContain("django-questions:proposal");
    const { data: commit } = await octokit.rest.git.getCommit({ owner: OWNER, repo: REPO, commit_sha: result.commitSha! });
    expect(commit.parents.map((p) => p.sha)).toEqual([firstCommit]);
    expect(commit.author.email).toBe("ann@example.org");
    expect(commit.message).toContain("(revision 2)");
    expect(commit.message).toContain("Proposal-Id: rev1sion0abc");
    const { data: file } = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: PATH, ref: delivered.branch });
    expect(Buffer.from((file as { content: string }).content, "base64").toString("utf8")).toContain("Name two built-in signals.");
    const { data: files } = await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: delivered.number });
    expect(files.map((f) => f.filename)).toEqual([PATH]);
  });

  it("builds on a branch someone else moved meanwhile (never overwrites it)", async () => {
    const { fake, forge } = await setup();
    const progress = memoryProgress();
    const first = proposal("What is a signal?");
    const delivered = await forge.deliver(first, progress);
    // A maintainer pushes a fix to the branch on GitHub.
    const octokit = octokitFor(fake.url, "bot-token");
    const { data: put } = await octokit.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: REPO,
      path: "content/questions/what-is-a-signal/notes.txt",
      message: "A maintainer's note",
      content: Buffer.from("note\n").toString("base64"),
      branch: delivered.branch,
    });
    const result = await forge.revise(proposal("What is a signal, really?"), progress, { previousFiles: first.files, version: 2 });
    const { data: commit } = await octokit.rest.git.getCommit({ owner: OWNER, repo: REPO, commit_sha: result.commitSha! });
    expect(commit.parents.map((p) => p.sha)).toEqual([put.commit.sha]);
  });

  it("refuses a pull request from the contributor's fork without their sign-in, with a message saying what to do", async () => {
    const { forge } = await setup();
    const progress = memoryProgress();
    const first = proposal("What is a signal?");
    await forge.deliver(first, progress, { userToken: "outsider-token" });
    expect(progress.current.headOwner).toBe("outsider");
    await expect(forge.revise(proposal("Revised."), progress, { previousFiles: first.files, version: 2 })).rejects.toThrow(
      /outsider\/content, the contributor's fork: sign in with GitHub/,
    );
    // Signed in as that contributor, the revision goes to their fork's branch.
    const result = await forge.revise(proposal("What is a signal, revised in the fork?"), progress, {
      previousFiles: first.files,
      version: 2,
      userToken: "outsider-token",
    });
    expect(result.commitSha).toBeTruthy();
  });

  it("refuses a proposal that has no pull request yet", async () => {
    const { forge } = await setup();
    await expect(forge.revise(proposal("x"), memoryProgress(), { previousFiles: [], version: 2 })).rejects.toThrow(/no pull request yet/);
  });

  it("through the store: the proposal keeps its pull request, the commit of its revision is its head, and it is in review again", async () => {
    const { fake, forge } = await setup();
    const db = openMemoryDatabase();
    try {
      const data = sqliteDataLayer(db);
      const created = await createProposal(questionForm, proposalContext(data));
      if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
      const id = created.proposal.id;
      const outbox = startOutbox({ data, forge, intervalMs: 3_600_000, log: memoryLog() });
      await outbox.drain();
      await outbox.stop();
      const delivered = (await getProposal(data, id))!.proposal;
      expect(delivered.status).toBe("opened");
      await setReviewStatus(data, id, "changes_requested", "A maintainer asked for changes: mention select_for_update().", Date.now());

      const body = "Explain how `F()` expressions avoid race conditions, and when `select_for_update()` is the better tool.";
      const result = await reviseProposal(id, { ...questionForm, body }, reviseContext(data, forge));
      expect(result).toEqual({ ok: true, version: 2 });
      const revised = (await getProposal(data, id))!.proposal;
      expect(revised.status).toBe("opened");
      expect(revised.prNumber).toBe(delivered.prNumber);
      expect(revised.commitSha).not.toBe(delivered.commitSha);
      const octokit = octokitFor(fake.url, "bot-token");
      const { data: pr } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: delivered.prNumber! });
      expect(pr.head.sha).toBe(revised.commitSha);
      const { data: file } = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path: revised.files[0]!.path, ref: pr.head.sha });
      expect(Buffer.from((file as { content: string }).content, "base64").toString("utf8")).toContain("when `select_for_update()` is the better tool");
      expect(fake.count("pulls/create")).toBe(1);
    } finally {
      db.close();
    }
  });
});
