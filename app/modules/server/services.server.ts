/**
 * The composition root: the long-lived pieces of the server, made once per
 * process. The HTTP handler hands them to every loader and action as Remix's
 * load context (`context.services`, see load-context.ts); modules never
 * reach for them through a global.
 *
 *   content store  — the content folder in memory, reloaded on change
 *   db             — SQLite under DATA_DIR (proposals, review queue, sessions)
 *   forge          — local review queue (default) or GitHub, from configuration: delivery and review
 *   outbox         — delivers stored proposals to the forge, with retries
 *   sync           — fast-forwards the content checkout (webhook, poller), pushes local merges
 *   review         — the maintainers' queue, over the forge
 *   poller         — started by startBackgroundServices: git sync + proposal states
 */
import fs from "node:fs";
import path from "node:path";
import { setupAuth, type Auth } from "~/modules/auth/index.server";
import { getEnv, type Env } from "~/modules/config/env.server";
import { getStore } from "~/modules/content/index.server";
import type { ContentStore } from "~/modules/content/store.server";
import { startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { proposalRecords } from "~/modules/contributions/store.server";
import { loadPullRequestTemplate } from "~/modules/contributions/template.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import { createForge, loadForgeConfig, type Forge } from "~/modules/forge/index.server";
import { singleton } from "~/modules/process/singleton.server";
import { createReviewService, type ReviewService } from "~/modules/review/service.server";
import { RateLimiter } from "~/modules/security/rate-limit.server";
import { contentSyncSetting, createGitSync, type GitSync } from "~/modules/sync/git.server";
import { startPoller } from "~/modules/sync/poller.server";

export interface Services {
  env: Env;
  store: ContentStore;
  db: Database;
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
  /** The maintainers' review queue. */
  review: ReviewService;
  /** Stops everything this module started. */
  stop: () => Promise<void>;
}

async function create(): Promise<Services> {
  const env = getEnv();
  const store = await getStore();
  fs.mkdirSync(path.resolve(env.DATA_DIR), { recursive: true });
  const db = openDatabase(path.resolve(env.DATA_DIR));
  const forgeConfig = loadForgeConfig(process.env);
  // The forge's merges keep the checkout in line through the sync, made right after it (it follows a remote
  // whenever the forge is a remote one).
  const checkout = {
    get enabled() {
      return sync.enabled;
    },
    sync: (reason?: string) => sync.sync(reason),
    push: (reason?: string) => sync.push(reason),
  };
  const forge = createForge(forgeConfig, { records: proposalRecords(db), content: store, checkout });
  const syncSetting = contentSyncSetting({ remoteForge: forge.remote, remote: env.CONTENT_REMOTE });
  const sync: GitSync = createGitSync({ store, enabled: syncSetting.enabled, remote: syncSetting.remote, branch: env.CONTENT_BRANCH });
  // The worker's timer looks for due retries; with a short first retry (OUTBOX_RETRY_BASE_MS) it looks as often.
  const outbox = startOutbox({ db, forge, baseDelayMs: env.OUTBOX_RETRY_BASE_MS, intervalMs: Math.min(15_000, env.OUTBOX_RETRY_BASE_MS) });
  const template = loadPullRequestTemplate(process.cwd());
  const proposalLimiter = new RateLimiter(env.PROPOSAL_RATE_LIMIT, env.PROPOSAL_RATE_WINDOW * 1000);
  const sendLimiter = new RateLimiter(env.PROPOSAL_RATE_LIMIT * 6, env.PROPOSAL_RATE_WINDOW * 1000);
  const previewLimiter = new RateLimiter(240, 60_000);
  if (forge.remote && !env.PUBLIC_URL) {
    console.warn("PUBLIC_URL is not set: pull requests will link the contributor's status page by path only.");
  }
  const auth = setupAuth({ env, db, forge });
  const review = createReviewService({ db, store, forge });
  console.log(`Proposals go to ${forge.texts.destination}${forge.remote ? "" : ` (${path.resolve(env.DATA_DIR)})`}.`);
  return {
    env,
    store,
    db,
    forge,
    outbox,
    template,
    proposalLimiter,
    sendLimiter,
    previewLimiter,
    sync,
    auth,
    review,
    stop: async () => {
      await sync.whenIdle(10_000);
      await outbox.stop();
      await store.close();
      db.close();
    },
  };
}

/** The process's services, made on first use (the production server makes them before it listens). */
export function getServices(): Promise<Services> {
  return singleton("services", create);
}

/** Remix's load context of every request: the services (the HTTP handler adds the client's address). */
export async function getLoadContext(): Promise<{ services: Services }> {
  return { services: await getServices() };
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
