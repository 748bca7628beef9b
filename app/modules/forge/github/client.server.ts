/**
 * The one place that builds Octokit clients (timeouts, retries, throttling)
 * and turns GitHub's errors into `ForgeError`s people can act on. Octokit is
 * imported only under `forge/github/`.
 */
import { createAppAuth } from "@octokit/auth-app";
import { Octokit, RequestError } from "octokit";
import type { GitHubForgeConfig } from "../config.server";
import { ForgeError, RateLimitedError, rateLimitRetryAt } from "../errors";

export { RequestError } from "octokit";

export type OctokitClient = InstanceType<typeof Octokit>;

/** What the GitHub forge may be given besides its configuration (tests make it fast and quiet). */
export interface GitHubForgeDeps {
  /** Per-request timeout. Default 20 s. */
  requestTimeoutMs?: number;
  /** Rate-limit waits up to this long are retried in-process once; longer ones go back to the outbox. Default 10 s. */
  shortWaitSeconds?: number;
  /** Quick in-process retries of 5xx answers (the outbox retries later anyway). Default 2. */
  retries?: number;
  /** Milliseconds per unit of the retry plugins' waits (tests make it small). Default 1000. */
  retryAfterBaseValue?: number;
  /**
   * Bottleneck groups of the throttling plugin (tests pass groups without
   * the 1 s / 3 s spacing GitHub recommends between write requests).
   */
  throttleGroups?: { write?: unknown; notifications?: unknown };
  /** E-mail of the commit author when the contributor gave neither an e-mail nor a GitHub username that GitHub knows. */
  noreplyEmail?: string;
  /** Committer of the proposal commits. */
  committer?: { name: string; email: string };
  fetch?: typeof globalThis.fetch;
  log?: { warn(message: string): void; info(message: string): void };
  /**
   * Waits between polls while GitHub is still creating a contributor's fork
   * (it forks in the background: the fork's git data answers 409 "Git
   * Repository is empty." or 404 for seconds to minutes). When the fork is
   * still not ready after these, the attempt ends with a transient error and
   * the outbox tries again later. Default 1, 2, 4, 8 s (15 s in all).
   */
  forkReadyDelaysMs?: readonly number[];
  /** Sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
}

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
      id: `django-questions-${process.pid}-${++clients}-${Math.random().toString(36).slice(2)}`,
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

interface ErrorData {
  message?: string;
  errors?: Array<string | { message?: string; code?: string; resource?: string }>;
}

export function responseData(error: unknown): ErrorData {
  const data = (error as { response?: { data?: unknown } })?.response?.data;
  return data && typeof data === "object" ? (data as ErrorData) : {};
}

/** GitHub's list of validation errors, as one line. */
function details(error: unknown): string {
  return (responseData(error).errors ?? [])
    .map((e) => (typeof e === "string" ? e : (e.message ?? e.code)))
    .filter(Boolean)
    .join("; ");
}

/** A 422 whose message (or one of its errors) matches. */
export function is422(error: unknown, pattern: RegExp): boolean {
  if (!(error instanceof RequestError) || error.status !== 422) return false;
  const data = responseData(error);
  const texts = [data.message ?? "", error.message, ...(data.errors ?? []).map((e) => (typeof e === "string" ? e : `${e.message ?? ""} ${e.code ?? ""}`))];
  return texts.some((t) => pattern.test(t));
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RequestError && error.status === 404;
}

/** The rate-limit error of a 429, or of a 403 that says it is one; undefined otherwise. */
function rateLimited(error: RequestError, message: string, describe: (status: number) => string): RateLimitedError | undefined {
  const now = Date.now();
  const retryAt = rateLimitRetryAt(error.response?.headers, now);
  if (error.status === 429 || (error.status === 403 && (retryAt !== undefined || /rate limit/i.test(message)))) {
    return new RateLimitedError(describe(error.status), retryAt ?? now + 60_000, { status: error.status, cause: error });
  }
  return undefined;
}

/**
 * A delivery step's error → a ForgeError the outbox understands, naming the
 * step and what to check (`credentials`: the token or App variables, or the
 * contributor's sign-in; `repository`: `owner/name`).
 */
export function deliveryError(error: unknown, step: string, credentials: string, repository: string): ForgeError {
  if (error instanceof ForgeError) return error;
  if (!(error instanceof RequestError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ForgeError("transient", `Network error while ${step}: ${message}`, { cause: error });
  }
  const status = error.status;
  // GitHub's 5xx answers often carry no message: say so rather than end on a colon.
  const ghMessage = (responseData(error).message ?? error.message).trim() || "no message from GitHub";
  const limited = rateLimited(error, ghMessage, (s) => `GitHub rate limit reached while ${step} (${s}: ${ghMessage})`);
  if (limited) return limited;
  if (status === 401) {
    return new ForgeError("config", `GitHub rejected the token (401 ${ghMessage}) while ${step}: check ${credentials}, then retry the proposal.`, {
      status,
      cause: error,
    });
  }
  if (status === 403) {
    return new ForgeError(
      "config",
      `GitHub refused access (403 ${ghMessage}) while ${step}: ${credentials} needs write access to ${repository} (contents and pull requests: read and write; the "repo" scope for a classic token). Fix it, then retry the proposal.`,
      { status, cause: error },
    );
  }
  if (status === 404) {
    return new ForgeError(
      "config",
      `GitHub answered 404 Not Found while ${step}: check GITHUB_REPOSITORY=${repository} (and GITHUB_BASE_BRANCH if set), and that ${credentials} can see the repository and write to it (GitHub answers 404 rather than 403 to a token without access), then retry the proposal.`,
      { status, cause: error },
    );
  }
  if (status === 409 && /empty/i.test(ghMessage)) {
    return new ForgeError("config", `The repository ${repository} is empty (409) while ${step}: push the content first.`, { status, cause: error });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return new ForgeError("transient", `GitHub error ${status} while ${step}: ${ghMessage}`, { status, cause: error });
  }
  const more = details(error);
  return new ForgeError("rejected", `GitHub refused ${step} (${status} ${ghMessage}${more ? `: ${more}` : ""}).`, { status, cause: error });
}

/** A maintainer's (or a sign-in's) call failed → a ForgeError with a message a maintainer can act on. */
export function reviewError(error: unknown, step: string): ForgeError {
  if (error instanceof ForgeError) return error;
  if (!(error instanceof RequestError)) {
    return new ForgeError("transient", `GitHub could not be reached while ${step}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const more = details(error);
  const message = `${responseData(error).message ?? error.message}${more ? `: ${more}` : ""}`;
  const limited = rateLimited(error, message, () => `GitHub's rate limit was reached while ${step}; try again in a minute.`);
  if (limited) return limited;
  const kind = error.status >= 500 ? "transient" : error.status === 401 || error.status === 403 || error.status === 404 ? "config" : "rejected";
  return new ForgeError(kind, `GitHub refused ${step} (${error.status} ${message}).`, { status: error.status, cause: error });
}

/** Runs a review call, its errors made readable by {@link reviewError}. */
export async function reviewCall<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw reviewError(error, step);
  }
}
