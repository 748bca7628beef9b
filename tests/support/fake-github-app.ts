/**
 * The app in GitHub mode against the fake GitHub: the fake is seeded with the
 * repository's real `content/` files, the production server is started with
 * `GITHUB_REPOSITORY`, `GITHUB_TOKEN`, `GITHUB_API_URL=<fake>`,
 * `GITHUB_WEBHOOK_SECRET` and `CONTENT_POLL_INTERVAL=0`, and the fake's
 * webhook delivers (signed) to the app's `POST /webhooks/github`.
 *
 *   const gh = await startGitHubModeApp({ env: { PROPOSAL_RATE_LIMIT: "1000" } });
 *   … POST gh.app.url + "/contribute/question" …, inspect gh.fake.pulls() …
 *   const other = await startAppAgainst(gh, { token: "bad" });   // a further app, same fake
 *   // (or `startGitHubModeApp({ others: [{ token: "bad" }] })` → gh.others[0], started in parallel)
 *   await gh.stop();
 */
import fs from "node:fs";
import path from "node:path";
import { startFakeGitHub, type FakeGitHub } from "../fake-github/server";
import { ROOT, startAppServer, type AppServer } from "./app-server";

export const OWNER = "django-questions";
export const REPO = "content";
/** The bot the app opens pull requests as (`GITHUB_TOKEN`). */
export const BOT = { login: "dq-bot", token: "dq-bot-token" } as const;
/** A maintainer who merges and closes pull requests "on GitHub". */
export const MAINTAINER = { login: "maria-maintainer", token: "maria-token" } as const;
/** Contributors' GitHub accounts (no token: they never sign in). */
export const CONTRIBUTOR_ACCOUNTS = [
  { login: "grace-h", id: 5912345 },
  { login: "ada-l", id: 5912346 },
] as const;
/** The site's public address in GitHub mode: pull requests link the status page through it. */
export const PUBLIC_URL = "https://questions.example.org";
export const WEBHOOK_SECRET = "github-mode-webhook-secret";

/** Every file under the repository's `content/` folder, keyed by its repository path (`content/…`). */
export function repositoryContentFiles(root = ROOT): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[path.relative(root, full).split(path.sep).join("/")] = fs.readFileSync(full);
    }
  };
  walk(path.join(root, "content"));
  return out;
}

export interface GitHubMode {
  fake: FakeGitHub;
  /** The app the fake's webhook delivers to. */
  app: AppServer;
  /** `owner/name` of the content repository on the fake. */
  repository: string;
  /** Apps started with {@link startAppAgainst}, stopped by `stop()`. */
  others: AppServer[];
  /** Stops every app, then the fake. */
  stop(): Promise<void>;
}

export interface GitHubModeOptions {
  /** Extra environment of the app (e.g. PROPOSAL_RATE_LIMIT, OUTBOX_RETRY_BASE_MS). */
  env?: Record<string, string>;
  /** Validate the fake's own responses and webhook payloads too (slower start). */
  strict?: boolean;
  /** Further apps against the same fake (e.g. with a wrong token), started alongside: `mode.others`, in this order. */
  others?: { token: string; env?: Record<string, string> }[];
}

function appEnv(fake: FakeGitHub, token: string, extra: Record<string, string>): Record<string, string> {
  return {
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_TOKEN: token,
    GITHUB_API_URL: fake.url,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CONTENT_POLL_INTERVAL: "0",
    CONTENT_WATCH: "0",
    PUBLIC_URL,
    ...extra,
  };
}

/**
 * The fake GitHub seeded with the repository's `content/` files, the bot, a maintainer and the contributors'
 * accounts. It reads `webhook.url` at each delivery: create it with a placeholder (nothing is delivered before an
 * app runs) and point it at an app once the app's port is known.
 */
export function startSeededFakeGitHub(webhook: { url: string; secret: string }, options: { strict?: boolean } = {}): Promise<FakeGitHub> {
  return startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    files: repositoryContentFiles(),
    users: [
      { login: BOT.login, token: BOT.token, permission: "write", name: "Django Questions bot" },
      { login: MAINTAINER.login, token: MAINTAINER.token, permission: "admin", name: "Maria Maintainer" },
      // GitHub accounts that contributors name in the forms (the forge looks them up to credit them).
      ...CONTRIBUTOR_ACCOUNTS,
    ],
    webhook,
    ...(options.strict ? { strict: true } : {}),
  });
}

/**
 * Starts the fake GitHub (seeded with `content/`), then the app pointed at it,
 * then points the fake's webhook at the app.
 */
export async function startGitHubModeApp(options: GitHubModeOptions = {}): Promise<GitHubMode> {
  const webhook = { url: "http://127.0.0.1:9/webhook-not-configured-yet", secret: WEBHOOK_SECRET };
  const fake = await startSeededFakeGitHub(webhook, options);
  const starts = [
    startAppServer(appEnv(fake, BOT.token, options.env ?? {})),
    ...(options.others ?? []).map((o) => startAppServer(appEnv(fake, o.token, o.env ?? {}))),
  ];
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(results.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    await fake.close();
    throw failed.reason;
  }
  const [app, ...others] = results.map((r) => (r as PromiseFulfilledResult<AppServer>).value) as [AppServer, ...AppServer[]];
  webhook.url = `${app.url}/webhooks/github`;
  return {
    fake,
    app,
    repository: `${OWNER}/${REPO}`,
    others,
    async stop() {
      await Promise.all([app, ...others].map((a) => a.stop()));
      await fake.close();
    },
  };
}

/** A further app against the same fake (its webhook still goes to `mode.app`), e.g. with a wrong token. */
export async function startAppAgainst(mode: GitHubMode, options: { token: string; env?: Record<string, string> }): Promise<AppServer> {
  const app = await startAppServer(appEnv(mode.fake, options.token, options.env ?? {}));
  mode.others.push(app);
  return app;
}
