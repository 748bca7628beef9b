/**
 * A stateful, honest fake of the parts of GitHub the Django Questions forge uses.
 *
 *   const fake = await startFakeGitHub({ files: { "content/tags.yml": "…" }, users: [{ login: "alice", token: "alice-token", permission: "write" }] });
 *   const octokit = new Octokit({ auth: "alice-token", baseUrl: fake.url });
 *   …
 *   fake.assertNoViolations();
 *   await fake.close();
 *
 * Every request is validated against GitHub's OpenAPI description (./openapi.json);
 * a request the real API would reject is answered like GitHub would, and is listed in
 * `fake.violations`. See README.md for what is modelled.
 */
import { createHmac, createPublicKey, randomBytes, randomUUID, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EMPTY_TREE_SHA, isSha, lineDiff, nowIso, ObjectStore, type CommitObject, type FlatEntry, type GitIdentity } from "./git.js";
import {
  base64Lines,
  fullName,
  identityOf,
  noreplyEmail,
  nodeId,
  ROLE_RANK,
  rootOf,
  Shapes,
  WEB,
  ZERO_SHA,
  type AppInfo,
  type CheckRun,
  type Comment,
  type Label,
  type Pull,
  type Repo,
  type Review,
  type Role,
  type User,
} from "./model.js";
import { loadValidator, type MatchedOperation, type OpenApiValidator } from "./openapi-validator.js";

export type { Role } from "./model.js";

// ---------------------------------------------------------------------------
// Public types

export interface FakeUserSeed {
  /** The canonical spelling: GitHub matches logins case-insensitively and answers with this one. */
  login: string;
  /** The account id (`GET /users/{username}`, the `ID+login@users.noreply.github.com` address). Default: the next free one from 1001. */
  id?: number;
  /** A personal access token that authenticates as this user. */
  token?: string;
  /** Role on the seeded repository. Default: none (public repositories are still readable). */
  permission?: Role;
  name?: string;
  email?: string;
}

export interface FakeAppSeed {
  id: number | string;
  /** PEM. Either key works: the public key is derived from the private one. */
  privateKey?: string;
  publicKey?: string;
  installationId: number;
  slug?: string;
  name?: string;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  private?: boolean;
  description?: string;
  /** Files of the initial commit on the default branch (path → text or bytes). */
  files?: Record<string, string | Uint8Array>;
  users?: FakeUserSeed[];
  app?: FakeAppSeed;
  webhook?: { url: string; secret: string; events?: string[] };
  oauth?: { clientId: string; clientSecret: string };
  /** Also validate the fake's own responses and webhook payloads against the spec. */
  strict?: boolean;
  /** Core rate limit per token per hour (default 5000; 60 for anonymous clients). */
  rateLimit?: number;
  /**
   * GitHub creates forks in the background: `POST forks` answers 202 at once, but the
   * fork's git data is not there yet. Until both limits are passed, a new fork answers
   * its git data and merge-upstream requests with 409 "Git Repository is empty."
   * and its contents with 404 "This repository is empty.". Default: the first 2 such
   * requests, no time limit. `{ requests: 0 }` makes forks ready at once.
   */
  forkReadiness?: { requests?: number; ms?: number };
}

export interface RequestRecord {
  method: string;
  /** Path as requested (no query string). */
  path: string;
  status: number;
  /** `undefined` for requests that matched no operation. OAuth endpoints use `oauth/authorize`, `oauth/access-token`. */
  operationId?: string;
  query: string;
  login?: string;
  body?: unknown;
  injected?: "before" | "after";
}

/** A request held by `hold()`. */
export interface HeldRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface Injection {
  method?: string;
  /** Exact path (`/repos/o/r/pulls`), spec template (`/repos/{owner}/{repo}/pulls`), operationId (`pulls/create`), or a RegExp tested on the path. */
  path: string | RegExp;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (use a value above the client's timeout to simulate a hang). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  abort?: boolean;
  /** How many matching requests to affect. Default 1. */
  times?: number;
}

export interface Delivery {
  id: string;
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  body: string;
  signature: string;
  redelivery: boolean;
  status?: number;
  error?: string;
  deliveredAt?: string;
}

export interface BranchInfo {
  name: string;
  sha: string;
  message: string;
  tree: string;
  parents: string[];
  /** Paths of all files on the branch. */
  files: string[];
}

export interface PullInfo {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  mergeCommitSha: string | null;
  title: string;
  body: string | null;
  user: string;
  draft: boolean;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string; repo: string };
  labels: string[];
  mergeable: boolean | null;
  comments: { user: string; body: string }[];
  reviews: { user: string; state: string; body: string }[];
}

export interface CommitInfo {
  sha: string;
  message: string;
  parents: string[];
  tree: string;
  author: GitIdentity;
  committer: GitIdentity;
}

// ---------------------------------------------------------------------------
// Internals

type Identity =
  | { kind: "anonymous"; key: string }
  | { kind: "user"; user: User; token: string; scopes?: string }
  | { kind: "installation"; user: User; token: string; installationId: number; repositories?: string[] }
  | { kind: "app"; appId: number };

interface TokenInfo {
  login: string;
  kind: "user" | "oauth" | "installation";
  expiresAt?: number;
  installationId?: number;
  scopes?: string;
  repositories?: string[];
}

interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-JSON body (e.g. raw file contents). */
  raw?: { contentType: string; data: Buffer | string };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? status));
  }
}

interface Ctx {
  op: MatchedOperation;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: any;
  identity: Identity;
  headers: IncomingMessage["headers"];
  url: URL;
  repo: Repo;
  role: Role;
  docs: string;
}

type Handler = (c: Ctx) => Result | Promise<Result>;

interface PendingInjection extends Injection {
  phase: "before" | "after";
  remaining: number;
  /** A held request (`hold()`): reported when it arrives, answered once released. */
  gate?: { arrived(request: HeldRequest): void; released: Promise<void> };
}

const DEFAULT_DOCS = "https://docs.github.com/rest";
const SEED_DATE = "2024-01-01T00:00:00Z";
const WEB_FLOW: GitIdentity = { name: "GitHub", email: "noreply@github.com", date: SEED_DATE };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function lower(s: string): string {
  return s.toLowerCase();
}

function statusText(status: number): string {
  return (
    {
      400: "Bad Request",
      401: "Requires authentication",
      403: "Forbidden",
      404: "Not Found",
      405: "Method Not Allowed",
      409: "Conflict",
      422: "Unprocessable Entity",
      500: "Server Error",
      502: "Bad Gateway",
      503: "Service Unavailable",
      504: "Gateway Timeout",
    }[status] ?? "Error"
  );
}

function decodeJwtPart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------

export class FakeGitHub {
  url = "";
  readonly requests: RequestRecord[] = [];
  readonly violations: string[] = [];
  readonly deliveries: Delivery[] = [];
  /** The login that "clicks Authorize" on /login/oauth/authorize. */
  oauthUser: string | undefined;
  /** When true, /login/oauth/authorize redirects back with `error=access_denied`. */
  oauthDeny = false;
  /** Validate the fake's own responses and webhook payloads. */
  strict: boolean;

  private server!: Server;
  private shapes!: Shapes;
  private readonly validator: OpenApiValidator;
  private readonly users = new Map<string, User>();
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly repos = new Map<string, Repo>();
  private readonly injections: PendingInjection[] = [];
  private readonly rate = new Map<string, { used: number; reset: number; limit: number }>();
  private readonly oauthCodes = new Map<string, { login: string; clientId: string; redirectUri?: string; scope: string; used: boolean }>();
  private readonly checkSuites = new Map<string, number>();
  private webhookQueue: Promise<void> = Promise.resolve();
  private ids = { user: 1000, repo: 5000, pull: 100000, label: 200000, comment: 300000, review: 400000, check: 500000, suite: 600000 };
  private appKey?: KeyObject;
  private app?: AppInfo & { installationId: number; account: User };
  private readonly actionsApp: AppInfo;
  private closed = false;
  private readonly handlers: Record<string, Handler>;
  readonly defaultRepo: string;

  constructor(private readonly options: FakeGitHubOptions = {}) {
    this.validator = loadValidator();
    this.strict = options.strict ?? false;
    const owner = this.ensureUser(options.owner ?? "django-questions", options.users?.some((u) => u.login === options.owner) ? "User" : "Organization");
    const githubOrg = this.ensureUser("github", "Organization");
    this.actionsApp = { id: 15368, slug: "github-actions", name: "GitHub Actions", owner: githubOrg, createdAt: SEED_DATE };
    this.ensureUser("github-actions[bot]", "Bot").appSlug = "github-actions";
    for (const seed of options.users ?? []) this.addUser(seed);
    const repo = this.createRepo({
      owner: owner.login,
      name: options.repo ?? "content",
      private: options.private ?? false,
      description: options.description ?? "Django self-check questions and community answers",
      defaultBranch: options.defaultBranch ?? "main",
      files: options.files ?? {},
    });
    this.defaultRepo = fullName(repo);
    for (const seed of options.users ?? []) if (seed.permission) repo.collaborators.set(lower(seed.login), seed.permission);
    if (options.app) {
      const a = options.app;
      const key = a.publicKey ?? a.privateKey;
      if (!key) throw new Error("app needs a publicKey or privateKey");
      this.appKey = createPublicKey(key);
      const slug = a.slug ?? "django-questions-bot";
      const bot = this.ensureUser(`${slug}[bot]`, "Bot");
      bot.appSlug = slug;
      this.app = { id: Number(a.id), slug, name: a.name ?? slug, owner, createdAt: SEED_DATE, installationId: a.installationId, account: owner };
    }
    this.handlers = this.buildHandlers();
  }

  // -------------------------------------------------------------------------
  // Lifecycle

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.violations.push(`fake GitHub crashed on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ message: "Server Error (fake GitHub bug)" }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.shapes = new Shapes(this.url);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushWebhooks().catch(() => undefined);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------
  // Test helpers: logs

  assertNoViolations(): void {
    if (this.violations.length > 0) {
      throw new Error(`The fake GitHub saw ${this.violations.length} violation(s):\n  ${this.violations.join("\n  ")}`);
    }
  }

  /** Number of logged requests for an operationId (`pulls/create`) or `METHOD path`. */
  count(what: string): number {
    return this.requests.filter((r) => r.operationId === what || `${r.method} ${r.path}` === what).length;
  }

  clearLog(): void {
    this.requests.length = 0;
    this.violations.length = 0;
  }

  // -------------------------------------------------------------------------
  // Test helpers: fault injection

  /** Answer matching requests with a fault instead of handling them (after validation). */
  inject(injection: Injection): void {
    this.injections.push({ ...injection, phase: "before", remaining: injection.times ?? 1 });
  }

  /** Handle matching requests normally (state changes!), then fail the response. */
  injectAfter(injection: Injection): void {
    this.injections.push({ ...injection, phase: "after", remaining: injection.times ?? 1 });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /**
   * Test control: holds the next matching request until `release()` — before handling it (GitHub has not
   * done the work yet; a client gone by then leaves nothing done) or after (the work is done, the answer is
   * held; a client gone by then never hears it). `reached` resolves with the request once it is held.
   * Nothing of the app changes: it sees a slow GitHub.
   */
  hold(target: { path: string | RegExp; method?: string; phase?: "before" | "after" }): { reached: Promise<HeldRequest>; release(): void } {
    let arrived!: (request: HeldRequest) => void;
    const reached = new Promise<HeldRequest>((r) => (arrived = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    this.injections.push({ path: target.path, ...(target.method ? { method: target.method } : {}), phase: target.phase ?? "after", remaining: 1, gate: { arrived, released } });
    return { reached, release };
  }

  // -------------------------------------------------------------------------
  // Test helpers: users, repositories

  addUser(seed: FakeUserSeed): User {
    if (seed.id !== undefined && !this.users.has(lower(seed.login))) {
      if ([...this.users.values()].some((u) => u.id === seed.id)) throw new Error(`user id ${seed.id} is taken`);
      this.users.set(lower(seed.login), { login: seed.login, id: seed.id, type: "User", name: null, email: null, createdAt: SEED_DATE });
    }
    const user = this.ensureUser(seed.login, "User");
    if (seed.name !== undefined) user.name = seed.name;
    if (seed.email !== undefined) user.email = seed.email;
    if (seed.token) this.tokens.set(seed.token, { login: user.login, kind: "user" });
    if (seed.permission && this.repos.size > 0) this.repoOrThrow().collaborators.set(lower(seed.login), seed.permission);
    return user;
  }

  setPermission(login: string, role: Role, repo?: string): void {
    this.repoOrThrow(repo).collaborators.set(lower(login), role);
  }

  createRepo(input: {
    owner: string;
    name: string;
    private?: boolean;
    description?: string | null;
    defaultBranch?: string;
    files?: Record<string, string | Uint8Array>;
  }): Repo {
    const key = lower(`${input.owner}/${input.name}`);
    if (this.repos.has(key)) throw new Error(`repository ${key} exists`);
    const owner = this.ensureUser(input.owner, "User");
    const store = new ObjectStore();
    const repo: Repo = {
      id: ++this.ids.repo,
      owner,
      name: input.name,
      private: input.private ?? false,
      description: input.description ?? null,
      defaultBranch: input.defaultBranch ?? "main",
      createdAt: SEED_DATE,
      updatedAt: SEED_DATE,
      pushedAt: SEED_DATE,
      store,
      refs: new Map(),
      forks: [],
      nextNumber: 1,
      pulls: new Map(),
      labels: new Map(),
      checkRuns: [],
      collaborators: new Map(),
    };
    for (const [name, color, description] of [
      ["bug", "d73a4a", "Something isn't working"],
      ["documentation", "0075ca", "Improvements or additions to documentation"],
      ["enhancement", "a2eeef", "New feature or request"],
    ] as const) {
      repo.labels.set(name, { id: ++this.ids.label, name, color, description, default: true });
    }
    const flat = new Map<string, FlatEntry>();
    for (const [path, content] of Object.entries(input.files ?? {})) {
      flat.set(path, { mode: "100644", type: "blob", sha: store.putBlob(Buffer.from(content)) });
    }
    const tree = store.buildTree(flat);
    const author = { name: owner.name ?? owner.login, email: noreplyEmail(owner), date: SEED_DATE };
    const sha = store.putCommit({ tree, parents: [], author, committer: author, message: "Initial commit" });
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, sha);
    this.repos.set(key, repo);
    return repo;
  }

  /** The head of a branch, or undefined. `repo` is `owner/name` (default: the seeded repository). */
  branch(name: string, repo?: string): BranchInfo | undefined {
    const r = this.repoOrThrow(repo);
    const sha = r.refs.get(`refs/heads/${name}`);
    if (!sha) return undefined;
    const commit = r.store.commit(sha)!;
    return { name, sha, message: commit.message, tree: commit.tree, parents: commit.parents, files: [...r.store.flatten(commit.tree).keys()].sort() };
  }

  /** Text of a file at a branch, tag or SHA; undefined when absent. */
  readFile(ref: string, path: string, repo?: string): string | undefined {
    const r = this.repoOrThrow(repo);
    const sha = this.resolveCommitish(r, ref);
    if (!sha) return undefined;
    const entry = r.store.flatten(r.store.commit(sha)!.tree).get(path);
    return entry ? r.store.blob(entry.sha)?.content.toString("utf8") : undefined;
  }

  pulls(repo?: string): PullInfo[] {
    const r = this.repoOrThrow(repo);
    return [...r.pulls.values()].map((p) => ({
      number: p.number,
      state: p.state,
      merged: p.merged,
      mergeCommitSha: p.mergeCommitSha,
      title: p.title,
      body: p.body,
      user: p.user.login,
      draft: p.draft,
      head: { ref: p.headRef, sha: p.headSha, repo: fullName(p.headRepo) },
      base: { ref: p.baseRef, sha: this.baseShaOf(p), repo: fullName(r) },
      labels: [...p.labels],
      mergeable: this.mergeableOf(p),
      comments: p.comments.map((c) => ({ user: c.user.login, body: c.body })),
      reviews: p.reviews.map((v) => ({ user: v.user.login, state: v.state, body: v.body })),
    }));
  }

  /** Commits of a branch (or SHA), newest first, following first parents. */
  commits(ref: string, repo?: string): CommitInfo[] {
    const r = this.repoOrThrow(repo);
    let sha = this.resolveCommitish(r, ref);
    const out: CommitInfo[] = [];
    while (sha) {
      const c = r.store.commit(sha);
      if (!c) break;
      out.push({ sha: c.sha, message: c.message, parents: [...c.parents], tree: c.tree, author: c.author, committer: c.committer });
      sha = c.parents[0];
    }
    return out;
  }

  labels(repo?: string): Label[] {
    return [...this.repoOrThrow(repo).labels.values()].map((l) => ({ ...l }));
  }

  /** Records a check run on a commit (as CI would), by the configured app or GitHub Actions. */
  setCheckRun(
    refOrSha: string,
    run: { name: string; status?: CheckRun["status"]; conclusion?: CheckRun["conclusion"]; title?: string; summary?: string },
    repo?: string,
  ): number {
    const r = this.repoOrThrow(repo);
    const sha = this.resolveCommitish(r, refOrSha);
    if (!sha) throw new Error(`unknown ref ${refOrSha}`);
    const now = nowIso();
    const status = run.status ?? (run.conclusion ? "completed" : "queued");
    return this.addCheckRun(r, this.app ?? this.actionsApp, {
      name: run.name,
      headSha: sha,
      status,
      conclusion: run.conclusion ?? null,
      startedAt: now,
      completedAt: status === "completed" ? now : null,
      externalId: null,
      detailsUrl: null,
      output: { title: run.title ?? null, summary: run.summary ?? null, text: null },
    }).id;
  }

  /** Simulates someone pushing a commit (files: path → text, or null to delete). Returns the new SHA. */
  pushCommit(branch: string, files: Record<string, string | Uint8Array | null>, message: string, opts: { repo?: string; author?: string } = {}): string {
    const r = this.repoOrThrow(opts.repo);
    const ref = `refs/heads/${branch}`;
    const parent = r.refs.get(ref) ?? r.refs.get(`refs/heads/${r.defaultBranch}`)!;
    const flat = r.store.flatten(r.store.commit(parent)!.tree);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else flat.set(path, { mode: "100644", type: "blob", sha: r.store.putBlob(Buffer.from(content)) });
    }
    const actor = opts.author ? this.userOrThrow(opts.author) : this.firstAdmin(r);
    const who = identityOf(actor, nowIso());
    const sha = r.store.putCommit({ tree: r.store.buildTree(flat), parents: [parent], author: who, committer: who, message });
    this.updateRef(r, ref, sha, actor);
    return sha;
  }

  /** Merges a pull request as a maintainer would in the web UI. Returns the merge commit SHA. */
  mergePull(number: number, opts: { method?: "merge" | "squash" | "rebase"; by?: string; repo?: string } = {}): string {
    const r = this.repoOrThrow(opts.repo);
    const pull = r.pulls.get(number);
    if (!pull) throw new Error(`no pull request #${number}`);
    const actor = opts.by ? this.userOrThrow(opts.by) : this.firstAdmin(r);
    return this.performMerge(r, pull, opts.method ?? "merge", actor, {});
  }

  /** Forces `mergeable` (false: conflicts; null: "not computed yet"; undefined: compute from trees). */
  setMergeable(number: number, value: boolean | null | undefined, repo?: string): void {
    const pull = this.repoOrThrow(repo).pulls.get(number);
    if (!pull) throw new Error(`no pull request #${number}`);
    pull.mergeableOverride = value;
  }

  // -------------------------------------------------------------------------
  // Test helpers: webhooks

  /** Waits until every queued webhook delivery has been attempted. */
  async flushWebhooks(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.webhookQueue;
      await current;
    } while (current !== this.webhookQueue);
  }

  /** Sends a delivery again (same X-GitHub-Delivery id, as GitHub's "Redeliver"). */
  async redeliver(deliveryId: string): Promise<Delivery> {
    const original = this.deliveries.find((d) => d.id === deliveryId);
    if (!original) throw new Error(`no delivery ${deliveryId}`);
    const copy: Delivery = { ...original, redelivery: true, status: undefined, error: undefined, deliveredAt: undefined };
    this.deliveries.push(copy);
    this.enqueueDelivery(copy);
    await this.flushWebhooks();
    return copy;
  }

  // -------------------------------------------------------------------------
  // State helpers

  private ensureUser(login: string, type: User["type"]): User {
    const existing = this.users.get(lower(login));
    if (existing) return existing;
    const taken = new Set([...this.users.values()].map((u) => u.id));
    let id = ++this.ids.user;
    while (taken.has(id)) id = ++this.ids.user;
    const user: User = { login, id, type, name: null, email: null, createdAt: SEED_DATE };
    this.users.set(lower(login), user);
    return user;
  }

  private userOrThrow(login: string): User {
    const u = this.users.get(lower(login));
    if (!u) throw new Error(`unknown user ${login}`);
    return u;
  }

  private repoOrThrow(name?: string): Repo {
    const r = this.repos.get(lower(name ?? this.defaultRepo));
    if (!r) throw new Error(`unknown repository ${name}`);
    return r;
  }

  private firstAdmin(repo: Repo): User {
    for (const [login, role] of repo.collaborators) if (ROLE_RANK[role] >= ROLE_RANK.maintain) return this.users.get(login)!;
    for (const [login, role] of repo.collaborators) if (ROLE_RANK[role] >= ROLE_RANK.write) return this.users.get(login)!;
    return repo.owner;
  }

  private network(repo: Repo): Repo[] {
    const out: Repo[] = [];
    const walk = (r: Repo) => {
      out.push(r);
      r.forks.forEach(walk);
    };
    walk(rootOf(repo));
    return out;
  }

  private roleOf(identity: Identity, repo: Repo): Role {
    let role: Role = "none";
    if (identity.kind === "user") {
      if (lower(identity.user.login) === lower(repo.owner.login)) role = "admin";
      else role = repo.collaborators.get(lower(identity.user.login)) ?? "none";
    } else if (identity.kind === "installation" && this.app) {
      const inScope =
        lower(repo.owner.login) === lower(this.app.account.login) &&
        (!identity.repositories || identity.repositories.some((n) => lower(n) === lower(repo.name)));
      role = inScope ? "write" : "none";
    }
    if (!repo.private && ROLE_RANK[role] < ROLE_RANK.read) role = "read";
    return role;
  }

  private resolveCommitish(repo: Repo, value: string): string | undefined {
    if (isSha(value)) return repo.store.commit(value) ? value : undefined;
    for (const ref of [`refs/heads/${value}`, `refs/tags/${value}`, `refs/${value}`, value]) {
      const sha = repo.refs.get(ref);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{7,39}$/.test(value)) {
      const matches = [...repo.store.objects.values()].filter((o) => o.type === "commit" && o.sha.startsWith(value));
      if (matches.length === 1) return matches[0]!.sha;
    }
    return undefined;
  }

  private userByEmail = (email: string): User | undefined => {
    for (const u of this.users.values()) if (u.email === email || noreplyEmail(u) === email) return u;
    return undefined;
  };

  private association(repo: Repo, user: User): string {
    if (lower(user.login) === lower(repo.owner.login)) return "OWNER";
    const role = repo.collaborators.get(lower(user.login));
    if (role && role !== "none") return repo.owner.type === "Organization" ? "MEMBER" : "COLLABORATOR";
    const merged = [...repo.pulls.values()].some((p) => p.merged && p.user === user);
    return merged ? "CONTRIBUTOR" : "NONE";
  }

  private baseShaOf(pull: Pull): string {
    return pull.state === "open" ? (pull.baseRepo.refs.get(`refs/heads/${pull.baseRef}`) ?? pull.baseSha) : pull.baseSha;
  }

  private mergeableOf(pull: Pull): boolean | null {
    if (pull.mergeableOverride !== undefined) return pull.mergeableOverride;
    if (pull.state !== "open") return null;
    return !("conflicts" in this.mergePreview(pull));
  }

  private mergePreview(pull: Pull) {
    const store = pull.baseRepo.store;
    const baseHead = this.baseShaOf(pull);
    const base = store.mergeBase(baseHead, pull.headSha);
    return store.mergeTrees(base ? store.commit(base)!.tree : undefined, store.commit(baseHead)!.tree, store.commit(pull.headSha)!.tree);
  }

  private mergeableState(pull: Pull): string {
    if (pull.state !== "open") return "unknown";
    if (pull.draft) return "draft";
    const m = this.mergeableOf(pull);
    if (m === null) return "unknown";
    if (!m) return "dirty";
    const failing = this.latestChecks(pull.baseRepo, pull.headSha).some(
      (c) => c.status === "completed" && ["failure", "timed_out", "cancelled", "action_required"].includes(c.conclusion ?? ""),
    );
    return failing ? "unstable" : "clean";
  }

  private latestChecks(repo: Repo, sha: string): CheckRun[] {
    const latest = new Map<string, CheckRun>();
    for (const run of rootOf(repo) === repo ? repo.checkRuns : [...repo.checkRuns, ...rootOf(repo).checkRuns]) {
      if (run.headSha === sha) latest.set(run.name, run);
    }
    return [...latest.values()];
  }

  private pullFiles(pull: Pull) {
    const store = pull.baseRepo.store;
    const base = store.mergeBase(this.baseShaOf(pull), pull.headSha);
    const fromTree = base ? store.commit(base)!.tree : undefined;
    return this.diffEntries(pull.headRepo, fromTree, store.commit(pull.headSha)!.tree, pull.headSha);
  }

  private diffEntries(repo: Repo, fromTree: string | undefined, toTree: string, ref: string) {
    const store = repo.store;
    const u = this.shapes.repoUrl(repo);
    const html = this.shapes.htmlUrl(repo);
    return store.diffTrees(fromTree, toTree).map((ch) => {
      const before = ch.oldSha ? store.blob(ch.oldSha)?.content.toString("utf8") ?? "" : "";
      const after = ch.newSha ? store.blob(ch.newSha)?.content.toString("utf8") ?? "" : "";
      const d = lineDiff(before, after);
      const encPath = ch.path.split("/").map(encodeURIComponent).join("/");
      return {
        sha: ch.newSha ?? ch.oldSha ?? null,
        filename: ch.path,
        status: ch.status,
        additions: d.additions,
        deletions: d.deletions,
        changes: d.additions + d.deletions,
        blob_url: `${html}/blob/${ref}/${encPath}`,
        raw_url: `${html}/raw/${ref}/${encPath}`,
        contents_url: `${u}/contents/${encPath}?ref=${ref}`,
        patch: d.patch,
      };
    });
  }

  private pullJson(pull: Pull, full: boolean) {
    const repo = pull.baseRepo;
    const s = this.shapes;
    const u = s.repoUrl(repo);
    const html = s.htmlUrl(repo);
    const n = pull.number;
    const link = (href: string) => ({ href });
    const simple = {
      url: `${u}/pulls/${n}`,
      id: pull.id,
      node_id: nodeId("PullRequest", pull.id),
      html_url: `${html}/pull/${n}`,
      diff_url: `${html}/pull/${n}.diff`,
      patch_url: `${html}/pull/${n}.patch`,
      issue_url: `${u}/issues/${n}`,
      number: n,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: s.user(pull.user),
      body: pull.body,
      // The spec types a pull request's label description as a plain string.
      labels: pull.labels.map((name) => {
        const label = s.label(repo, repo.labels.get(lower(name))!);
        return { ...label, description: label.description ?? "" };
      }),
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [] as unknown[],
      requested_reviewers: [] as unknown[],
      requested_teams: [] as unknown[],
      draft: pull.draft,
      commits_url: `${u}/pulls/${n}/commits`,
      review_comments_url: `${u}/pulls/${n}/comments`,
      review_comment_url: `${u}/pulls/comments{/number}`,
      comments_url: `${u}/issues/${n}/comments`,
      statuses_url: `${u}/statuses/${pull.headSha}`,
      head: {
        label: `${pull.headRepo.owner.login}:${pull.headRef}`,
        ref: pull.headRef,
        sha: pull.headSha,
        user: s.user(pull.headRepo.owner),
        repo: s.repository(pull.headRepo),
      },
      base: {
        label: `${repo.owner.login}:${pull.baseRef}`,
        ref: pull.baseRef,
        sha: this.baseShaOf(pull),
        user: s.user(repo.owner),
        repo: s.repository(repo),
      },
      _links: {
        self: link(`${u}/pulls/${n}`),
        html: link(`${html}/pull/${n}`),
        issue: link(`${u}/issues/${n}`),
        comments: link(`${u}/issues/${n}/comments`),
        review_comments: link(`${u}/pulls/${n}/comments`),
        review_comment: link(`${u}/pulls/comments{/number}`),
        commits: link(`${u}/pulls/${n}/commits`),
        statuses: link(`${u}/statuses/${pull.headSha}`),
      },
      author_association: this.association(repo, pull.user),
      auto_merge: null,
    };
    if (!full) return simple;
    const files = this.pullFiles(pull);
    const store = repo.store;
    const mergeBase = store.mergeBase(this.baseShaOf(pull), pull.headSha);
    const mergeable = this.mergeableOf(pull);
    return {
      ...simple,
      merged: pull.merged,
      mergeable,
      rebaseable: mergeable,
      mergeable_state: this.mergeableState(pull),
      merged_by: pull.mergedBy ? s.user(pull.mergedBy) : null,
      comments: pull.comments.length,
      review_comments: 0,
      maintainer_can_modify: pull.maintainerCanModify,
      commits: store.commitsBetween(mergeBase, pull.headSha).length,
      additions: files.reduce((a, f) => a + f.additions, 0),
      deletions: files.reduce((a, f) => a + f.deletions, 0),
      changed_files: files.length,
    };
  }

  private addCheckRun(repo: Repo, app: AppInfo, run: Omit<CheckRun, "id" | "app" | "checkSuiteId">): CheckRun {
    const suiteKey = `${repo.id}:${app.id}:${run.headSha}`;
    let suite = this.checkSuites.get(suiteKey);
    if (!suite) this.checkSuites.set(suiteKey, (suite = ++this.ids.suite));
    const full: CheckRun = { ...run, id: ++this.ids.check, app, checkSuiteId: suite };
    repo.checkRuns.push(full);
    return full;
  }

  /** Every ref change goes through here: pushes, PR head tracking, webhooks. */
  private updateRef(repo: Repo, ref: string, sha: string | undefined, actor: User, forced = false): void {
    const before = repo.refs.get(ref);
    if (sha) repo.refs.set(ref, sha);
    else repo.refs.delete(ref);
    const now = nowIso();
    repo.pushedAt = now;
    repo.updatedAt = now;
    this.sendPush(repo, ref, before, sha, actor, forced);
    if (!ref.startsWith("refs/heads/")) return;
    const branch = ref.slice("refs/heads/".length);
    for (const r of this.network(repo)) {
      for (const pull of r.pulls.values()) {
        if (pull.state !== "open") continue;
        if (pull.headRepo === repo && pull.headRef === branch) {
          if (sha) {
            const old = pull.headSha;
            pull.headSha = sha;
            pull.updatedAt = now;
            this.sendPullRequest(pull, "synchronize", actor, { before: old, after: sha });
          } else {
            this.closePull(pull, actor);
          }
        } else if (r === repo && pull.baseRef === branch && !sha) {
          this.closePull(pull, actor);
        }
      }
    }
  }

  private closePull(pull: Pull, actor: User): void {
    const now = nowIso();
    pull.baseSha = this.baseShaOf(pull);
    pull.state = "closed";
    pull.closedAt = now;
    pull.updatedAt = now;
    this.sendPullRequest(pull, "closed", actor);
  }

  private performMerge(repo: Repo, pull: Pull, method: "merge" | "squash" | "rebase", actor: User, text: { title?: string; message?: string }): string {
    if (pull.state !== "open" || pull.draft || pull.mergeableOverride === false) {
      throw new HttpError(405, { message: "Pull Request is not mergeable" });
    }
    const store = repo.store;
    const baseRef = `refs/heads/${pull.baseRef}`;
    const baseHead = repo.refs.get(baseRef);
    if (!baseHead) throw new HttpError(405, { message: "Base branch was deleted" });
    const preview = this.mergePreview(pull);
    if ("conflicts" in preview) throw new HttpError(405, { message: "Pull Request is not mergeable" });
    const now = nowIso();
    const committer: GitIdentity = { ...WEB_FLOW, date: now };
    const headCommits = store.commitsBetween(store.mergeBase(baseHead, pull.headSha), pull.headSha);
    let sha: string;
    if (method === "squash") {
      const title = text.title ?? `${pull.title} (#${pull.number})`;
      const message = text.message ?? headCommits.map((c) => `* ${c.message}`).join("\n\n");
      sha = store.putCommit({
        tree: store.buildTree(preview.flat),
        parents: [baseHead],
        author: identityOf(pull.user, now),
        committer,
        message: message ? `${title}\n\n${message}` : title,
      });
    } else if (method === "merge") {
      const title = text.title ?? `Merge pull request #${pull.number} from ${pull.headRepo.owner.login}/${pull.headRef}`;
      const message = text.message ?? pull.title;
      sha = store.putCommit({
        tree: store.buildTree(preview.flat),
        parents: [baseHead, pull.headSha],
        author: identityOf(actor, now),
        committer,
        message: message ? `${title}\n\n${message}` : title,
      });
    } else {
      sha = baseHead;
      for (const c of headCommits) {
        const parentTree = c.parents[0] ? store.commit(c.parents[0])!.tree : undefined;
        const step = store.mergeTrees(parentTree, store.commit(sha)!.tree, c.tree);
        if ("conflicts" in step) throw new HttpError(405, { message: "This branch can't be rebased" });
        sha = store.putCommit({ tree: store.buildTree(step.flat), parents: [sha], author: c.author, committer, message: c.message });
      }
    }
    pull.baseSha = baseHead;
    this.updateRef(repo, baseRef, sha, actor);
    pull.state = "closed";
    pull.merged = true;
    pull.mergedAt = now;
    pull.closedAt = now;
    pull.updatedAt = now;
    pull.mergedBy = actor;
    pull.mergeCommitSha = sha;
    this.sendPullRequest(pull, "closed", actor);
    return sha;
  }

  // -------------------------------------------------------------------------
  // Webhooks

  private webhookRepoInScope(repo: Repo): boolean {
    return lower(repo.owner.login) === lower(this.repoOrThrow().owner.login);
  }

  private installationField() {
    return this.app ? { installation: { id: this.app.installationId, node_id: nodeId("Installation", this.app.installationId) } } : {};
  }

  private sendPush(repo: Repo, ref: string, before: string | undefined, after: string | undefined, actor: User, forced: boolean): void {
    if (!this.options.webhook || !this.webhookRepoInScope(repo)) return;
    const store = repo.store;
    // A new branch lists only the commits no other branch already had, as GitHub does.
    let commits: CommitObject[] = [];
    if (after && before) commits = store.commitsBetween(before, after);
    else if (after) {
      const known = new Set<string>();
      for (const [other, sha] of repo.refs) if (other !== ref) for (const a of store.ancestors(sha)) known.add(a);
      commits = store.commitsBetween(undefined, after).filter((c) => !known.has(c.sha));
    }
    commits = commits.slice(-20);
    const html = this.shapes.htmlUrl(repo);
    const commitJson = (c: CommitObject) => {
      const parentTree = c.parents[0] ? store.commit(c.parents[0])?.tree : undefined;
      const changes = store.diffTrees(parentTree, c.tree);
      const author = this.userByEmail(c.author.email);
      const committer = this.userByEmail(c.committer.email);
      return {
        id: c.sha,
        tree_id: c.tree,
        distinct: true,
        message: c.message,
        timestamp: c.committer.date,
        url: `${html}/commit/${c.sha}`,
        author: { name: c.author.name, email: c.author.email, ...(author ? { username: author.login } : {}) },
        committer: { name: c.committer.name, email: c.committer.email, ...(committer ? { username: committer.login } : {}) },
        added: changes.filter((x) => x.status === "added").map((x) => x.path),
        removed: changes.filter((x) => x.status === "removed").map((x) => x.path),
        modified: changes.filter((x) => x.status === "modified").map((x) => x.path),
      };
    };
    const headCommit = after ? store.commit(after) : undefined;
    const repository = this.shapes.repository(repo);
    this.deliver("push", undefined, {
      ref,
      before: before ?? ZERO_SHA,
      after: after ?? ZERO_SHA,
      created: !before,
      deleted: !after,
      forced,
      base_ref: null,
      compare: before && after ? `${html}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}` : `${html}/commit/${(after ?? before)!.slice(0, 12)}`,
      commits: commits.map(commitJson),
      head_commit: headCommit ? commitJson(headCommit) : null,
      repository: {
        ...repository,
        created_at: Math.floor(Date.parse(repo.createdAt) / 1000),
        pushed_at: Math.floor(Date.parse(repo.pushedAt) / 1000),
        master_branch: repo.defaultBranch,
        stargazers: 0,
        ...(repo.owner.type === "Organization" ? { organization: repo.owner.login } : {}),
        owner: { ...repository.owner, name: repo.owner.login, email: null },
        custom_properties: {},
      },
      pusher: { name: actor.login, email: actor.email ?? noreplyEmail(actor) },
      sender: this.shapes.user(actor),
      ...(repo.owner.type === "Organization" ? { organization: this.orgJson(repo.owner) } : {}),
      ...this.installationField(),
    });
  }

  private orgJson(org: User) {
    const u = `${this.url}/orgs/${org.login}`;
    return {
      login: org.login,
      id: org.id,
      node_id: nodeId("Organization", org.id),
      url: u,
      repos_url: `${u}/repos`,
      events_url: `${u}/events`,
      hooks_url: `${u}/hooks`,
      issues_url: `${u}/issues`,
      members_url: `${u}/members{/member}`,
      public_members_url: `${u}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
      description: null,
    };
  }

  private sendPullRequest(pull: Pull, action: string, actor: User, extra: Record<string, unknown> = {}): void {
    const repo = pull.baseRepo;
    if (!this.options.webhook || !this.webhookRepoInScope(repo)) return;
    const repository = this.shapes.fullRepository(repo);
    this.deliver("pull_request", action, {
      action,
      number: pull.number,
      pull_request: {
        ...this.pullJson(pull, true),
        allow_auto_merge: false,
        allow_update_branch: false,
        delete_branch_on_merge: false,
        use_squash_pr_title_as_default: false,
      },
      ...extra,
      repository,
      sender: this.shapes.user(actor),
      ...(repo.owner.type === "Organization" ? { organization: this.orgJson(repo.owner) } : {}),
      ...this.installationField(),
    });
  }

  private deliver(event: string, action: string | undefined, payload: Record<string, unknown>): void {
    const hook = this.options.webhook;
    if (!hook) return;
    if (hook.events && !hook.events.includes(event) && !hook.events.includes("*")) return;
    if (this.strict) {
      const name = action ? `${event.replace(/_/g, "-")}-${action}` : event;
      const spec = this.validator.spec["x-webhooks"] as Record<string, unknown> | undefined;
      if (spec && name in spec) this.violations.push(...this.validator.validateWebhook(name, payload));
    }
    const body = JSON.stringify(payload);
    const delivery: Delivery = {
      id: randomUUID(),
      event,
      action,
      payload,
      body,
      signature: `sha256=${createHmac("sha256", hook.secret).update(body).digest("hex")}`,
      redelivery: false,
    };
    this.deliveries.push(delivery);
    this.enqueueDelivery(delivery);
  }

  private enqueueDelivery(delivery: Delivery): void {
    const hook = this.options.webhook!;
    this.webhookQueue = this.webhookQueue.then(async () => {
      try {
        const res = await fetch(hook.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "GitHub-Hookshot/fake",
            "x-github-event": delivery.event,
            "x-github-delivery": delivery.id,
            "x-github-hook-id": "1",
            "x-github-hook-installation-target-type": this.app ? "integration" : "repository",
            "x-github-hook-installation-target-id": String(this.app ? this.app.id : this.repoOrThrow().id),
            "x-hub-signature-256": delivery.signature,
            "x-hub-signature": `sha1=${createHmac("sha1", hook.secret).update(delivery.body).digest("hex")}`,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(10_000),
        });
        delivery.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (error) {
        delivery.error = (error as Error).message;
      }
      delivery.deliveredAt = nowIso();
    });
  }

  // -------------------------------------------------------------------------
  // HTTP

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private send(res: ServerResponse, result: Result, extraHeaders: Record<string, string>): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = {
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      ...extraHeaders,
      ...(result.headers ?? {}),
    };
    if (result.raw) {
      headers["content-type"] = result.raw.contentType;
      res.writeHead(result.status, headers);
      res.end(result.raw.data);
      return;
    }
    if (result.body === undefined || result.status === 204 || result.status === 304) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    headers["content-type"] ??= "application/json; charset=utf-8";
    res.writeHead(result.status, headers);
    res.end(typeof result.body === "string" && !headers["content-type"].includes("json") ? result.body : JSON.stringify(result.body));
  }

  private identify(req: IncomingMessage): Identity | HttpError {
    const auth = req.headers.authorization;
    const anonymous: Identity = { kind: "anonymous", key: `anon:${req.socket.remoteAddress}` };
    if (!auth) return anonymous;
    const m = /^(token|bearer)\s+(\S+)$/i.exec(auth.trim());
    if (!m) return new HttpError(401, { message: "Bad credentials" });
    const token = m[2]!;
    if (/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(token) && m[1]!.toLowerCase() === "bearer") return this.verifyJwt(token);
    const info = this.tokens.get(token);
    if (!info || (info.expiresAt !== undefined && info.expiresAt < Date.now())) return new HttpError(401, { message: "Bad credentials" });
    const user = this.users.get(lower(info.login))!;
    if (info.kind === "installation") {
      return { kind: "installation", user, token, installationId: info.installationId!, repositories: info.repositories };
    }
    return { kind: "user", user, token, scopes: info.scopes };
  }

  private verifyJwt(token: string): Identity | HttpError {
    const undecodable = new HttpError(401, { message: "A JSON web token could not be decoded" });
    if (!this.app || !this.appKey) return undecodable;
    const [h, p, sig] = token.split(".") as [string, string, string];
    const header = decodeJwtPart(h);
    const payload = decodeJwtPart(p);
    if (!header || !payload || header.alg !== "RS256") return undecodable;
    const ok = cryptoVerify("RSA-SHA256", Buffer.from(`${h}.${p}`), this.appKey, Buffer.from(sig, "base64url"));
    if (!ok) return undecodable;
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp, iss } = payload as { iat?: unknown; exp?: unknown; iss?: unknown };
    if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + 60) {
      return new HttpError(401, { message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" });
    }
    if (typeof exp !== "number" || exp <= now) {
      return new HttpError(401, {
        message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      });
    }
    if (exp > now + 660 || exp - iat > 660) {
      return new HttpError(401, { message: "'Expiration time' claim ('exp') is too far in the future" });
    }
    if (String(iss) !== String(this.app.id)) return new HttpError(401, { message: "Integration not found" });
    return { kind: "app", appId: this.app.id };
  }

  private rateFor(identity: Identity) {
    const key = identity.kind === "anonymous" ? identity.key : identity.kind === "app" ? `app:${identity.appId}` : identity.token;
    const nowS = Math.floor(Date.now() / 1000);
    let entry = this.rate.get(key);
    if (!entry || entry.reset <= nowS) {
      const limit = identity.kind === "anonymous" ? 60 : (this.options.rateLimit ?? 5000);
      entry = { used: 0, reset: nowS + 3600, limit };
      this.rate.set(key, entry);
    }
    return entry;
  }

  private rateHeaders(entry: { used: number; reset: number; limit: number }): Record<string, string> {
    return {
      "x-ratelimit-limit": String(entry.limit),
      "x-ratelimit-remaining": String(Math.max(0, entry.limit - entry.used)),
      "x-ratelimit-reset": String(entry.reset),
      "x-ratelimit-used": String(entry.used),
      "x-ratelimit-resource": "core",
    };
  }

  private matchInjection(phase: "before" | "after", method: string, path: string, op?: MatchedOperation): PendingInjection | undefined {
    for (const inj of this.injections) {
      if (inj.phase !== phase || inj.remaining <= 0) continue;
      if (inj.method && inj.method.toUpperCase() !== method) continue;
      const hit =
        inj.path instanceof RegExp
          ? inj.path.test(path)
          : inj.path === path || (op && (inj.path === op.template || inj.path === op.operationId));
      if (!hit) continue;
      inj.remaining--;
      return inj;
    }
    return undefined;
  }

  private injectedResult(inj: PendingInjection, docs: string): Result {
    const status = inj.status ?? 500;
    const body =
      inj.body !== undefined
        ? inj.body
        : status === 500
          ? undefined
          : { message: statusText(status), documentation_url: docs, status: String(status) };
    return { status, body: body ?? "", headers: { ...(inj.headers ?? {}), ...(status === 500 && inj.body === undefined ? { "content-type": "text/plain; charset=utf-8" } : {}) } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const raw = await this.readBody(req);
    const record: RequestRecord = { method, path, status: 0, query: url.search };

    if (path.startsWith("/login/oauth/")) {
      const result = this.handleOAuth(method, path, url, req, raw, record);
      record.status = result.status;
      this.requests.push(record);
      this.send(res, result, {});
      return;
    }

    const identity = this.identify(req);
    if (identity instanceof HttpError) {
      record.status = identity.status;
      this.requests.push(record);
      const anonymousRate = this.rateFor({ kind: "anonymous", key: `anon:${req.socket.remoteAddress}` });
      this.send(res, { status: identity.status, body: { ...identity.body, documentation_url: DEFAULT_DOCS, status: String(identity.status) } }, this.rateHeaders(anonymousRate));
      return;
    }
    if (identity.kind === "user" || identity.kind === "installation") record.login = identity.user.login;
    const rate = this.rateFor(identity);
    const isRateLimitCall = path === "/rate_limit";
    if (!isRateLimitCall) {
      if (rate.used >= rate.limit) {
        record.status = 403;
        this.requests.push(record);
        const who = identity.kind === "user" || identity.kind === "installation" ? `user ID ${identity.user.id}` : String(req.socket.remoteAddress);
        this.send(res, { status: 403, body: { message: `API rate limit exceeded for ${who}.`, documentation_url: `${DEFAULT_DOCS}/overview/rate-limits-for-the-rest-api`, status: "403" } }, this.rateHeaders(rate));
        return;
      }
      rate.used++;
    }
    const rateHeaders = this.rateHeaders(rate);

    // Parse and validate.
    let body: unknown;
    const text = raw.toString("utf8");
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        const violation = `${method} ${path}: request body is not valid JSON`;
        this.violations.push(violation);
        record.status = 400;
        this.requests.push(record);
        this.send(res, { status: 400, body: { message: "Problems parsing JSON", documentation_url: DEFAULT_DOCS, status: "400" } }, rateHeaders);
        return;
      }
    }
    record.body = body;
    const validation = this.validator.validateRequest({ method, path, query: url.searchParams, headers: req.headers, body });
    const op = validation.operation;
    record.operationId = op?.operationId;
    const docs = (op && this.docsFor(op.operationId)) || DEFAULT_DOCS;
    if (validation.violations.length > 0) {
      this.violations.push(...validation.violations);
      const status = validation.unknownRoute || validation.badPathParam ? 404 : 422;
      const errBody =
        status === 404
          ? { message: "Not Found", documentation_url: docs, status: "404" }
          : { message: `Invalid request.\n\n${validation.violations.join("\n")}`, documentation_url: docs, status: "422" };
      record.status = status;
      this.requests.push(record);
      this.send(res, { status, body: errBody }, rateHeaders);
      return;
    }

    // Faults injected before handling.
    const before = this.matchInjection("before", method, path, op);
    if (before) {
      record.injected = "before";
      if (before.gate) {
        before.gate.arrived({ method, path, body });
        await before.gate.released;
      }
      if (before.delayMs) await sleep(before.delayMs);
      if (before.abort) {
        record.status = 0;
        this.requests.push(record);
        req.socket.destroy();
        return;
      }
      if (before.status !== undefined || before.body !== undefined) {
        const injected = this.injectedResult(before, docs);
        record.status = injected.status;
        this.requests.push(record);
        this.send(res, injected, { ...rateHeaders, ...(before.headers ?? {}) });
        return;
      }
      if (res.destroyed || this.closed) {
        // The client gave up while we were "slow": GitHub never handled it.
        record.status = 0;
        this.requests.push(record);
        return;
      }
    }

    // Real handling.
    let result: Result;
    try {
      result = await this.dispatch(op!, validation.query, body, identity, req, url, docs);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      result = { status: error.status, body: { documentation_url: docs, status: String(error.status), ...error.body }, headers: error.headers };
    }
    if (this.strict && !result.raw) {
      this.violations.push(...this.validator.validateResponse(op!.operationId, result.status, result.body));
    }

    // Faults injected after handling.
    const after = this.matchInjection("after", method, path, op);
    if (after) {
      record.injected = "after";
      if (after.gate) {
        after.gate.arrived({ method, path, body });
        await after.gate.released;
      }
      if (after.delayMs) await sleep(after.delayMs);
      if (after.abort) {
        record.status = 0;
        this.requests.push(record);
        req.socket.destroy();
        return;
      }
      const slowOnly = (after.delayMs || after.gate) && after.status === undefined && after.body === undefined;
      if (slowOnly) {
        // Only slow: GitHub did the work and its real answer arrives late.
        if (res.destroyed || this.closed) {
          record.status = 0;
          this.requests.push(record);
          return;
        }
      } else {
        result = this.injectedResult({ ...after, status: after.status ?? 502 }, docs);
      }
      if (!slowOnly && !after.delayMs && after.status === undefined && after.body === undefined) {
        result.body = { message: "Server Error" };
        result.headers = { ...(result.headers ?? {}), "content-type": "application/json; charset=utf-8" };
      }
    }
    record.status = result.status;
    this.requests.push(record);
    this.send(res, result, rateHeaders);
  }

  /** A fork GitHub is still creating has no git data yet (see `forkReadiness`). */
  private refuseWhileForking(repo: Repo, op: MatchedOperation): void {
    const pending = repo.forking;
    if (!pending) return;
    if (pending.requestsLeft <= 0 && Date.now() >= pending.readyAt) {
      delete repo.forking;
      return;
    }
    const gitData = /^\/repos\/\{owner\}\/\{repo\}\/(git\/|merge-upstream$)/.test(op.template);
    const contents = /^\/repos\/\{owner\}\/\{repo\}\/contents\//.test(op.template);
    if (!gitData && !contents) return;
    pending.requestsLeft--;
    if (contents) throw new HttpError(404, { message: "This repository is empty." });
    throw new HttpError(409, { message: "Git Repository is empty." });
  }

  private docsFor(operationId: string): string | undefined {
    const op = this.validator.operation(operationId);
    if (!op) return undefined;
    const item = (this.validator.spec.paths as Record<string, Record<string, { externalDocs?: { url?: string } }>>)[op.template];
    return item?.[op.method.toLowerCase()]?.externalDocs?.url;
  }

  private async dispatch(op: MatchedOperation, query: Record<string, unknown>, body: unknown, identity: Identity, req: IncomingMessage, url: URL, docs: string): Promise<Result> {
    const handler = this.handlers[op.operationId];
    if (!handler) throw new HttpError(404, { message: "Not Found" });
    if (identity.kind === "app" && !op.template.startsWith("/app")) {
      throw new HttpError(403, { message: "Resource not accessible by integration" });
    }
    let repo: Repo | undefined;
    let role: Role = "none";
    if (op.template.startsWith("/repos/{owner}/{repo}")) {
      repo = this.repos.get(lower(`${op.params.owner}/${op.params.repo}`));
      if (repo) role = this.roleOf(identity, repo);
      if (!repo || ROLE_RANK[role] < ROLE_RANK.read) throw new HttpError(404, { message: "Not Found" });
      this.refuseWhileForking(repo, op);
    }
    return handler({ op, params: op.params, query, body: body ?? {}, identity, headers: req.headers, url, repo: repo!, role, docs });
  }

  // -------------------------------------------------------------------------
  // OAuth web flow (github.com/login/oauth/*; not part of the REST description)

  private handleOAuth(method: string, path: string, url: URL, req: IncomingMessage, raw: Buffer, record: RequestRecord): Result {
    const oauth = this.options.oauth;
    const text = (status: number, message: string): Result => ({ status, raw: { contentType: "text/plain; charset=utf-8", data: message } });
    if (path === "/login/oauth/authorize" && method === "GET") {
      record.operationId = "oauth/authorize";
      const clientId = url.searchParams.get("client_id");
      const redirectUri = url.searchParams.get("redirect_uri");
      const state = url.searchParams.get("state");
      if (!oauth || clientId !== oauth.clientId) return text(404, "Not Found: unknown OAuth application (client_id)");
      if (!redirectUri) return text(400, "redirect_uri is required by this fake");
      const target = new URL(redirectUri);
      if (this.oauthDeny) {
        target.searchParams.set("error", "access_denied");
        target.searchParams.set("error_description", "The user has denied your application access.");
        target.searchParams.set("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied");
      } else {
        if (!this.oauthUser) return text(403, "No user is signed in to the fake GitHub: set fake.oauthUser");
        const login = this.userOrThrow(this.oauthUser).login;
        const code = randomBytes(10).toString("hex");
        this.oauthCodes.set(code, { login, clientId, redirectUri, scope: url.searchParams.get("scope") ?? "", used: false });
        target.searchParams.set("code", code);
      }
      if (state !== null) target.searchParams.set("state", state);
      return { status: 302, headers: { location: target.toString() }, raw: { contentType: "text/html; charset=utf-8", data: `<html><body>You are being <a href="${target}">redirected</a>.</body></html>` } };
    }
    if (path === "/login/oauth/access_token" && method === "POST") {
      record.operationId = "oauth/access-token";
      const params = new URLSearchParams(url.search);
      const ctype = req.headers["content-type"] ?? "";
      const bodyText = raw.toString("utf8");
      if (ctype.includes("json") && bodyText.trim()) {
        try {
          for (const [k, v] of Object.entries(JSON.parse(bodyText) as Record<string, unknown>)) params.set(k, String(v));
        } catch {
          return text(400, "Problems parsing JSON");
        }
      } else if (bodyText) {
        for (const [k, v] of new URLSearchParams(bodyText)) params.set(k, v);
      }
      const wantsJson = (req.headers.accept ?? "").includes("json");
      const reply = (data: Record<string, string>): Result =>
        wantsJson
          ? { status: 200, body: data }
          : { status: 200, raw: { contentType: "application/x-www-form-urlencoded; charset=utf-8", data: new URLSearchParams(data).toString() } };
      if (!oauth || params.get("client_id") !== oauth.clientId || params.get("client_secret") !== oauth.clientSecret) {
        return reply({
          error: "incorrect_client_credentials",
          error_description: "The client_id and/or client_secret passed are incorrect.",
          error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials",
        });
      }
      const code = this.oauthCodes.get(params.get("code") ?? "");
      if (!code || code.used || code.clientId !== params.get("client_id")) {
        return reply({
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
          error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
        });
      }
      const redirectUri = params.get("redirect_uri");
      if (redirectUri && code.redirectUri && redirectUri !== code.redirectUri) {
        return reply({
          error: "redirect_uri_mismatch",
          error_description: "The redirect_uri MUST match the registered callback URL for this application.",
          error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch",
        });
      }
      code.used = true;
      const token = `gho_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
      this.tokens.set(token, { login: code.login, kind: "oauth", scopes: code.scope });
      return reply({ access_token: token, token_type: "bearer", scope: code.scope });
    }
    this.violations.push(`${method} ${path}: not an OAuth endpoint this fake serves`);
    return text(404, "Not Found");
  }

  // -------------------------------------------------------------------------
  // REST handlers, by operationId

  private requireAuth(c: Ctx): User {
    if (c.identity.kind === "anonymous") throw new HttpError(401, { message: "Requires authentication" });
    if (c.identity.kind === "app") throw new HttpError(403, { message: "Resource not accessible by integration" });
    return c.identity.user;
  }

  private requireRole(c: Ctx, needed: Role): User {
    const user = this.requireAuth(c);
    if (ROLE_RANK[c.role] < ROLE_RANK[needed]) {
      if (c.identity.kind === "installation") throw new HttpError(403, { message: "Resource not accessible by integration" });
      throw new HttpError(404, { message: "Not Found" });
    }
    return user;
  }

  private paginate<T>(c: Ctx, items: T[], defaultPerPage = 30): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(c.query.per_page ?? defaultPerPage)));
    const page = Math.max(1, Number(c.query.page ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const linkTo = (p: number) => {
      const u = new URL(c.url.pathname + c.url.search, this.url);
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("page", String(p));
      return `<${u}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${linkTo(page - 1)}; rel="prev"`, `${linkTo(1)}; rel="first"`);
    if (page < last) links.push(`${linkTo(page + 1)}; rel="next"`, `${linkTo(last)}; rel="last"`);
    return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(", ") } : {} };
  }

  private pullOr404(c: Ctx, key: "pull_number" | "issue_number"): Pull {
    const pull = c.repo.pulls.get(Number(c.params[key]));
    if (!pull) throw new HttpError(404, { message: "Not Found" });
    return pull;
  }

  private validationFailed(errors: Record<string, unknown>[]): HttpError {
    return new HttpError(422, { message: "Validation Failed", errors });
  }

  private buildHandlers(): Record<string, Handler> {
    const s = () => this.shapes;
    const now = () => nowIso();
    return {
      "rate-limit/get": (c) => {
        const r = this.rateFor(c.identity);
        const core = { limit: r.limit, remaining: Math.max(0, r.limit - r.used), reset: r.reset, used: r.used };
        const other = (limit: number) => ({ limit, remaining: limit, reset: r.reset, used: 0 });
        return {
          status: 200,
          body: {
            resources: { core, search: other(30), graphql: other(5000), integration_manifest: other(5000), code_search: other(10) },
            rate: core,
          },
        };
      },

      "users/get-authenticated": (c) => {
        if (c.identity.kind === "installation") throw new HttpError(403, { message: "Resource not accessible by integration" });
        const user = this.requireAuth(c);
        const owned = [...this.repos.values()].filter((r) => r.owner === user);
        const scopes: Record<string, string> = c.identity.kind === "user" && c.identity.scopes !== undefined ? { "x-oauth-scopes": c.identity.scopes } : {};
        return {
          status: 200,
          body: s().privateUser(user, owned.filter((r) => !r.private).length, owned.filter((r) => r.private).length),
          headers: scopes,
        };
      },

      "users/get-by-username": (c) => {
        const user = this.users.get(lower(c.params.username!));
        if (!user) throw new HttpError(404, { message: "Not Found" });
        const publicRepos = [...this.repos.values()].filter((r) => r.owner === user && !r.private).length;
        return { status: 200, body: s().publicUser(user, publicRepos) };
      },

      "apps/create-installation-access-token": (c) => {
        if (c.identity.kind !== "app" || !this.app) {
          throw new HttpError(401, { message: "A JSON web token could not be decoded" });
        }
        if (Number(c.params.installation_id) !== this.app.installationId) throw new HttpError(404, { message: "Not Found" });
        const repositories = Array.isArray(c.body.repositories) ? (c.body.repositories as string[]) : undefined;
        for (const name of repositories ?? []) {
          if (!this.repos.has(lower(`${this.app.account.login}/${name}`))) {
            throw new HttpError(422, { message: `There is at least one repository that does not exist or is not accessible to the parent installation.` });
          }
        }
        const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
        const expiresAt = Date.now() + 3600_000;
        this.tokens.set(token, { login: `${this.app.slug}[bot]`, kind: "installation", installationId: this.app.installationId, expiresAt, repositories });
        const permissions = (c.body.permissions as Record<string, string> | undefined) ?? {
          checks: "write",
          contents: "write",
          issues: "write",
          metadata: "read",
          pull_requests: "write",
        };
        return {
          status: 201,
          body: {
            token,
            expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
            permissions,
            repository_selection: repositories ? "selected" : "all",
            ...(repositories
              ? { repositories: repositories.map((n) => s().repository(this.repos.get(lower(`${this.app!.account.login}/${n}`))!)) }
              : {}),
          },
        };
      },

      "repos/get": (c) => ({
        status: 200,
        body: s().fullRepository(c.repo, c.identity.kind === "anonymous" ? undefined : c.role),
      }),

      "git/get-ref": (c) => {
        const ref = `refs/${c.params.ref}`;
        const sha = c.repo.refs.get(ref);
        if (!sha) throw new HttpError(404, { message: "Not Found" });
        return { status: 200, body: s().gitRef(c.repo, ref, sha) };
      },

      "git/create-ref": (c) => {
        const actor = this.requireRole(c, "write");
        const ref = String(c.body.ref);
        const sha = String(c.body.sha);
        if (!/^refs\/[^/]+\/.+/.test(ref) || /\.\.|[~^:?*[\\\s]|\/$|\.lock$|@\{/.test(ref)) {
          throw new HttpError(422, { message: "Reference name is invalid" });
        }
        if (!c.repo.store.has(sha)) throw new HttpError(422, { message: "Object does not exist" });
        if (c.repo.refs.has(ref)) throw new HttpError(422, { message: "Reference already exists" });
        this.updateRef(c.repo, ref, sha, actor);
        return { status: 201, body: s().gitRef(c.repo, ref, sha), headers: { location: `${s().repoUrl(c.repo)}/git/${ref}` } };
      },

      "git/update-ref": (c) => {
        const actor = this.requireRole(c, "write");
        const ref = `refs/${c.params.ref}`;
        const sha = String(c.body.sha);
        const current = c.repo.refs.get(ref);
        if (!current) throw new HttpError(422, { message: "Reference does not exist" });
        if (!c.repo.store.commit(sha)) throw new HttpError(422, { message: "Object does not exist" });
        const fastForward = c.repo.store.isAncestor(current, sha);
        if (!fastForward && c.body.force !== true) throw new HttpError(422, { message: "Update is not a fast forward" });
        this.updateRef(c.repo, ref, sha, actor, !fastForward);
        return { status: 200, body: s().gitRef(c.repo, ref, sha) };
      },

      "git/delete-ref": (c) => {
        const actor = this.requireRole(c, "write");
        const ref = `refs/${c.params.ref}`;
        if (!c.repo.refs.has(ref)) throw new HttpError(422, { message: "Reference does not exist" });
        if (ref === `refs/heads/${c.repo.defaultBranch}`) {
          throw new HttpError(422, { message: "Cannot delete the default branch" });
        }
        this.updateRef(c.repo, ref, undefined, actor);
        return { status: 204 };
      },

      "git/get-commit": (c) => {
        const commit = c.repo.store.commit(c.params.commit_sha!);
        if (!commit) throw new HttpError(404, { message: "Not Found" });
        return { status: 200, body: s().gitCommit(c.repo, commit) };
      },

      "git/create-commit": (c) => {
        const user = this.requireRole(c, "write");
        const store = c.repo.store;
        const tree = String(c.body.tree);
        if (!store.tree(tree)) throw new HttpError(422, { message: "Tree SHA does not exist" });
        const parents = (c.body.parents as string[] | undefined) ?? [];
        for (const p of parents) {
          if (!store.commit(p)) throw new HttpError(422, { message: "Parent SHA does not exist or is not a commit object" });
        }
        const date = now();
        const person = (input: unknown, fallback: GitIdentity): GitIdentity => {
          if (!input || typeof input !== "object") return fallback;
          const i = input as { name?: string; email?: string; date?: string };
          return { name: i.name ?? fallback.name, email: i.email ?? fallback.email, date: i.date ? nowIso(new Date(i.date)) : fallback.date };
        };
        const author = person(c.body.author, identityOf(user, date));
        const committer = person(c.body.committer, author);
        const sha = store.putCommit({ tree, parents, author, committer, message: String(c.body.message) });
        return { status: 201, body: s().gitCommit(c.repo, store.commit(sha)!), headers: { location: `${s().repoUrl(c.repo)}/git/commits/${sha}` } };
      },

      "git/get-tree": (c) => {
        const store = c.repo.store;
        let treeSha = c.params.tree_sha!;
        if (!store.tree(treeSha)) {
          const commitSha = this.resolveCommitish(c.repo, treeSha);
          const commit = commitSha ? store.commit(commitSha) : undefined;
          if (!commit) throw new HttpError(404, { message: "Not Found" });
          treeSha = commit.tree;
        }
        const u = s().repoUrl(c.repo);
        const entryJson = (path: string, e: { mode: string; type: string; sha: string }) => ({
          path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.type === "blob" ? { size: store.blob(e.sha)?.content.length ?? 0 } : {}),
          url: `${u}/git/${e.type === "tree" ? "trees" : e.type === "blob" ? "blobs" : "commits"}/${e.sha}`,
        });
        const out: ReturnType<typeof entryJson>[] = [];
        const walk = (sha: string, prefix: string) => {
          for (const e of store.tree(sha)!.entries) {
            const path = prefix ? `${prefix}/${e.name}` : e.name;
            out.push(entryJson(path, e));
            if (c.query.recursive !== undefined && e.type === "tree") walk(e.sha, path);
          }
        };
        walk(treeSha, "");
        return { status: 200, body: { sha: treeSha, url: `${u}/git/trees/${treeSha}`, tree: out, truncated: false } };
      },

      "git/create-tree": (c) => {
        this.requireRole(c, "write");
        const store = c.repo.store;
        let flat = new Map<string, FlatEntry>();
        if (c.body.base_tree !== undefined) {
          const base = String(c.body.base_tree);
          const baseTree = store.tree(base) ? base : store.commit(base)?.tree;
          if (!baseTree) throw new HttpError(422, { message: "base_tree is not a valid tree oid" });
          flat = store.flatten(baseTree);
        }
        for (const entry of c.body.tree as { path?: string; mode?: string; type?: string; sha?: string | null; content?: string }[]) {
          const path = entry.path ?? "";
          if (!path || path.startsWith("/") || path.endsWith("/") || path.split("/").some((p) => p === "" || p === "." || p === "..")) {
            throw new HttpError(422, { message: `tree.path contains a malformed path component` });
          }
          if (entry.content !== undefined && entry.sha !== undefined) {
            throw new HttpError(422, { message: "Only one of 'content' or 'sha' may be provided per tree entry" });
          }
          const type = entry.type ?? (entry.mode === "040000" ? "tree" : entry.mode === "160000" ? "commit" : "blob");
          const mode = entry.mode ?? (type === "tree" ? "040000" : type === "commit" ? "160000" : "100644");
          if (entry.sha === null) {
            for (const key of [...flat.keys()]) if (key === path || key.startsWith(`${path}/`)) flat.delete(key);
            continue;
          }
          if (type === "tree") {
            if (!entry.sha || !store.tree(entry.sha)) throw new HttpError(422, { message: `tree.sha ${entry.sha} is not a valid tree` });
            for (const key of [...flat.keys()]) if (key === path || key.startsWith(`${path}/`)) flat.delete(key);
            for (const [sub, e] of store.flatten(entry.sha)) flat.set(`${path}/${sub}`, e);
            continue;
          }
          let sha: string;
          if (entry.content !== undefined) sha = store.putBlob(entry.content);
          else if (entry.sha && (type === "commit" || store.blob(entry.sha))) sha = entry.sha;
          else throw new HttpError(422, { message: `tree.sha ${entry.sha} is not a valid blob` });
          for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
          flat.set(path, { mode, type: type === "commit" ? "commit" : "blob", sha });
        }
        const sha = store.buildTree(flat);
        const u = s().repoUrl(c.repo);
        return {
          status: 201,
          body: {
            sha,
            url: `${u}/git/trees/${sha}`,
            tree: store.tree(sha)!.entries.map((e) => ({
              path: e.name,
              mode: e.mode,
              type: e.type,
              sha: e.sha,
              ...(e.type === "blob" ? { size: store.blob(e.sha)?.content.length ?? 0 } : {}),
              url: `${u}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
            })),
            truncated: false,
          },
          headers: { location: `${u}/git/trees/${sha}` },
        };
      },

      "git/create-blob": (c) => {
        this.requireRole(c, "write");
        const encoding = String(c.body.encoding ?? "utf-8");
        let content: Buffer;
        if (encoding === "base64") {
          const text = String(c.body.content).replace(/\s/g, "");
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new HttpError(422, { message: "content is not valid Base64" });
          content = Buffer.from(text, "base64");
        } else if (encoding === "utf-8" || encoding === "utf8") {
          content = Buffer.from(String(c.body.content), "utf8");
        } else {
          throw new HttpError(422, { message: `encoding must be "utf-8" or "base64"` });
        }
        const sha = c.repo.store.putBlob(content);
        const u = `${s().repoUrl(c.repo)}/git/blobs/${sha}`;
        return { status: 201, body: { url: u, sha }, headers: { location: u } };
      },

      "git/get-blob": (c) => {
        const blob = c.repo.store.blob(c.params.file_sha!);
        if (!blob) throw new HttpError(404, { message: "Not Found" });
        return {
          status: 200,
          body: {
            sha: blob.sha,
            node_id: Buffer.from(`B_${c.repo.id}:${blob.sha}`).toString("base64url"),
            size: blob.content.length,
            url: `${s().repoUrl(c.repo)}/git/blobs/${blob.sha}`,
            content: base64Lines(blob.content),
            encoding: "base64",
          },
        };
      },

      "repos/get-content": (c) => {
        const store = c.repo.store;
        const ref = typeof c.query.ref === "string" && c.query.ref !== "" ? c.query.ref : c.repo.defaultBranch;
        const commitSha = this.resolveCommitish(c.repo, ref);
        if (!commitSha) throw new HttpError(404, { message: `No commit found for the ref ${ref}` });
        const path = c.params.path!.replace(/^\/+|\/+$/g, "");
        const root = store.commit(commitSha)!.tree;
        const flat = store.flatten(root);
        const file = path ? flat.get(path) : undefined;
        const accept = String(c.headers.accept ?? "");
        if (file) {
          const blob = file.type === "blob" ? store.blob(file.sha)! : undefined;
          if (blob && /vnd\.github(\.v3)?\.raw/.test(accept)) {
            return { status: 200, raw: { contentType: "text/plain; charset=utf-8", data: blob.content } };
          }
          const entry = s().contentEntry(c.repo, ref, path, "file", file.sha, blob?.content.length ?? 0);
          return { status: 200, body: { ...entry, content: base64Lines(blob?.content ?? Buffer.alloc(0)), encoding: "base64" } };
        }
        // Directory?
        const prefix = path ? `${path}/` : "";
        const children = new Map<string, { type: "file" | "dir"; sha: string; size: number }>();
        let treeSha: string | undefined = path ? undefined : root;
        if (path) {
          let current: string | undefined = root;
          for (const part of path.split("/")) {
            const found: { sha: string } | undefined = current ? store.tree(current)?.entries.find((e) => e.name === part && e.type === "tree") : undefined;
            current = found?.sha;
          }
          treeSha = current;
        }
        if (!treeSha) throw new HttpError(404, { message: "Not Found" });
        for (const e of store.tree(treeSha)!.entries) {
          children.set(e.name, { type: e.type === "tree" ? "dir" : "file", sha: e.sha, size: e.type === "blob" ? (store.blob(e.sha)?.content.length ?? 0) : 0 });
        }
        return {
          status: 200,
          body: [...children.entries()].map(([name, e]) => s().contentEntry(c.repo, ref, `${prefix}${name}`, e.type, e.sha, e.size)),
        };
      },

      "repos/create-or-update-file-contents": (c) => {
        const user = this.requireRole(c, "write");
        const store = c.repo.store;
        const path = c.params.path!.replace(/^\/+|\/+$/g, "");
        const branch = typeof c.body.branch === "string" ? c.body.branch : c.repo.defaultBranch;
        const ref = `refs/heads/${branch}`;
        const head = c.repo.refs.get(ref);
        if (!head) throw new HttpError(404, { message: `Branch ${branch} not found` });
        const text = String(c.body.content).replace(/\s/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new HttpError(422, { message: "content is not valid Base64" });
        const flat = store.flatten(store.commit(head)!.tree);
        const existing = flat.get(path);
        if (existing && c.body.sha === undefined) {
          throw new HttpError(422, { message: `Invalid request.\n\n"sha" wasn't supplied.` });
        }
        if (existing && c.body.sha !== existing.sha) throw new HttpError(409, { message: `${path} does not match ${c.body.sha}` });
        const blobSha = store.putBlob(Buffer.from(text, "base64"));
        flat.set(path, { mode: "100644", type: "blob", sha: blobSha });
        const date = now();
        const person = (input: unknown, fallback: GitIdentity): GitIdentity => {
          if (!input || typeof input !== "object") return fallback;
          const i = input as { name?: string; email?: string; date?: string };
          return { name: i.name ?? fallback.name, email: i.email ?? fallback.email, date: i.date ? nowIso(new Date(i.date)) : fallback.date };
        };
        const committer = person(c.body.committer, identityOf(user, date));
        const author = person(c.body.author, committer);
        const sha = store.putCommit({ tree: store.buildTree(flat), parents: [head], author, committer, message: String(c.body.message) });
        this.updateRef(c.repo, ref, sha, user);
        const commit = store.commit(sha)!;
        return {
          status: existing ? 200 : 201,
          body: {
            content: s().contentEntry(c.repo, branch, path, "file", blobSha, store.blob(blobSha)!.content.length),
            commit: s().gitCommit(c.repo, commit),
          },
        };
      },

      "repos/compare-commits-with-basehead": (c) => {
        const basehead = c.params.basehead!;
        const parts = basehead.split("...");
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new HttpError(404, { message: "Not Found" });
        const side = (value: string): { repo: Repo; sha: string } => {
          let repo = c.repo;
          let ref = value;
          const colon = value.indexOf(":");
          if (colon > 0) {
            const owner = value.slice(0, colon);
            ref = value.slice(colon + 1);
            const found = this.network(c.repo).find((r) => lower(r.owner.login) === lower(owner));
            if (!found) throw new HttpError(404, { message: "Not Found" });
            repo = found;
          }
          const sha = this.resolveCommitish(repo, ref);
          if (!sha) throw new HttpError(404, { message: "Not Found" });
          return { repo, sha };
        };
        const base = side(parts[0]);
        const head = side(parts[1]);
        const store = c.repo.store;
        const mergeBase = store.mergeBase(base.sha, head.sha);
        if (!mergeBase) throw new HttpError(404, { message: `No common ancestor between ${parts[0]} and ${parts[1]}.` });
        const ahead = store.commitsBetween(base.sha, head.sha);
        const behind = store.commitsBetween(head.sha, base.sha);
        const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
        const commitJson = (commit: CommitObject) => s().commit(c.repo, commit, this.userByEmail);
        const html = s().htmlUrl(c.repo);
        const paged = this.paginate(c, store.commitsBetween(mergeBase, head.sha), 250);
        return {
          status: 200,
          body: {
            url: `${s().repoUrl(c.repo)}/compare/${basehead}`,
            html_url: `${html}/compare/${basehead}`,
            permalink_url: `${html}/compare/${c.repo.owner.login}:${base.sha.slice(0, 7)}...${head.repo.owner.login}:${head.sha.slice(0, 7)}`,
            diff_url: `${html}/compare/${basehead}.diff`,
            patch_url: `${html}/compare/${basehead}.patch`,
            base_commit: commitJson(store.commit(base.sha)!),
            merge_base_commit: commitJson(store.commit(mergeBase)!),
            status,
            ahead_by: ahead.length,
            behind_by: behind.length,
            total_commits: ahead.length,
            commits: paged.items.map(commitJson),
            files: this.diffEntries(head.repo, store.commit(mergeBase)!.tree, store.commit(head.sha)!.tree, head.sha).slice(0, 300),
          },
          headers: paged.headers,
        };
      },

      "pulls/list": (c) => {
        const state = (c.query.state as string | undefined) ?? "open";
        let pulls = [...c.repo.pulls.values()].filter((p) => state === "all" || p.state === state);
        const head = c.query.head as string | undefined;
        // Like GitHub, `head` only filters when it has the `user:ref-name` form.
        if (head && head.includes(":")) {
          const [owner, ref] = [head.slice(0, head.indexOf(":")), head.slice(head.indexOf(":") + 1)];
          pulls = pulls.filter((p) => lower(p.headRepo.owner.login) === lower(owner) && p.headRef === ref);
        }
        if (typeof c.query.base === "string") pulls = pulls.filter((p) => p.baseRef === c.query.base);
        const sort = (c.query.sort as string | undefined) ?? "created";
        const direction = (c.query.direction as string | undefined) ?? (sort === "created" ? "desc" : "asc");
        const key = (p: Pull) => (sort === "updated" ? p.updatedAt : p.createdAt) + String(p.number).padStart(8, "0");
        pulls.sort((a, b) => (direction === "asc" ? key(a).localeCompare(key(b)) : key(b).localeCompare(key(a))));
        const paged = this.paginate(c, pulls);
        return { status: 200, body: paged.items.map((p) => this.pullJson(p, false)), headers: paged.headers };
      },

      "pulls/create": (c) => {
        const user = this.requireAuth(c);
        const repo = c.repo;
        const b = c.body as { title?: string; head: string; base: string; body?: string; draft?: boolean; maintainer_can_modify?: boolean; issue?: number };
        if (b.title === undefined && b.issue === undefined) {
          throw this.validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
        }
        if (b.issue !== undefined) throw this.validationFailed([{ resource: "PullRequest", code: "custom", message: "Converting issues is not supported by the fake" }]);
        const baseSha = repo.refs.get(`refs/heads/${b.base}`);
        if (!baseSha) throw this.validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
        let headRepo = repo;
        let headRef = b.head;
        const colon = b.head.indexOf(":");
        if (colon > 0) {
          const owner = b.head.slice(0, colon);
          headRef = b.head.slice(colon + 1);
          const found = this.network(repo).find((r) => lower(r.owner.login) === lower(owner));
          if (!found) throw this.validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
          headRepo = found;
        }
        const headSha = headRepo.refs.get(`refs/heads/${headRef}`);
        if (!headSha) throw this.validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
        const existing = [...repo.pulls.values()].find(
          (p) => p.state === "open" && p.headRepo === headRepo && p.headRef === headRef && p.baseRef === b.base,
        );
        if (existing) {
          throw this.validationFailed([
            { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${headRepo.owner.login}:${headRef}.` },
          ]);
        }
        if (repo.store.commitsBetween(baseSha, headSha).length === 0) {
          throw this.validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${b.base} and ${b.head}` }]);
        }
        const date = now();
        const pull: Pull = {
          number: repo.nextNumber++,
          id: ++this.ids.pull,
          title: b.title!,
          body: b.body ?? null,
          state: "open",
          draft: b.draft ?? false,
          user,
          headRepo,
          headRef,
          headSha,
          baseRepo: repo,
          baseRef: b.base,
          baseSha,
          labels: [],
          merged: false,
          mergedAt: null,
          mergedBy: null,
          mergeCommitSha: null,
          maintainerCanModify: headRepo !== repo && (b.maintainer_can_modify ?? true),
          createdAt: date,
          updatedAt: date,
          closedAt: null,
          comments: [],
          reviews: [],
        };
        repo.pulls.set(pull.number, pull);
        this.sendPullRequest(pull, "opened", user);
        return { status: 201, body: this.pullJson(pull, true), headers: { location: `${s().repoUrl(repo)}/pulls/${pull.number}` } };
      },

      "pulls/get": (c) => {
        const pull = this.pullOr404(c, "pull_number");
        const accept = String(c.headers.accept ?? "");
        if (/vnd\.github(\.v3)?\.diff/.test(accept)) {
          const patch = this.pullFiles(pull)
            .map((f) => `diff --git a/${f.filename} b/${f.filename}\n--- ${f.status === "added" ? "/dev/null" : `a/${f.filename}`}\n+++ ${f.status === "removed" ? "/dev/null" : `b/${f.filename}`}\n${f.patch}`)
            .join("\n");
          return { status: 200, raw: { contentType: "text/plain; charset=utf-8", data: `${patch}\n` } };
        }
        return { status: 200, body: this.pullJson(pull, true) };
      },

      "pulls/update": (c) => {
        const user = this.requireAuth(c);
        const pull = this.pullOr404(c, "pull_number");
        const isAuthor = pull.user === user;
        if (!isAuthor && ROLE_RANK[c.role] < ROLE_RANK.triage) {
          throw new HttpError(403, { message: "You do not have permission to update this pull request." });
        }
        const b = c.body as { title?: string; body?: string; state?: "open" | "closed"; base?: string; maintainer_can_modify?: boolean };
        if (b.base !== undefined) {
          if (!c.repo.refs.has(`refs/heads/${b.base}`)) throw this.validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
          pull.baseRef = b.base;
        }
        if (b.title !== undefined) pull.title = b.title;
        if (b.body !== undefined) pull.body = b.body;
        if (b.maintainer_can_modify !== undefined) pull.maintainerCanModify = b.maintainer_can_modify;
        pull.updatedAt = now();
        if (b.state === "closed" && pull.state === "open") {
          this.closePull(pull, user);
        } else if (b.state === "open" && pull.state === "closed") {
          if (pull.merged) throw this.validationFailed([{ resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The pull request has been merged." }]);
          const sha = pull.headRepo.refs.get(`refs/heads/${pull.headRef}`);
          if (!sha) throw this.validationFailed([{ resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The head branch was deleted." }]);
          const dup = [...c.repo.pulls.values()].find((p) => p !== pull && p.state === "open" && p.headRepo === pull.headRepo && p.headRef === pull.headRef && p.baseRef === pull.baseRef);
          if (dup) throw this.validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${pull.headRepo.owner.login}:${pull.headRef}.` }]);
          pull.state = "open";
          pull.closedAt = null;
          pull.headSha = sha;
          this.sendPullRequest(pull, "reopened", user);
        }
        return { status: 200, body: this.pullJson(pull, true) };
      },

      "pulls/list-files": (c) => {
        const pull = this.pullOr404(c, "pull_number");
        const paged = this.paginate(c, this.pullFiles(pull));
        return { status: 200, body: paged.items, headers: paged.headers };
      },

      "pulls/merge": (c) => {
        const user = this.requireRole(c, "write");
        const pull = this.pullOr404(c, "pull_number");
        const b = (c.body ?? {}) as { commit_title?: string; commit_message?: string; sha?: string; merge_method?: "merge" | "squash" | "rebase" };
        if (pull.state !== "open") throw new HttpError(405, { message: "Pull Request is not mergeable" });
        if (b.sha !== undefined && b.sha !== pull.headSha) {
          throw new HttpError(409, { message: "Head branch was modified. Review and try the merge again." });
        }
        const sha = this.performMerge(c.repo, pull, b.merge_method ?? "merge", user, { title: b.commit_title, message: b.commit_message });
        return { status: 200, body: { sha, merged: true, message: "Pull Request successfully merged" } };
      },

      "pulls/list-reviews": (c) => {
        const pull = this.pullOr404(c, "pull_number");
        const viewer = c.identity.kind === "user" || c.identity.kind === "installation" ? c.identity.user : undefined;
        const visible = pull.reviews.filter((r) => r.state !== "PENDING" || r.user === viewer);
        const paged = this.paginate(c, visible);
        return { status: 200, body: paged.items.map((r) => s().review(c.repo, pull, r, this.association(c.repo, r.user))), headers: paged.headers };
      },

      "pulls/create-review": (c) => {
        const user = this.requireAuth(c);
        const pull = this.pullOr404(c, "pull_number");
        const b = c.body as { body?: string; event?: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; commit_id?: string };
        const unprocessable = (msg: string) => new HttpError(422, { message: "Unprocessable Entity", errors: [msg] });
        if (b.event === "APPROVE" && pull.user === user) throw unprocessable("Review Can not approve your own pull request");
        if (b.event === "REQUEST_CHANGES" && pull.user === user) throw unprocessable("Review Can not request changes on your own pull request");
        if ((b.event === "REQUEST_CHANGES" || b.event === "COMMENT") && !b.body) {
          throw unprocessable(`Review body is required when event is ${b.event}`);
        }
        if (b.commit_id !== undefined && !c.repo.store.commit(b.commit_id)) throw unprocessable("Commit not found");
        const state: Review["state"] = b.event === "APPROVE" ? "APPROVED" : b.event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : b.event === "COMMENT" ? "COMMENTED" : "PENDING";
        const review: Review = { id: ++this.ids.review, user, body: b.body ?? "", state, commitId: b.commit_id ?? pull.headSha, submittedAt: now() };
        pull.reviews.push(review);
        return { status: 200, body: s().review(c.repo, pull, review, this.association(c.repo, user)) };
      },

      "issues/create-comment": (c) => {
        const user = this.requireAuth(c);
        const pull = this.pullOr404(c, "issue_number");
        const date = now();
        const comment: Comment = { id: ++this.ids.comment, body: String(c.body.body), user, createdAt: date, updatedAt: date };
        pull.comments.push(comment);
        pull.updatedAt = date;
        const body = s().issueComment(c.repo, pull, comment, this.association(c.repo, user));
        return { status: 201, body, headers: { location: body.url } };
      },

      "issues/list-comments": (c) => {
        const pull = this.pullOr404(c, "issue_number");
        const since = typeof c.query.since === "string" ? Date.parse(c.query.since) : undefined;
        const comments = pull.comments.filter((cm) => since === undefined || Date.parse(cm.updatedAt) >= since);
        const paged = this.paginate(c, comments);
        return { status: 200, body: paged.items.map((cm) => s().issueComment(c.repo, pull, cm, this.association(c.repo, cm.user))), headers: paged.headers };
      },

      "issues/add-labels": (c) => {
        const user = this.requireRole(c, "triage");
        const pull = this.pullOr404(c, "issue_number");
        const raw = Array.isArray(c.body) ? c.body : ((c.body.labels as unknown[] | undefined) ?? []);
        const names = raw.map((l) => (typeof l === "string" ? l : String((l as { name: string }).name)));
        const added: Label[] = [];
        for (const name of names) {
          let label = c.repo.labels.get(lower(name));
          if (!label) {
            label = { id: ++this.ids.label, name, color: "ededed", description: null, default: false };
            c.repo.labels.set(lower(name), label);
          }
          if (!pull.labels.some((l) => lower(l) === lower(name))) {
            pull.labels.push(label.name);
            added.push(label);
          }
        }
        pull.updatedAt = now();
        for (const label of added) this.sendPullRequest(pull, "labeled", user, { label: s().label(c.repo, label) });
        return { status: 200, body: pull.labels.map((n) => s().label(c.repo, c.repo.labels.get(lower(n))!)) };
      },

      "issues/get-label": (c) => {
        const label = c.repo.labels.get(lower(c.params.name!));
        if (!label) throw new HttpError(404, { message: "Not Found" });
        return { status: 200, body: s().label(c.repo, label) };
      },

      "issues/create-label": (c) => {
        this.requireRole(c, "write");
        const b = c.body as { name: string; color?: string; description?: string };
        const color = (b.color ?? "ededed").replace(/^#/, "");
        if (!/^[0-9a-fA-F]{6}$/.test(color)) throw this.validationFailed([{ resource: "Label", code: "invalid", field: "color" }]);
        if (c.repo.labels.has(lower(b.name))) throw this.validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
        const label: Label = { id: ++this.ids.label, name: b.name, color: color.toLowerCase(), description: b.description ?? null, default: false };
        c.repo.labels.set(lower(b.name), label);
        const body = s().label(c.repo, label);
        return { status: 201, body, headers: { location: body.url } };
      },

      "checks/list-for-ref": (c) => {
        const sha = this.resolveCommitish(c.repo, c.params.ref!);
        if (!sha) throw new HttpError(422, { message: `No commit found for SHA: ${c.params.ref}` });
        const filter = (c.query.filter as string | undefined) ?? "latest";
        let runs = filter === "all" ? c.repo.checkRuns.filter((r) => r.headSha === sha) : this.latestChecks(c.repo, sha);
        if (typeof c.query.check_name === "string") runs = runs.filter((r) => r.name === c.query.check_name);
        if (typeof c.query.status === "string") runs = runs.filter((r) => r.status === c.query.status);
        if (c.query.app_id !== undefined) runs = runs.filter((r) => r.app.id === Number(c.query.app_id));
        runs = [...runs].sort((a, b) => b.id - a.id);
        const paged = this.paginate(c, runs);
        return { status: 200, body: { total_count: runs.length, check_runs: paged.items.map((r) => s().checkRun(c.repo, r)) }, headers: paged.headers };
      },

      "checks/create": (c) => {
        if (c.identity.kind !== "installation" || !this.app) {
          if (c.identity.kind === "anonymous") throw new HttpError(401, { message: "Requires authentication" });
          throw new HttpError(403, { message: "You must authenticate via a GitHub App." });
        }
        this.requireRole(c, "write");
        const b = c.body as {
          name: string;
          head_sha: string;
          status?: CheckRun["status"];
          conclusion?: CheckRun["conclusion"];
          details_url?: string;
          external_id?: string;
          started_at?: string;
          completed_at?: string;
          output?: { title?: string; summary?: string; text?: string };
        };
        if (!c.repo.store.commit(b.head_sha)) throw new HttpError(422, { message: `No commit found for SHA: ${b.head_sha}` });
        const status = b.conclusion && !b.status ? "completed" : (b.status ?? "queued");
        if (status === "completed" && !b.conclusion) {
          throw this.validationFailed([{ resource: "CheckRun", code: "missing_field", field: "conclusion" }]);
        }
        const date = now();
        const run = this.addCheckRun(c.repo, this.app, {
          name: b.name,
          headSha: b.head_sha,
          status,
          conclusion: b.conclusion ?? null,
          startedAt: b.started_at ?? date,
          completedAt: status === "completed" ? (b.completed_at ?? date) : null,
          externalId: b.external_id ?? "",
          detailsUrl: b.details_url ?? null,
          output: { title: b.output?.title ?? null, summary: b.output?.summary ?? null, text: b.output?.text ?? null },
        });
        return { status: 201, body: s().checkRun(c.repo, run) };
      },

      "repos/get-collaborator-permission-level": (c) => {
        this.requireAuth(c);
        const user = this.users.get(lower(c.params.username!));
        if (!user || user.type !== "User") throw new HttpError(404, { message: `${c.params.username} is not a user` });
        const explicit: Role = lower(user.login) === lower(c.repo.owner.login) ? "admin" : (c.repo.collaborators.get(lower(user.login)) ?? "none");
        const role: Role = explicit === "none" && !c.repo.private ? "read" : explicit;
        const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
        return {
          status: 200,
          body: {
            permission: legacy,
            role_name: role,
            user: { ...s().user(user), permissions: s().permissions(role), role_name: role },
          },
        };
      },

      "repos/create-fork": (c) => {
        const user = this.requireAuth(c);
        const b = (c.body ?? {}) as { organization?: string; name?: string; default_branch_only?: boolean };
        const ownerLogin = b.organization ?? user.login;
        if (b.organization) {
          const org = this.users.get(lower(b.organization));
          if (!org || org.type !== "Organization") throw new HttpError(422, { message: `Validation Failed`, errors: [{ resource: "Fork", code: "invalid", field: "organization" }] });
        }
        const existing = this.network(c.repo).find((r) => r !== rootOf(c.repo) && lower(r.owner.login) === lower(ownerLogin));
        if (existing) return { status: 202, body: s().fullRepository(existing, this.roleOf(c.identity, existing)) };
        let name = b.name ?? c.repo.name;
        for (let i = 1; this.repos.has(lower(`${ownerLogin}/${name}`)); i++) name = `${b.name ?? c.repo.name}-${i}`;
        const owner = this.users.get(lower(ownerLogin))!;
        const date = now();
        const fork: Repo = {
          id: ++this.ids.repo,
          owner,
          name,
          private: c.repo.private,
          description: c.repo.description,
          defaultBranch: c.repo.defaultBranch,
          createdAt: date,
          updatedAt: date,
          pushedAt: c.repo.pushedAt,
          store: c.repo.store,
          refs: new Map(
            [...c.repo.refs].filter(([ref]) => !b.default_branch_only || ref === `refs/heads/${c.repo.defaultBranch}`),
          ),
          parent: c.repo,
          forks: [],
          nextNumber: 1,
          pulls: new Map(),
          labels: new Map(),
          checkRuns: [],
          collaborators: new Map(owner.type === "User" ? [] : [[lower(user.login), "admin" as Role]]),
        };
        const readiness = this.options.forkReadiness ?? {};
        fork.forking = { requestsLeft: readiness.requests ?? 2, readyAt: Date.now() + (readiness.ms ?? 0) };
        c.repo.forks.push(fork);
        this.repos.set(lower(`${ownerLogin}/${name}`), fork);
        return { status: 202, body: s().fullRepository(fork, this.roleOf(c.identity, fork)) };
      },

      "repos/merge-upstream": (c) => {
        const user = this.requireRole(c, "write");
        const upstream = c.repo.parent;
        const branch = String(c.body.branch);
        if (!upstream) throw new HttpError(422, { message: "This repository is not a fork." });
        const ref = `refs/heads/${branch}`;
        const ours = c.repo.refs.get(ref);
        const theirs = upstream.refs.get(ref);
        if (!ours || !theirs) throw new HttpError(422, { message: `Branch ${branch} not found` });
        const store = c.repo.store;
        const upstreamBranch = `${upstream.owner.login}:${branch}`;
        if (store.isAncestor(theirs, ours)) {
          return { status: 200, body: { message: "This branch is not behind the upstream", merge_type: "none", base_branch: upstreamBranch } };
        }
        if (store.isAncestor(ours, theirs)) {
          this.updateRef(c.repo, ref, theirs, user);
          return { status: 200, body: { message: `Successfully fetched and fast-forwarded from upstream ${upstreamBranch}.`, merge_type: "fast-forward", base_branch: upstreamBranch } };
        }
        const base = store.mergeBase(ours, theirs);
        const merged = store.mergeTrees(base ? store.commit(base)!.tree : undefined, store.commit(ours)!.tree, store.commit(theirs)!.tree);
        if ("conflicts" in merged) throw new HttpError(409, { message: "There are merge conflicts" });
        const who = identityOf(user, now());
        const sha = store.putCommit({ tree: store.buildTree(merged.flat), parents: [ours, theirs], author: who, committer: { ...WEB_FLOW, date: who.date }, message: `Merge branch '${branch}' of ${this.shapes.htmlUrl(upstream)}` });
        this.updateRef(c.repo, ref, sha, user);
        return { status: 200, body: { message: `Successfully fetched and merged from upstream ${upstreamBranch}.`, merge_type: "merge", base_branch: upstreamBranch } };
      },
    };
  }
}

/** Ready-made faults for `fake.inject(...)`, shaped like GitHub's own answers. */
export const Faults = {
  serverError(path: Injection["path"], extra: Partial<Injection> = {}): Injection {
    return { path, status: 500, ...extra };
  },
  /** 403 + `retry-after`, as GitHub answers when content is created too fast. */
  secondaryRateLimit(path: Injection["path"], retryAfterSeconds = 1, extra: Partial<Injection> = {}): Injection {
    return {
      path,
      status: 403,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        status: "403",
      },
      ...extra,
    };
  },
  /** 403 with `x-ratelimit-remaining: 0` and a reset time. */
  primaryRateLimit(path: Injection["path"], resetInSeconds = 60, extra: Partial<Injection> = {}): Injection {
    return {
      path,
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + resetInSeconds) },
      body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", status: "403" },
      ...extra,
    };
  },
  /** No answer for `ms` milliseconds (pick more than the client's timeout), then normal handling. */
  hang(path: Injection["path"], ms = 30_000, extra: Partial<Injection> = {}): Injection {
    return { path, delayMs: ms, ...extra };
  },
};

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHub(options);
  await fake.listen();
  return fake;
}

export { EMPTY_TREE_SHA, WEB };
