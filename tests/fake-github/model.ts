/**
 * The fake GitHub's in-memory state and the JSON shapes GitHub returns for it
 * (built after the response schemas of the OpenAPI description; the fake's
 * strict mode checks every response against them).
 */
import type { CommitObject, GitIdentity, ObjectStore } from "./git.js";

export type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export const ROLE_RANK: Record<Role, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export const WEB = "https://github.com";
export const ZERO_SHA = "0000000000000000000000000000000000000000";

export interface User {
  login: string;
  id: number;
  type: "User" | "Organization" | "Bot";
  name: string | null;
  email: string | null;
  createdAt: string;
  /** For bots: the app slug (`html_url` points at /apps/<slug>). */
  appSlug?: string;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface Comment {
  id: number;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
}

export interface Review {
  id: number;
  user: User;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export interface Pull {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  user: User;
  headRepo: Repo;
  headRef: string;
  baseRepo: Repo;
  /** Last known head SHA (follows the head branch while open). */
  headSha: string;
  baseRef: string;
  /** Frozen when the pull request closes; while open the base branch head is used. */
  baseSha: string;
  labels: string[];
  merged: boolean;
  mergedAt: string | null;
  mergedBy: User | null;
  mergeCommitSha: string | null;
  /** `undefined`: computed from the trees; `null`: "not computed yet"; boolean: forced. */
  mergeableOverride?: boolean | null;
  maintainerCanModify: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  comments: Comment[];
  reviews: Review[];
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | "stale" | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  app: AppInfo;
  checkSuiteId: number;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: User;
  createdAt: string;
}

export interface Repo {
  id: number;
  owner: User;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Shared by all repositories of a fork network. */
  store: ObjectStore;
  /** Full ref name (`refs/heads/main`) → SHA. */
  refs: Map<string, string>;
  parent?: Repo;
  forks: Repo[];
  /** Issue numbers are shared by pulls (the only issues this fake models). */
  nextNumber: number;
  pulls: Map<number, Pull>;
  labels: Map<string, Label>;
  checkRuns: CheckRun[];
  /** login (lower case) → role. */
  collaborators: Map<string, Role>;
  /** A fork GitHub is still creating: its git data answers 409/404 until both limits pass. */
  forking?: { requestsLeft: number; readyAt: number };
}

export function fullName(repo: Repo): string {
  return `${repo.owner.login}/${repo.name}`;
}

export function rootOf(repo: Repo): Repo {
  let r = repo;
  while (r.parent) r = r.parent;
  return r;
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

export function noreplyEmail(user: User): string {
  return `${user.id}+${user.login}@users.noreply.github.com`;
}

export function identityOf(user: User, date: string): GitIdentity {
  return { name: user.name ?? user.login, email: user.email ?? noreplyEmail(user), date };
}

export function base64Lines(buf: Buffer): string {
  const b64 = buf.toString("base64");
  return b64.length === 0 ? "" : `${b64.match(/.{1,60}/g)!.join("\n")}\n`;
}

/** Builds GitHub-shaped JSON. `api` is the fake's base URL (what `url` fields point at). */
export class Shapes {
  constructor(readonly api: string) {}

  user(u: User) {
    const api = `${this.api}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type, u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: "",
      url: api,
      html_url: u.appSlug ? `${WEB}/apps/${u.appSlug}` : `${WEB}/${u.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: u.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  publicUser(u: User, publicRepos: number) {
    return {
      ...this.user(u),
      name: u.name,
      company: null,
      blog: "",
      location: null,
      email: u.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: publicRepos,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: u.createdAt,
      updated_at: u.createdAt,
    };
  }

  privateUser(u: User, publicRepos: number, privateRepos: number) {
    return {
      ...this.publicUser(u, publicRepos),
      user_view_type: "private",
      notification_email: u.email,
      private_gists: 0,
      total_private_repos: privateRepos,
      owned_private_repos: privateRepos,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
    };
  }

  repoUrl(repo: Repo): string {
    return `${this.api}/repos/${repo.owner.login}/${repo.name}`;
  }

  htmlUrl(repo: Repo): string {
    return `${WEB}/${repo.owner.login}/${repo.name}`;
  }

  permissions(role: Role) {
    const r = ROLE_RANK[role];
    return { admin: r >= 5, maintain: r >= 4, push: r >= 3, triage: r >= 2, pull: r >= 1 };
  }

  /** The `repository` schema (as embedded in pulls, forks, …). */
  repository(repo: Repo, role?: Role) {
    const u = this.repoUrl(repo);
    const html = this.htmlUrl(repo);
    const forks = repo.forks.length;
    const openIssues = [...repo.pulls.values()].filter((p) => p.state === "open").length;
    return {
      id: repo.id,
      node_id: nodeId("Repository", repo.id),
      name: repo.name,
      full_name: fullName(repo),
      private: repo.private,
      owner: this.user(repo.owner),
      html_url: html,
      description: repo.description,
      fork: Boolean(repo.parent),
      url: u,
      archive_url: `${u}/{archive_format}{/ref}`,
      assignees_url: `${u}/assignees{/user}`,
      blobs_url: `${u}/git/blobs{/sha}`,
      branches_url: `${u}/branches{/branch}`,
      collaborators_url: `${u}/collaborators{/collaborator}`,
      comments_url: `${u}/comments{/number}`,
      commits_url: `${u}/commits{/sha}`,
      compare_url: `${u}/compare/{base}...{head}`,
      contents_url: `${u}/contents/{+path}`,
      contributors_url: `${u}/contributors`,
      deployments_url: `${u}/deployments`,
      downloads_url: `${u}/downloads`,
      events_url: `${u}/events`,
      forks_url: `${u}/forks`,
      git_commits_url: `${u}/git/commits{/sha}`,
      git_refs_url: `${u}/git/refs{/sha}`,
      git_tags_url: `${u}/git/tags{/sha}`,
      git_url: `git://github.com/${fullName(repo)}.git`,
      issue_comment_url: `${u}/issues/comments{/number}`,
      issue_events_url: `${u}/issues/events{/number}`,
      issues_url: `${u}/issues{/number}`,
      keys_url: `${u}/keys{/key_id}`,
      labels_url: `${u}/labels{/name}`,
      languages_url: `${u}/languages`,
      merges_url: `${u}/merges`,
      milestones_url: `${u}/milestones{/number}`,
      notifications_url: `${u}/notifications{?since,all,participating}`,
      pulls_url: `${u}/pulls{/number}`,
      releases_url: `${u}/releases{/id}`,
      ssh_url: `git@github.com:${fullName(repo)}.git`,
      stargazers_url: `${u}/stargazers`,
      statuses_url: `${u}/statuses/{sha}`,
      subscribers_url: `${u}/subscribers`,
      subscription_url: `${u}/subscription`,
      tags_url: `${u}/tags`,
      teams_url: `${u}/teams`,
      trees_url: `${u}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${u}/hooks`,
      svn_url: html,
      homepage: null,
      language: null,
      forks_count: forks,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: repo.defaultBranch,
      open_issues_count: openIssues,
      is_template: false,
      topics: [] as string[],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: repo.private ? "private" : "public",
      pushed_at: repo.pushedAt,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      ...(role ? { permissions: this.permissions(role) } : {}),
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
      forks,
      open_issues: openIssues,
      watchers: 0,
    };
  }

  /** The `full-repository` schema (GET /repos/{owner}/{repo}, POST forks). */
  fullRepository(repo: Repo, role?: Role) {
    return {
      ...this.repository(repo, role),
      allow_rebase_merge: true,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_update_branch: false,
      use_squash_pr_title_as_default: false,
      squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
      squash_merge_commit_message: "COMMIT_MESSAGES",
      merge_commit_title: "MERGE_MESSAGE",
      merge_commit_message: "PR_TITLE",
      network_count: rootOf(repo).forks.length,
      subscribers_count: 1,
      ...(repo.owner.type === "Organization" ? { organization: this.user(repo.owner) } : {}),
      ...(repo.parent ? { parent: this.repository(repo.parent), source: this.repository(rootOf(repo)) } : {}),
    };
  }

  gitRef(repo: Repo, ref: string, sha: string, type = "commit") {
    const u = this.repoUrl(repo);
    return {
      ref,
      node_id: Buffer.from(`REF_${repo.id}:${ref}`).toString("base64url"),
      url: `${u}/git/${ref}`,
      object: { sha, type, url: `${u}/git/${type}s/${sha}` },
    };
  }

  verification() {
    return { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
  }

  gitCommit(repo: Repo, c: CommitObject) {
    const u = this.repoUrl(repo);
    return {
      sha: c.sha,
      node_id: nodeId("Commit", parseInt(c.sha.slice(0, 8), 16)),
      url: `${u}/git/commits/${c.sha}`,
      html_url: `${this.htmlUrl(repo)}/commit/${c.sha}`,
      author: { ...c.author },
      committer: { ...c.committer },
      tree: { sha: c.tree, url: `${u}/git/trees/${c.tree}` },
      message: c.message,
      parents: c.parents.map((p) => ({ sha: p, url: `${u}/git/commits/${p}`, html_url: `${this.htmlUrl(repo)}/commit/${p}` })),
      verification: this.verification(),
    };
  }

  /** The `commit` schema (compare, …); `users` maps commit e-mails to accounts. */
  commit(repo: Repo, c: CommitObject, userByEmail: (email: string) => User | undefined) {
    const u = this.repoUrl(repo);
    const author = userByEmail(c.author.email);
    const committer = userByEmail(c.committer.email);
    return {
      url: `${u}/commits/${c.sha}`,
      sha: c.sha,
      node_id: nodeId("Commit", parseInt(c.sha.slice(0, 8), 16)),
      html_url: `${this.htmlUrl(repo)}/commit/${c.sha}`,
      comments_url: `${u}/commits/${c.sha}/comments`,
      commit: {
        url: `${u}/git/commits/${c.sha}`,
        author: { ...c.author },
        committer: { ...c.committer },
        message: c.message,
        comment_count: 0,
        tree: { sha: c.tree, url: `${u}/git/trees/${c.tree}` },
        verification: this.verification(),
      },
      author: author ? this.user(author) : null,
      committer: committer ? this.user(committer) : null,
      parents: c.parents.map((p) => ({ sha: p, url: `${u}/commits/${p}`, html_url: `${this.htmlUrl(repo)}/commit/${p}` })),
    };
  }

  contentEntry(repo: Repo, ref: string, path: string, type: "file" | "dir" | "submodule" | "symlink", sha: string, size: number) {
    const u = this.repoUrl(repo);
    const encPath = path.split("/").map(encodeURIComponent).join("/");
    const self = `${u}/contents/${encPath}?ref=${encodeURIComponent(ref)}`;
    const html = `${this.htmlUrl(repo)}/${type === "dir" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${encPath}`;
    const git = `${u}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
    return {
      name: path.split("/").pop() ?? path,
      path,
      sha,
      size,
      url: self,
      html_url: html,
      git_url: git,
      download_url:
        type === "file" ? `https://raw.githubusercontent.com/${fullName(repo)}/${encodeURIComponent(ref)}/${encPath}` : null,
      type,
      _links: { self, git, html },
    };
  }

  label(repo: Repo, l: Label) {
    return {
      id: l.id,
      node_id: nodeId("Label", l.id),
      url: `${this.repoUrl(repo)}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      color: l.color,
      default: l.default,
      description: l.description,
    };
  }

  issueComment(repo: Repo, pull: Pull, c: Comment, association: string) {
    const u = this.repoUrl(repo);
    return {
      id: c.id,
      node_id: nodeId("IssueComment", c.id),
      url: `${u}/issues/comments/${c.id}`,
      html_url: `${this.htmlUrl(repo)}/pull/${pull.number}#issuecomment-${c.id}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${u}/issues/${pull.number}`,
      author_association: association,
      performed_via_github_app: null,
      reactions: {
        url: `${u}/issues/comments/${c.id}/reactions`,
        total_count: 0,
        "+1": 0,
        "-1": 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
      },
    };
  }

  review(repo: Repo, pull: Pull, r: Review, association: string) {
    const html = `${this.htmlUrl(repo)}/pull/${pull.number}#pullrequestreview-${r.id}`;
    const prUrl = `${this.repoUrl(repo)}/pulls/${pull.number}`;
    return {
      id: r.id,
      node_id: nodeId("PullRequestReview", r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: prUrl,
      _links: { html: { href: html }, pull_request: { href: prUrl } },
      ...(r.state === "PENDING" ? {} : { submitted_at: r.submittedAt }),
      commit_id: r.commitId,
      author_association: association,
    };
  }

  integration(app: AppInfo) {
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId("App", app.id),
      client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
      owner: this.user(app.owner),
      name: app.name,
      description: null,
      external_url: `${WEB}/${app.owner.login}`,
      html_url: `${WEB}/apps/${app.slug}`,
      created_at: app.createdAt,
      updated_at: app.createdAt,
      permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write" },
      events: ["pull_request", "push"],
    };
  }

  checkRun(repo: Repo, run: CheckRun) {
    const u = this.repoUrl(repo);
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: nodeId("CheckRun", run.id),
      external_id: run.externalId,
      url: `${u}/check-runs/${run.id}`,
      html_url: `${this.htmlUrl(repo)}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: 0,
        annotations_url: `${u}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.checkSuiteId },
      app: this.integration(run.app),
      pull_requests: [] as unknown[],
    };
  }
}
