/**
 * GitHub REST calls of the maintainers' side that are not about a pull
 * request: who a signed-in user is (`GET /user`, with their own token) and
 * whether they may maintain the content repository
 * (`GET /repos/{o}/{r}/collaborators/{username}/permission`, asked with the
 * forge's own credentials — GitHub lets only collaborators with push access
 * read other users' permission).
 *
 * Also the one place that builds Octokit clients for the review side
 * (`octokitClient`), with the same timeouts, retries and throttling as the
 * delivery forge.
 */
import { createAppAuth } from "@octokit/auth-app";
import { Octokit, RequestError } from "octokit";
import type { GitHubForgeConfig } from "./config.server";
import { ForgeError, RateLimitedError, rateLimitRetryAt } from "./errors";
import type { GitHubForgeDeps } from "./github.server";

export type OctokitClient = InstanceType<typeof Octokit>;

const SILENT_LOG = { debug() {}, info() {}, warn() {}, error() {} };
let clients = 0;

/** An Octokit client for the configured GitHub: as `token`, or with the forge's credentials (`"app"`). */
export function octokitClient(config: GitHubForgeConfig, auth: { token: string } | "app", deps: GitHubForgeDeps = {}): OctokitClient {
  const timeoutMs = deps.requestTimeoutMs ?? 20_000;
  const shortWait = deps.shortWaitSeconds ?? 10;
  const baseFetch = deps.fetch ?? globalThis.fetch;
  const timedFetch: typeof globalThis.fetch = (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return baseFetch(input, { ...init, signal });
  };
  const limit = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount === 0 && retryAfter <= shortWait;
  const options = {
    baseUrl: config.apiUrl,
    userAgent: "django-questions",
    log: SILENT_LOG,
    request: { fetch: timedFetch },
    retry: { retries: deps.retries ?? 2, ...(deps.retryAfterBaseValue ? { retryAfterBaseValue: deps.retryAfterBaseValue } : {}) },
    throttle: {
      id: `django-questions-review-${process.pid}-${++clients}-${Math.random().toString(36).slice(2)}`,
      onRateLimit: limit,
      onSecondaryRateLimit: limit,
      fallbackSecondaryRateRetryAfter: 60,
      ...(deps.retryAfterBaseValue ? { retryAfterBaseValue: deps.retryAfterBaseValue } : {}),
      ...(deps.throttleGroups as object | undefined),
    },
  };
  if (auth !== "app") return new Octokit({ ...options, auth: auth.token });
  if (config.auth.type === "token") return new Octokit({ ...options, auth: config.auth.token });
  return new Octokit({
    ...options,
    authStrategy: createAppAuth,
    auth: { appId: config.auth.appId, privateKey: config.auth.privateKey, installationId: config.auth.installationId },
  });
}

/** Octokit error → ForgeError with a message a maintainer can act on. */
export function reviewError(error: unknown, step: string): ForgeError {
  if (error instanceof ForgeError) return error;
  if (!(error instanceof RequestError)) {
    return new ForgeError("transient", `GitHub could not be reached while ${step}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const data = (error.response?.data ?? {}) as { message?: string; errors?: unknown[] };
  const details = (data.errors ?? [])
    .map((e) => (typeof e === "string" ? e : ((e as { message?: string; code?: string }).message ?? (e as { code?: string }).code)))
    .filter(Boolean)
    .join("; ");
  const message = `${data.message ?? error.message}${details ? `: ${details}` : ""}`;
  const retryAt = rateLimitRetryAt(error.response?.headers, Date.now());
  if (error.status === 429 || (error.status === 403 && (retryAt !== undefined || /rate limit/i.test(message)))) {
    return new RateLimitedError(`GitHub's rate limit was reached while ${step}; try again in a minute.`, retryAt ?? Date.now() + 60_000, {
      status: error.status,
      cause: error,
    });
  }
  const kind = error.status >= 500 ? "transient" : error.status === 401 || error.status === 403 || error.status === 404 ? "config" : "rejected";
  return new ForgeError(kind, `GitHub refused ${step} (${error.status} ${message}).`, { status: error.status, cause: error });
}

export interface GitHubUser {
  login: string;
  name: string | null;
}

export interface CollaboratorPermission {
  /** Legacy base level: admin, write, read, none. */
  permission: string;
  /** The highest role: admin, maintain, write, triage, read, or a custom role. */
  role_name: string;
}

export interface GitHubAuthApi {
  /** `GET /user` with the user's own token. */
  user(token: string): Promise<GitHubUser>;
  /** The user's permission on the content repository (forge credentials). A user GitHub does not know has `none`. */
  permission(login: string): Promise<CollaboratorPermission>;
}

export function createGitHubAuthApi(config: GitHubForgeConfig, deps: GitHubForgeDeps = {}): GitHubAuthApi {
  const app = octokitClient(config, "app", deps);
  return {
    async user(token) {
      try {
        const { data } = await octokitClient(config, { token }, deps).rest.users.getAuthenticated();
        return { login: data.login, name: data.name ?? null };
      } catch (error) {
        throw reviewError(error, "reading who signed in");
      }
    },
    async permission(login) {
      try {
        const { data } = await app.rest.repos.getCollaboratorPermissionLevel({ owner: config.owner, repo: config.repo, username: login });
        return { permission: data.permission, role_name: data.role_name };
      } catch (error) {
        if (error instanceof RequestError && error.status === 404 && /is not a user/i.test(String((error.response?.data as { message?: string })?.message))) {
          return { permission: "none", role_name: "none" };
        }
        throw reviewError(error, `reading @${login}'s permission on ${config.owner}/${config.repo}`);
      }
    },
  };
}
