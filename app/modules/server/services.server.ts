/**
 * The composition root: the long-lived pieces of the server, made once per
 * process. The HTTP handler hands them to every loader and action as Remix's
 * load context (`context.services`, see load-context.ts); modules never
 * reach for them through a global.
 *
 *   content store  — the content folder in memory, reloaded on change
 *   data           — the data layer (Kysely): proposals and their events (the review queue), sessions,
 *                    webhook deliveries, counters, rate limits; SQLite under DATA_DIR by default,
 *                    PostgreSQL shared by every instance with DATABASE_URL
 *   forge          — local review queue (default) or GitHub, from configuration: delivery and review
 *   outbox         — delivers stored proposals to the forge, with retries
 *   notifications  — mails contributors about their proposals' status changes (SMTP_URL), with retries
 *   sync           — fast-forwards the content checkout (webhook, poller), pushes local merges
 *   review         — the maintainers' queue, over the forge
 *   poller         — started by startBackgroundServices: git sync + proposal states
 */
import fs from "node:fs";
import path from "node:path";
import { setupAuth, type Auth } from "~/modules/auth/index.server";
import { ConfigError, getEnv, type Env } from "~/modules/config/env.server";
import { getStore } from "~/modules/content/index.server";
import type { ContentStore } from "~/modules/content/store.server";
import { startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { proposalRecords } from "~/modules/contributions/store.server";
import { loadPullRequestTemplate } from "~/modules/contributions/template.server";
import { openPostgresDataLayer, sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import { createForge, loadForgeConfig, type Forge } from "~/modules/forge/index.server";
import { onProposalStatusChange } from "~/modules/contributions/events.server";
import { createReviseAccess } from "~/modules/contributions/revise.server";
import { reviseUrl } from "~/modules/contributions/revise-web.server";
import { createNotifications, createSmtpMailer, describeSmtpUrl, type Notifications } from "~/modules/notifications/index.server";
import { singleton } from "~/modules/process/singleton.server";
import { createReviewService, type ReviewService } from "~/modules/review/service.server";
import { siteRateLimiters, type RateLimiter } from "~/modules/security/rate-limit.server";
import { createDeliveryStore, type DeliveryStore } from "~/modules/sync/deliveries.server";
import { contentSyncSetting, createGitSync, type GitSync } from "~/modules/sync/git.server";
import { startPoller } from "~/modules/sync/poller.server";
import { componentLog } from "./log.server";

export interface Services {
  env: Env;
  store: ContentStore;
  /** The data layer: SQLite under DATA_DIR or PostgreSQL (DATABASE_URL), see app/modules/db/data.server.ts. */
  data: DataLayer;
  /** GitHub webhook delivery ids already handled. */
  deliveries: DeliveryStore;
  forge: Forge;
  outbox: Outbox;
  /** Mails to contributors (when SMTP_URL is set): queued with the status changes, sent with retries. */
  notifications: Notifications;
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
  const log = componentLog("services");
  const forgeConfig = loadForgeConfig(process.env);
  // SQLite (the embedded default) is opened only without DATABASE_URL: with PostgreSQL nothing is kept in DATA_DIR's database.
  const db: Database | undefined = env.DATABASE_URL ? undefined : openDatabase(path.resolve(env.DATA_DIR));
  const data: DataLayer = db
    ? sqliteDataLayer(db)
    : await openPostgresDataLayer(env.DATABASE_URL!, { onIdleError: (e) => log.warn("PostgreSQL: an idle connection was lost", { error: e.message }) });
  // The forge's merges keep the checkout in line through the sync, made right after it (it follows a remote
  // whenever the forge is a remote one).
  const checkout = {
    get enabled() {
      return sync.enabled;
    },
    sync: (reason?: string) => sync.sync(reason),
    push: (reason?: string) => sync.push(reason),
  };
  // Making the forge starts nothing; sign-in and the checks below come before any background work.
  const forge = createForge(forgeConfig, { records: proposalRecords(data), content: store, checkout });
  const { signInLimiter, ...limiters } = siteRateLimiters(data, env);
  let auth: Auth;
  try {
    if (env.DATABASE_URL && !forge.remote) {
      // Until issue 11 part B moves the proposals to PostgreSQL, each instance would have a queue of its own.
      throw new ConfigError(
        "DATABASE_URL is set, but the local review queue is still kept in each instance's own SQLite file, so several " +
          "instances would each review their own proposals. With DATABASE_URL use the GitHub forge (GITHUB_REPOSITORY and " +
          "GITHUB_TOKEN or a GitHub App); for the local review queue, unset DATABASE_URL and run one instance.",
      );
    }
    auth = setupAuth({ env, data, forge, signInLimiter, log: componentLog("auth") });
  } catch (error) {
    await data.close();
    db?.close();
    throw error;
  }
  // The worker's timer looks for due retries; with a short first retry (OUTBOX_RETRY_BASE_MS) it looks as often.
  const outbox = startOutbox({
    data,
    forge,
    baseDelayMs: env.OUTBOX_RETRY_BASE_MS,
    intervalMs: Math.min(15_000, env.OUTBOX_RETRY_BASE_MS),
    log: componentLog("outbox"),
  });
  const reviseAccess = createReviseAccess(data);
  const notifications = createNotifications({
    data,
    ...(env.SMTP_URL && env.MAIL_FROM ? { mailer: createSmtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) } : {}),
    siteUrl: env.PUBLIC_URL ?? "http://localhost/",
    // The changes-requested mail carries a fresh revise link, made in the transaction that queues the mail.
    reviseLink: async (id, executor) => reviseUrl(env.PUBLIC_URL ?? "http://localhost", id, await reviseAccess.mintLink(id, Date.now(), executor)),
    baseDelayMs: env.OUTBOX_RETRY_BASE_MS,
    intervalMs: Math.min(15_000, env.OUTBOX_RETRY_BASE_MS),
    log: componentLog("mail"),
  });
  if (env.SMTP_URL) log.info(`Contributors who give an e-mail address hear about their proposals by mail, through ${describeSmtpUrl(env.SMTP_URL)}.`);
  // The one hook of proposal status changes: each one that warrants a mail queues it in its own transaction.
  const stopListening = notifications.enabled ? onProposalStatusChange(data, notifications.listener) : () => {};
  const template = loadPullRequestTemplate(process.cwd());
  if (forge.remote && !env.PUBLIC_URL) {
    log.warn("PUBLIC_URL is not set: pull requests will link the contributor's status page by path only.");
  }
  const syncSetting = contentSyncSetting({ remoteForge: forge.remote, remote: env.CONTENT_REMOTE });
  const sync: GitSync = createGitSync({ store, enabled: syncSetting.enabled, remote: syncSetting.remote, branch: env.CONTENT_BRANCH, log: componentLog("sync") });
  const review = createReviewService({ data, store, forge, log: componentLog("review") });
  log.info(`Proposals go to ${forge.texts.destination}${forge.remote ? "" : ` (${path.resolve(env.DATA_DIR)})`}.`);
  if (data.dialect === "postgres") {
    log.info(`Proposals, sessions, rate limits, webhook deliveries and counters are shared in ${data.description}.`);
  }
  return {
    env,
    store,
    data,
    deliveries: createDeliveryStore(data),
    forge,
    outbox,
    notifications,
    template,
    ...limiters,
    sync,
    auth,
    review,
    stop: async () => {
      await sync.whenIdle(10_000);
      await outbox.stop();
      stopListening();
      await notifications.stop();
      await store.close();
      await data.close();
      db?.close();
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

export interface BackgroundServices {
  /** Takes no new background work (poll rounds, deliveries) and waits for the work in progress. */
  quiesce(): Promise<void>;
  /** quiesce(), then closes everything (content watcher, databases). */
  stop(): Promise<void>;
}

/** Called once by server.mjs: makes everything (so a restart resumes pending deliveries at once). */
export async function startBackgroundServices(): Promise<BackgroundServices> {
  const services = await getServices();
  const poller = startPoller({
    intervalSeconds: services.env.CONTENT_POLL_INTERVAL,
    ...(services.sync.enabled ? { sync: services.sync } : {}),
    data: services.data,
    forge: services.forge,
    log: componentLog("poller"),
  });
  let quiesced: Promise<void> | undefined;
  const quiesce = () => (quiesced ??= Promise.all([poller.stop(), services.outbox.stop(), services.sync.whenIdle(10_000)]).then(() => undefined));
  return {
    quiesce,
    async stop() {
      await quiesce();
      await services.stop();
    },
  };
}

