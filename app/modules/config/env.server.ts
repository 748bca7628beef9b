import path from "node:path";
import { parse as parseConnectionString } from "pg-connection-string";
import { z } from "zod";

/**
 * The site's own settings, validated once at start. The forge's GitHub
 * variables are validated in app/modules/forge/config.server.ts, and a few
 * tools read their own (see README). README's configuration table lists every
 * variable the code reads, these included; tests/docs/readme-env.test.ts
 * keeps it complete.
 */
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** An empty variable counts as unset (live-update settings). */
const unsetIfEmpty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A configuration the server cannot start with; the message names the variable and what to do. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function isPostgresUrl(value: string): boolean {
  if (!/^postgres(?:ql)?:\/\//i.test(value)) return false;
  try {
    return Boolean(parseConnectionString(value).database);
  } catch {
    return false;
  }
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  CONTENT_DIR: z.string().default("content"),
  DATA_DIR: z.string().default(".data"),
  /**
   * PostgreSQL shared by several instances (`postgres://user:password@host:5432/database`). Unset: the
   * embedded SQLite database DATA_DIR/django-questions.sqlite.
   */
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(isPostgresUrl, "must be a PostgreSQL URL, postgres://user:password@host:5432/database (unset: the embedded SQLite database under DATA_DIR)")
      .optional(),
  ),
  /** Seconds a SIGTERM/SIGINT waits for in-flight requests and deliveries before the process exits anyway. */
  SHUTDOWN_TIMEOUT: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).default(8)),
  /** Least severe log level written (JSON lines on stdout). */
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS).default("info")),
  /** `json` lines; `text` for people; `auto`: text on a terminal, JSON otherwise (containers, files, pipes). */
  LOG_FORMAT: z.preprocess(unsetIfEmpty, z.enum(["auto", "json", "text"]).default("auto")),
  LOG_REQUESTS: boolish.default("1"),
  PAGE_CACHE: boolish.default("1"),
  CONTENT_WATCH: boolish.default("1"),
  /**
   * From how many files a start has to parse on, the site serves after reading their front matter and
   * parses, checks and indexes the bodies in the background (decisions/034). 0: always.
   */
  CONTENT_DEFER_FROM: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(1000)),
  PUBLIC_URL: z.string().url().optional(),
  /** Proposals a client may send per window. */
  PROPOSAL_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  /** The rate limit's window, in seconds. */
  PROPOSAL_RATE_WINDOW: z.coerce.number().int().min(1).default(600),
  /**
   * First retry delay of a proposal delivery that failed for a passing reason (5xx, timeout), in
   * milliseconds; it doubles on every attempt (capped at one hour). The outbox also looks for due
   * retries at least this often.
   */
  OUTBOX_RETRY_BASE_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).default(30_000)),
  /**
   * Seconds an outbox claim holds a proposal unless renewed (the delivering instance renews it every third of
   * that); a proposal of an instance that died is taken by another once its lease has lapsed.
   */
  OUTBOX_LEASE_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().min(1).max(3600).default(60)),
  /** Trust X-Forwarded-For for the client address (behind a reverse proxy). */
  TRUST_PROXY: boolish.default("0"),
  /** Secret of the GitHub webhook (POST /webhooks/github); without it webhooks are refused with 503. */
  GITHUB_WEBHOOK_SECRET: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Seconds between polls of the content remote and of proposals under review (missed webhooks); 0 disables. */
  CONTENT_POLL_INTERVAL: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(300)),
  /** Branch the content checkout follows; default: the checkout's current branch. */
  CONTENT_BRANCH: z.preprocess(unsetIfEmpty, z.string().optional()),
  /**
   * Git remote the content checkout is fast-forwarded from. GitHub mode: default `origin`. Local mode:
   * unset means no content sync at all; set, the checkout follows it and local merges are pushed to it.
   */
  CONTENT_REMOTE: z.preprocess(unsetIfEmpty, z.string().optional()),
  /**
   * Signs the session cookie (maintainers' sign-in). Unset: a development default in development/test;
   * in production a random secret generated once into DATA_DIR/session-secret (0600) and reused.
   */
  SESSION_SECRET: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** The maintainers' sign-in token (/auth/token). Unset: a one-time link is printed at each start (when GitHub sign-in is off). */
  MAINTAINER_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(16, "MAINTAINER_TOKEN must be at least 16 characters").optional()),
  /**
   * With GitHub sign-in configured, maintainers sign in only with GitHub (their actions carry their own
   * name). `1` also accepts MAINTAINER_TOKEN; such a maintainer acts as the site's GitHub identity.
   */
  MAINTAINER_TOKEN_WITH_GITHUB: boolish.default("0"),
  /** Minutes a maintainer's GitHub permission is remembered before it is asked again. */
  MAINTAINER_PERMISSION_TTL: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(5)),
  /**
   * SMTP server that mails contributors about their proposals (`smtp://user:password@host:587`,
   * `smtps://…:465`). Unset: no mail is sent (nor queued).
   */
  SMTP_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(isSmtpUrl, "must be an SMTP URL, smtp://user:password@host:587 or smtps://user:password@host:465 (percent-encode special characters)")
      .optional(),
  ),
  /** The mails' sender, `Name <address>` or an address (required with SMTP_URL). */
  MAIL_FROM: z.preprocess(unsetIfEmpty, z.string().max(300).optional()),
}).superRefine((env, ctx) => {
  if (env.SMTP_URL !== undefined) {
    if (env.MAIL_FROM === undefined || !/^[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(env.MAIL_FROM.trim())) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["MAIL_FROM"],
        message: "required with SMTP_URL: the mails' sender, e.g. `Django Questions <noreply@example.org>`",
      });
    }
    if (env.PUBLIC_URL === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["PUBLIC_URL"],
        message: "required with SMTP_URL: the links in the mails must be absolute (e.g. https://questions.example.org)",
      });
    }
  }
  // Several instances on one PostgreSQL must sign cookies alike: a generated DATA_DIR/session-secret is per instance.
  if (env.DATABASE_URL !== undefined && env.SESSION_SECRET === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["SESSION_SECRET"],
      message:
        "required when DATABASE_URL is set: every instance must sign session cookies with the same secret (at least 32 random characters, e.g. `openssl rand -base64 48`)",
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (source === process.env && cached) return cached;
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** Absolute path of the content folder. */
export function contentDir(env: Env = getEnv()): string {
  return path.resolve(env.CONTENT_DIR);
}
