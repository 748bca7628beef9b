import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "./server.js";
import { octokitFor, requestFailure, SEED_FILES } from "./helpers.js";

const owner = "django-questions";
const repo = "content";

describe("fake GitHub: contribution happy path through a real Octokit", () => {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await startFakeGitHub({
      owner,
      repo,
      files: SEED_FILES,
      strict: true,
      users: [
        { login: "alice", token: "alice-token", permission: "write", name: "Alice Liddell", email: "alice@example.org" },
        { login: "bob", token: "bob-token" },
        { login: "Carol-C", id: 583231 },
      ],
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("creates a branch with a commit, opens a PR, labels it, finds it by head, squash-merges it", async () => {
    const alice = octokitFor(fake.url, "alice-token");

    const { data: repository } = await alice.rest.repos.get({ owner, repo });
    expect(repository.default_branch).toBe("main");
    expect(repository.full_name).toBe("django-questions/content");
    expect(repository.permissions).toMatchObject({ push: true, admin: false, pull: true });

    const { data: ref } = await alice.rest.git.getRef({ owner, repo, ref: "heads/main" });
    expect(ref.object.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(ref.object.sha).toBe(fake.branch("main")!.sha);
    const { data: baseCommit } = await alice.rest.git.getCommit({ owner, repo, commit_sha: ref.object.sha });

    const questionPath = "content/questions/what-is-asgi/question.md";
    const questionText = "---\nnumber: 2\ntitle: What is ASGI?\ntags: [deployment]\nadded: 2024-02-01\n---\n\nExplain ASGI.\n";
    const { data: blob } = await alice.rest.git.createBlob({ owner, repo, content: Buffer.from(questionText).toString("base64"), encoding: "base64" });
    // Same content → same SHA as `git hash-object` would give.
    const { data: blob2 } = await alice.rest.git.createBlob({ owner, repo, content: questionText, encoding: "utf-8" });
    expect(blob2.sha).toBe(blob.sha);

    const { data: tree } = await alice.rest.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.tree.sha,
      tree: [
        { path: questionPath, mode: "100644", type: "blob", sha: blob.sha },
        { path: "content/questions/what-is-asgi/answers/alice.md", mode: "100644", type: "blob", content: "An answer.\n" },
      ],
    });
    const { data: commit } = await alice.rest.git.createCommit({
      owner,
      repo,
      message: "Add question: What is ASGI?",
      tree: tree.sha,
      parents: [ref.object.sha],
    });
    expect(commit.author.name).toBe("Alice Liddell");

    const branch = "contrib/what-is-asgi";
    const { data: newRef, status } = await alice.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha });
    expect(status).toBe(201);
    expect(newRef.ref).toBe(`refs/heads/${branch}`);

    const again = await requestFailure(alice.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha }));
    expect(again.status).toBe(422);
    expect((again.response?.data as { message: string }).message).toBe("Reference already exists");

    // A ref with a slash is reachable through the single-ref endpoint (Octokit encodes it as %2F).
    const { data: branchRef } = await alice.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    expect(branchRef.object.sha).toBe(commit.sha);

    const { data: pr } = await alice.rest.pulls.create({ owner, repo, title: "Add question: What is ASGI?", head: branch, base: "main", body: "New question" });
    expect(pr.number).toBe(1);
    expect(pr.html_url).toBe("https://github.com/django-questions/content/pull/1");
    expect(pr.head.ref).toBe(branch);
    expect(pr.head.sha).toBe(commit.sha);
    expect(pr.mergeable).toBe(true);
    expect(pr.changed_files).toBe(2);

    const duplicate = await requestFailure(alice.rest.pulls.create({ owner, repo, title: "again", head: branch, base: "main" }));
    expect(duplicate.status).toBe(422);
    expect(JSON.stringify(duplicate.response?.data)).toContain("A pull request already exists for django-questions:contrib/what-is-asgi.");

    const { data: labels } = await alice.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: ["new-question", "bug"] });
    expect(labels.map((l) => l.name)).toEqual(["new-question", "bug"]);

    const { data: byHead } = await alice.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open" });
    expect(byHead.map((p) => p.number)).toEqual([1]);
    const { data: otherHead } = await alice.rest.pulls.list({ owner, repo, head: `${owner}:nope`, state: "all" });
    expect(otherHead).toEqual([]);

    const { data: files } = await alice.rest.pulls.listFiles({ owner, repo, pull_number: pr.number });
    expect(files.map((f) => [f.filename, f.status])).toEqual([
      ["content/questions/what-is-asgi/answers/alice.md", "added"],
      [questionPath, "added"],
    ]);
    expect(files[1]!.additions).toBe(questionText.split("\n").length - 1);

    const { data: content } = await alice.rest.repos.getContent({ owner, repo, path: questionPath, ref: branch });
    expect(Array.isArray(content)).toBe(false);
    expect(Buffer.from((content as { content: string }).content, "base64").toString("utf8")).toBe(questionText);

    const { data: comment } = await alice.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: "Thanks!" });
    expect(comment.html_url).toContain("/pull/1#issuecomment-");

    const stale = await requestFailure(alice.rest.pulls.merge({ owner, repo, pull_number: pr.number, merge_method: "squash", sha: ref.object.sha }));
    expect(stale.status).toBe(409);

    const mainBefore = fake.branch("main")!.sha;
    const { data: merge } = await alice.rest.pulls.merge({ owner, repo, pull_number: pr.number, merge_method: "squash", sha: commit.sha });
    expect(merge.merged).toBe(true);
    expect(fake.branch("main")!.sha).toBe(merge.sha);
    const [squash] = fake.commits("main");
    expect(squash!.parents).toEqual([mainBefore]);
    expect(squash!.message.split("\n")[0]).toBe("Add question: What is ASGI? (#1)");
    expect(fake.readFile("main", questionPath)).toBe(questionText);
    expect(fake.readFile("main", "content/tags.yml")).toBe(SEED_FILES["content/tags.yml"]);

    const { data: merged } = await alice.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(merged.merged).toBe(true);
    expect(merged.state).toBe("closed");
    expect(merged.merge_commit_sha).toBe(merge.sha);

    const notAgain = await requestFailure(alice.rest.pulls.merge({ owner, repo, pull_number: pr.number }));
    expect(notAgain.status).toBe(405);

    expect(fake.count("pulls/create")).toBe(2);
    expect(fake.requests.every((r) => r.operationId !== undefined)).toBe(true);
    fake.assertNoViolations();
  });

  it("answers like GitHub for missing things and missing rights", async () => {
    const bob = octokitFor(fake.url, "bob-token");
    const anonymous = octokitFor(fake.url);
    const stranger = octokitFor(fake.url, "who-is-this");

    expect((await requestFailure(bob.rest.repos.get({ owner, repo: "nope" }))).status).toBe(404);
    expect((await requestFailure(bob.rest.git.getRef({ owner, repo, ref: "heads/nope" }))).status).toBe(404);
    const bad = await requestFailure(stranger.rest.repos.get({ owner, repo }));
    expect(bad.status).toBe(401);
    expect((bad.response?.data as { message: string }).message).toBe("Bad credentials");
    expect(bad.response?.headers["x-ratelimit-limit"]).toBe("60");

    // Reading a public repository works for anyone; writing needs push access (GitHub hides it as 404).
    const { data: pub } = await anonymous.rest.repos.get({ owner, repo });
    expect(pub.permissions).toBeUndefined();
    const main = fake.branch("main")!.sha;
    expect((await requestFailure(bob.rest.git.createRef({ owner, repo, ref: "refs/heads/x", sha: main }))).status).toBe(404);
    expect((await requestFailure(anonymous.rest.git.createRef({ owner, repo, ref: "refs/heads/x", sha: main }))).status).toBe(401);
    expect(fake.branch("x")).toBeUndefined();

    const { data: perm } = await bob.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: "alice" });
    expect(perm.permission).toBe("write");
    expect(perm.role_name).toBe("write");
    const { data: bobPerm } = await bob.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: "bob" });
    expect(bobPerm.permission).toBe("read");

    const { data: me } = await bob.rest.users.getAuthenticated();
    expect(me.login).toBe("bob");
    const { data: alice } = await bob.rest.users.getByUsername({ username: "alice" });
    expect(alice.name).toBe("Alice Liddell");
    // Usernames match whatever the casing; the answer has the canonical login and the account id.
    const { data: seeded } = await bob.rest.users.getByUsername({ username: "CAROL-C" });
    expect(seeded).toMatchObject({ login: "Carol-C", id: 583231, type: "User" });
    const { data: org } = await bob.rest.users.getByUsername({ username: owner });
    expect(org.type).toBe("Organization");
    const nobody = await requestFailure(bob.rest.users.getByUsername({ username: "no-such-user" }));
    expect(nobody.status).toBe(404);
    expect((nobody.response?.data as { message: string }).message).toBe("Not Found");

    const label = await bob.rest.issues.getLabel({ owner, repo, name: "bug" });
    expect(label.data.color).toBe("d73a4a");
    const alicek = octokitFor(fake.url, "alice-token");
    const { status } = await alicek.rest.issues.createLabel({ owner, repo, name: "new-question", color: "0e8a16" });
    expect(status).toBe(201);
    const exists = await requestFailure(alicek.rest.issues.createLabel({ owner, repo, name: "New-Question", color: "0e8a16" }));
    expect(exists.status).toBe(422);
    expect(exists.response?.data).toMatchObject({ message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists", field: "name" }] });

    const { data: rate, headers } = await bob.rest.rateLimit.get();
    expect(rate.resources.core.limit).toBe(5000);
    expect(headers["x-ratelimit-remaining"]).toBeDefined();
    fake.assertNoViolations();
  });

  it("serves raw contents, directories, trees and compares branches", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    const raw = await alice.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path: "content/tags.yml",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe(SEED_FILES["content/tags.yml"]);

    const { data: dir } = await alice.rest.repos.getContent({ owner, repo, path: "content" });
    expect(Array.isArray(dir) && dir.map((e) => [e.name, e.type])).toEqual([
      ["questions", "dir"],
      ["tags.yml", "file"],
    ]);

    const { data: tree } = await alice.rest.git.getTree({ owner, repo, tree_sha: "main", recursive: "1" });
    expect(tree.tree.filter((e) => e.type === "blob").map((e) => e.path).sort()).toEqual(Object.keys(SEED_FILES).sort());

    const head = fake.pushCommit("feature", { "content/tags.yml": "- id: orm\n  label: ORM!\n  description: Models\n", "README.md": null }, "Edit tags", { author: "alice" });
    fake.pushCommit("main", { "NEWS.md": "news\n" }, "News");
    const { data: cmp } = await alice.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: "main...feature" });
    expect(cmp.status).toBe("diverged");
    expect(cmp.ahead_by).toBe(1);
    expect(cmp.behind_by).toBe(1);
    expect(cmp.commits.map((c) => c.sha)).toEqual([head]);
    expect(cmp.commits[0]!.author?.login).toBe("alice");
    expect(cmp.files?.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["README.md", "removed", 0, 1],
      ["content/tags.yml", "modified", 2, 2],
    ]);

    // Contents API write: create then update needs the blob sha.
    const put = await alice.rest.repos.createOrUpdateFileContents({ owner, repo, path: "docs/a.md", message: "Add a", content: Buffer.from("A\n").toString("base64"), branch: "feature" });
    expect(put.status).toBe(201);
    const missingSha = await requestFailure(alice.rest.repos.createOrUpdateFileContents({ owner, repo, path: "docs/a.md", message: "Edit a", content: Buffer.from("B\n").toString("base64"), branch: "feature" }));
    expect(missingSha.status).toBe(422);
    const upd = await alice.rest.repos.createOrUpdateFileContents({ owner, repo, path: "docs/a.md", message: "Edit a", content: Buffer.from("B\n").toString("base64"), branch: "feature", sha: put.data.content!.sha! });
    expect(upd.status).toBe(200);
    expect(fake.readFile("feature", "docs/a.md")).toBe("B\n");
    fake.assertNoViolations();
  });

  it("moves refs only forward unless forced, deletes refs, and closes PRs whose head branch is deleted", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    const first = fake.pushCommit("topic", { "a.md": "1\n" }, "one");
    const second = fake.pushCommit("topic", { "a.md": "2\n" }, "two");
    const { data: pr } = await alice.rest.pulls.create({ owner, repo, title: "Topic", head: "topic", base: "main" });
    expect(pr.head.sha).toBe(second);

    const notFf = await requestFailure(alice.rest.git.updateRef({ owner, repo, ref: "heads/topic", sha: fake.branch("main")!.sha }));
    expect(notFf.status).toBe(422);
    expect((notFf.response?.data as { message: string }).message).toBe("Update is not a fast forward");
    await alice.rest.git.updateRef({ owner, repo, ref: "heads/topic", sha: first, force: true });
    expect((await alice.rest.pulls.get({ owner, repo, pull_number: pr.number })).data.head.sha).toBe(first);

    await alice.rest.git.deleteRef({ owner, repo, ref: "heads/topic" });
    expect(fake.branch("topic")).toBeUndefined();
    expect(fake.pulls()[0]).toMatchObject({ state: "closed", merged: false });
    const gone = await requestFailure(alice.rest.git.deleteRef({ owner, repo, ref: "heads/topic" }));
    expect(gone.status).toBe(422);
    fake.assertNoViolations();
  });

  it("refuses to merge a conflicting PR with 405 and merges after a maintainer push resolves it", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    fake.pushCommit("edit-tags", { "content/tags.yml": "mine\n" }, "mine", { author: "alice" });
    fake.pushCommit("main", { "content/tags.yml": "theirs\n" }, "theirs");
    const { data: pr } = await alice.rest.pulls.create({ owner, repo, title: "Edit tags", head: "edit-tags", base: "main" });
    expect(pr.mergeable).toBe(false);
    expect(pr.mergeable_state).toBe("dirty");
    const refused = await requestFailure(alice.rest.pulls.merge({ owner, repo, pull_number: pr.number, merge_method: "squash" }));
    expect(refused.status).toBe(405);
    expect(fake.readFile("main", "content/tags.yml")).toBe("theirs\n");

    fake.setMergeable(pr.number, true);
    fake.setMergeable(pr.number, undefined);
    // Resolve by merging main into the branch (as a maintainer would in the UI), keeping "mine".
    const mainSha = fake.branch("main")!.sha;
    const headSha = fake.branch("edit-tags")!.sha;
    const { data: blob } = await alice.rest.git.createBlob({ owner, repo, content: "mine\n" });
    const { data: tree } = await alice.rest.git.createTree({ owner, repo, base_tree: mainSha, tree: [{ path: "content/tags.yml", mode: "100644", type: "blob", sha: blob.sha }] });
    const { data: mergeCommit } = await alice.rest.git.createCommit({ owner, repo, message: "Merge main", tree: tree.sha, parents: [headSha, mainSha] });
    await alice.rest.git.updateRef({ owner, repo, ref: "heads/edit-tags", sha: mergeCommit.sha });

    const { data: again } = await alice.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(again.mergeable).toBe(true);
    const { data: result } = await alice.rest.pulls.merge({ owner, repo, pull_number: pr.number, merge_method: "merge" });
    expect(result.merged).toBe(true);
    expect(fake.commits("main")[0]!.parents).toEqual([mainSha, mergeCommit.sha]);
    expect(fake.readFile("main", "content/tags.yml")).toBe("mine\n");
    fake.assertNoViolations();
  });

  it("records reviews and checks rules GitHub enforces on them", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    const bob = octokitFor(fake.url, "bob-token");
    fake.pushCommit("bob-answer", { "x.md": "x\n" }, "x", { author: "bob" });
    const { data: pr } = await bob.rest.pulls.create({ owner, repo, title: "Bob's answer", head: "bob-answer", base: "main" });
    const own = await requestFailure(bob.rest.pulls.createReview({ owner, repo, pull_number: pr.number, event: "APPROVE" }));
    expect(own.status).toBe(422);
    const { data: review } = await alice.rest.pulls.createReview({ owner, repo, pull_number: pr.number, event: "REQUEST_CHANGES", body: "Please cite the docs." });
    expect(review.state).toBe("CHANGES_REQUESTED");
    const { data: reviews } = await bob.rest.pulls.listReviews({ owner, repo, pull_number: pr.number });
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([["alice", "CHANGES_REQUESTED"]]);

    // Bob cannot merge (no push access) — GitHub hides the endpoint as 404.
    expect((await requestFailure(bob.rest.pulls.merge({ owner, repo, pull_number: pr.number }))).status).toBe(404);
    // …but can close his own PR.
    const { data: closed } = await bob.rest.pulls.update({ owner, repo, pull_number: pr.number, state: "closed" });
    expect(closed.state).toBe("closed");
    fake.assertNoViolations();
  });

  it("paginates lists with Link headers that octokit.paginate follows", async () => {
    const alice = octokitFor(fake.url, "alice-token");
    fake.pushCommit("many", { "m.md": "m\n" }, "m");
    const { data: pr } = await alice.rest.pulls.create({ owner, repo, title: "Many comments", head: "many", base: "main" });
    for (let i = 0; i < 7; i++) await alice.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: `comment ${i}` });
    const first = await alice.rest.issues.listComments({ owner, repo, issue_number: pr.number, per_page: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.headers.link).toContain('rel="next"');
    const all = await alice.paginate(alice.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 3 });
    expect(all.map((c) => c.body)).toEqual([...Array(7).keys()].map((i) => `comment ${i}`));
    fake.assertNoViolations();
  });

  it("forks for a contributor without push access, takes a cross-repository PR, and syncs the fork", async () => {
    const bob = octokitFor(fake.url, "bob-token");
    const alice = octokitFor(fake.url, "alice-token");
    const { data: fork, status } = await bob.rest.repos.createFork({ owner, repo });
    expect(status).toBe(202);
    expect(fork).toMatchObject({ full_name: "bob/content", fork: true, parent: { full_name: "django-questions/content" }, permissions: { admin: true } });
    expect(fake.branch("main", "bob/content")!.sha).toBe(fake.branch("main")!.sha);
    // Forking again returns the same fork.
    expect((await bob.rest.repos.createFork({ owner, repo })).data.id).toBe(fork.id);
    // GitHub makes the fork in the background: its git data is not there for a moment.
    const notReady = await requestFailure(bob.rest.git.getRef({ owner: "bob", repo, ref: "heads/main" }));
    expect(notReady.status).toBe(409);
    expect((notReady.response?.data as { message: string }).message).toBe("Git Repository is empty.");
    expect((await requestFailure(bob.rest.repos.getContent({ owner: "bob", repo, path: "README.md" }))).status).toBe(404);
    expect((await bob.rest.git.getRef({ owner: "bob", repo, ref: "heads/main" })).data.object.sha).toBe(fake.branch("main")!.sha);

    // Bob commits to a branch of his fork through the API.
    const main = fake.branch("main", "bob/content")!.sha;
    const { data: base } = await bob.rest.git.getCommit({ owner: "bob", repo, commit_sha: main });
    const { data: tree } = await bob.rest.git.createTree({ owner: "bob", repo, base_tree: base.tree.sha, tree: [{ path: "content/answers/bob.md", mode: "100644", type: "blob", content: "Bob's answer\n" }] });
    const { data: commit } = await bob.rest.git.createCommit({ owner: "bob", repo, message: "Answer", tree: tree.sha, parents: [main] });
    await bob.rest.git.createRef({ owner: "bob", repo, ref: "refs/heads/answer", sha: commit.sha });
    expect((await requestFailure(bob.rest.git.createRef({ owner, repo, ref: "refs/heads/answer", sha: commit.sha }))).status).toBe(404);

    const { data: pr } = await bob.rest.pulls.create({ owner, repo, title: "Bob's answer", head: "bob:answer", base: "main" });
    expect(pr.head).toMatchObject({ label: "bob:answer", ref: "answer", sha: commit.sha, repo: { full_name: "bob/content" } });
    expect(pr.author_association).toBe("NONE");
    const { data: listed } = await alice.rest.pulls.list({ owner, repo, head: "bob:answer" });
    expect(listed.map((p) => p.number)).toEqual([pr.number]);

    // Upstream moves on; the fork fast-forwards, then has nothing to do.
    const upstream = fake.pushCommit("main", { "NEWS.md": "news\n" }, "News");
    const { data: sync } = await bob.rest.repos.mergeUpstream({ owner: "bob", repo, branch: "main" });
    expect(sync.merge_type).toBe("fast-forward");
    expect(fake.branch("main", "bob/content")!.sha).toBe(upstream);
    expect((await bob.rest.repos.mergeUpstream({ owner: "bob", repo, branch: "main" })).data.merge_type).toBe("none");

    const { data: merged } = await alice.rest.pulls.merge({ owner, repo, pull_number: pr.number, merge_method: "squash" });
    expect(fake.readFile(merged.sha, "content/answers/bob.md")).toBe("Bob's answer\n");
    expect(fake.readFile("main", "NEWS.md")).toBe("news\n");
    fake.assertNoViolations();
  });
});
