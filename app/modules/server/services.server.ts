/**
 * The composition root: the long-lived pieces of the server, made once per
 * process and shared by routes (through `getServices()`) and by the
 * production server (`startBackgroundServices()`).
 *
 *   content store  — the content folder in memory, reloaded on change
 *   db             — SQLite under DATA_DIR (proposals, review queue, sessions)
 *   forge          — local review queue (default) or GitHub, from configuration
 *   outbox         — delivers stored proposals to the forge, with retries
 *   sync           — fast-forwards the content checkout (webhook, poller)
 *   poller         — started by startBackgroundServices: git sync + proposal states
 */
import fs from "node:fs";
import path from "node:path";
import { setupAuth, type Auth } from "~/modules/auth/index.server";
import { getEnv, type Env } from "~/modules/config/env.server";
import { getStore } from "~/modules/content/index.server";
import type { ContentStore } from "~/modules/content/store.server";
import { startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { loadPullRequestTemplate } from "~/modules/contributions/template.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import { createForge, loadForgeConfig, type Forge, type ForgeConfig } from "~/modules/forge/index.server";
import { RateLimiter } from "~/modules/security/rate-limit.server";
import { contentSyncSetting, createGitSync, type GitSync } from "~/modules/sync/git.server";
import { startPoller } from "~/modules/sync/poller.server";

export interface Services {
  env: Env;
  store: ContentStore;
  db: Database;
  forgeConfig: ForgeConfig;
  forge: Forge;
  outbox: Outbox;
  /** The pull request body template (`.github/proposal-template.md`). */
  template: string;
  /** Per-client limit on stored proposals. */
  proposalLimiter: RateLimiter;
  /** Per-client limit on every send of a proposal form (valid or not): six times the proposal limit. */
  sendLimiter: RateLimiter;
  /** Per-client limit on as-you-type previews (each renders Markdown): 240 a minute. */
  previewLimiter: RateLimiter;
  /** Fast-forwards the content checkout and reloads the changed files (push webhook, poller). */
  sync: GitSync;
  /** Maintainers' sign-in and sessions (the review queue's gate). */
  auth: Auth;
  /** Stops everything this module started. */
  stop: () => Promise<void>;
}

const holder = globalThis as unknown as { __services?: Promise<Services> };

async function create(): Promise<Services> {
  const env = getEnv();
  const store = await getStore();
  fs.mkdirSync(path.resolve(env.DATA_DIR), { recursive: true });
  const db = openDatabase(path.resolve(env.DATA_DIR));
  const forgeConfig = loadForgeConfig(process.env);
  const forge = createForge(forgeConfig, { db });
  // The worker's timer looks for due retries; with a short first retry (OUTBOX_RETRY_BASE_MS) it looks as often.
  const outbox = startOutbox({ db, forge, baseDelayMs: env.OUTBOX_RETRY_BASE_MS, intervalMs: Math.min(15_000, env.OUTBOX_RETRY_BASE_MS) });
  const template = loadPullRequestTemplate(process.cwd());
  const proposalLimiter = new RateLimiter(env.PROPOSAL_RATE_LIMIT, env.PROPOSAL_RATE_WINDOW * 1000);
  const sendLimiter = new RateLimiter(env.PROPOSAL_RATE_LIMIT * 6, env.PROPOSAL_RATE_WINDOW * 1000);
  const previewLimiter = new RateLimiter(240, 60_000);
  if (forgeConfig.kind === "github" && !env.PUBLIC_URL) {
    console.warn("PUBLIC_URL is not set: pull requests will link the contributor's status page by path only.");
  }
  const syncSetting = contentSyncSetting({ forge: forgeConfig.kind, remote: env.CONTENT_REMOTE });
  const sync = createGitSync({ store, enabled: syncSetting.enabled, remote: syncSetting.remote, branch: env.CONTENT_BRANCH });
  const auth = setupAuth({ env, db, forgeConfig });
  console.log(
    forgeConfig.kind === "github"
      ? `Proposals go to GitHub: ${forgeConfig.owner}/${forgeConfig.repo}.`
      : `Proposals go to the local review queue (${path.resolve(env.DATA_DIR)}).`,
  );
  return {
    env,
    store,
    db,
    forgeConfig,
    forge,
    outbox,
    template,
    proposalLimiter,
    sendLimiter,
    previewLimiter,
    sync,
    auth,
    stop: async () => {
      await sync.whenIdle(10_000);
      await outbox.stop();
      await store.close();
      db.close();
    },
  };
}

export function getServices(): Promise<Services> {
  if (!holder.__services) {
    holder.__services = create();
    holder.__services.catch(() => {
      holder.__services = undefined;
    });
  }
  return holder.__services;
}

/** Called once by server.mjs: makes everything (so a restart resumes pending deliveries at once). */
export async function startBackgroundServices(): Promise<() => Promise<void>> {
  const services = await getServices();
  const poller = startPoller({
    intervalSeconds: services.env.CONTENT_POLL_INTERVAL,
    ...(services.sync.enabled ? { sync: services.sync } : {}),
    db: services.db,
    forge: services.forge,
  });
  return async () => {
    await poller.stop();
    await services.stop();
  };
}
