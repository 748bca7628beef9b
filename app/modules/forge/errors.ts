/**
 * Typed delivery errors. Forges throw these so the outbox knows what to do:
 *
 * | kind         | outbox reaction                                                |
 * |--------------|----------------------------------------------------------------|
 * | transient    | retry with exponential backoff and jitter (cap 1 h)             |
 * | rate-limited | wait until `retryAt` (GitHub's reset / retry-after), then retry |
 * | config       | status `failed` with the human reason; `retryProposal` after fix |
 * | rejected     | status `failed` (the forge refused this proposal for good)      |
 */
export type ForgeErrorKind = "transient" | "rate-limited" | "config" | "rejected";

export class ForgeError extends Error {
  readonly kind: ForgeErrorKind;
  /** HTTP status of the forge's answer, when there was one. */
  readonly status?: number;
  /** Epoch ms: when a rate-limited request may be retried. */
  readonly retryAt?: number;

  constructor(kind: ForgeErrorKind, message: string, options: { status?: number; retryAt?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ForgeError";
    this.kind = kind;
    this.status = options.status;
    this.retryAt = options.retryAt;
  }
}

/** A primary or secondary rate limit: do not retry before `retryAt`. */
export class RateLimitedError extends ForgeError {
  constructor(message: string, retryAt: number, options: { status?: number; cause?: unknown } = {}) {
    super("rate-limited", message, { ...options, retryAt });
    this.name = "RateLimitedError";
  }
}

export interface ErrorClassification {
  kind: ForgeErrorKind;
  message: string;
  retryAt?: number;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const v = (headers as { get(n: string): string | null }).get(name);
    return v ?? undefined;
  }
  const v = (headers as Record<string, unknown>)[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** Reads `retry-after` (seconds) or `x-ratelimit-remaining: 0` + `x-ratelimit-reset` (epoch seconds). */
export function rateLimitRetryAt(headers: unknown, now: number): number | undefined {
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return now + Math.max(0, seconds) * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(now, date);
  }
  if (header(headers, "x-ratelimit-remaining") === "0") {
    const reset = Number(header(headers, "x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(now, reset * 1000 + 1000);
  }
  return undefined;
}

/**
 * Classifies anything a forge may throw. ForgeErrors carry their own kind;
 * other errors are classified by HTTP status when they have one
 * (Octokit's RequestError does); errors without a status are network
 * failures or timeouts and are retried.
 */
export function classifyError(error: unknown, now: number = Date.now()): ErrorClassification {
  if (error instanceof ForgeError) {
    return { kind: error.kind, message: error.message, retryAt: error.retryAt };
  }
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof (error as { status?: unknown })?.status === "number" ? (error as { status: number }).status : undefined;
  const headers = (error as { response?: { headers?: unknown } })?.response?.headers;
  if (status === undefined) {
    return { kind: "transient", message: `Network error or timeout: ${message}` };
  }
  const retryAt = rateLimitRetryAt(headers, now);
  if (status === 429 || (status === 403 && (retryAt !== undefined || /rate limit/i.test(message)))) {
    return { kind: "rate-limited", message: `Rate limited (${status}): ${message}`, retryAt: retryAt ?? now + 60_000 };
  }
  if (status >= 500 || status === 408) return { kind: "transient", message: `Server error ${status}: ${message}` };
  if (status === 401 || status === 403 || status === 404) {
    return { kind: "config", message: `Rejected (${status}): ${message}` };
  }
  return { kind: "rejected", message: `Rejected (${status}): ${message}` };
}
