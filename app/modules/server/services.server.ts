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
 *   bus, locks     — wake-ups (LISTEN/NOTIFY) and named locks (advisory locks) between instances on
 *                    PostgreSQL; in-process on SQLite
 *   forge          — local review queue (default) or GitHub, from configuration: delivery and review
 *   outbox         — delivers stored proposals to the forge, with retries; a new proposal wakes the outbox
 *                    of every instance
 *   sync           — fast-forwards the content checkout (webhook, poller), pushes local merges; when the
 *                    checkout moved it tells the other instances, which sync theirs
 *   notifications  — mails contributors about their proposals' status changes (SMTP_URL), with retries
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
import { createBus, type Bus } from "~/modules/db/bus.server";
import { openPostgresDataLayer, sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import { createLocks, type Locks } from "~/modules/db/locks.server";
import { claimTurn } from "~/modules/db/sequences.server";
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
  /** Wake-ups between instances (PostgreSQL LISTEN/NOTIFY; nothing on SQLite). */
  bus: Bus;
  /** Named locks shared by the instances (PostgreSQL advisory locks; in-process on SQLite). */
  locks: Locks;
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
  /** Tells the other instances that the content remote is at `head` (a push webhook): they sync at once. */
  announceContent: (head: string) => void;
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
  const syncSetting = contentSyncSetting({ remoteForge: forge.remote, remote: env.CONTENT_REMOTE });
  let auth: Auth;
  try {
    if (env.DATABASE_URL && !forge.remote && !syncSetting.enabled) {
      // The queue is shared, but each instance serves its own content checkout: a merge made on one must reach the others.
      throw new ConfigError(
        "DATABASE_URL is set with the local review queue but without CONTENT_REMOTE. Each instance serves its own content " +
          "checkout, so a merge made on one instance would never reach the others. Set CONTENT_REMOTE to a git remote every " +
          "instance's checkout follows (a merge is pushed there and the other instances fetch it at once), or use the GitHub " +
          "forge, or run one instance without DATABASE_URL.",
      );
    }
    auth = setupAuth({ env, data, forge, signInLimiter, log: componentLog("auth") });
  } catch (error) {
    await data.close();
    db?.close();
    throw error;
  }
  const bus = createBus(data, { log: componentLog("bus") });
  const locks = createLocks(data);
  // The worker's timer looks for due retries and lapsed leases; with a short first retry (OUTBOX_RETRY_BASE_MS)
  // or lease it looks as often. A new proposal wakes every instance's outbox at once (NOTIFY).
  const leaseMs = env.OUTBOX_LEASE_SECONDS * 1000;
  const outbox = startOutbox({
    data,
    forge,
    baseDelayMs: env.OUTBOX_RETRY_BASE_MS,
    leaseMs,
    owner: `${bus.instance}:outbox`,
    intervalMs: Math.max(250, Math.min(15_000, env.OUTBOX_RETRY_BASE_MS, leaseMs)),
    log: componentLog("outbox"),
    announce: () => void bus.publish("outbox"),
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
  bus.subscribe("outbox", () => outbox.wake());
  const template = loadPullRequestTemplate(process.cwd());
  if (forge.remote && !env.PUBLIC_URL) {
    log.warn("PUBLIC_URL is not set: pull requests will link the contributor's status page by path only.");
  }
  // Content fan-out: when this checkout moved (a sync, the push of a local merge) the other instances are told and
  // sync theirs from the content remote; a message naming the HEAD this instance just heard about is not echoed.
  let heard: string | undefined;
  const sync: GitSync = createGitSync({
    store,
    enabled: syncSetting.enabled,
    remote: syncSetting.remote,
    branch: env.CONTENT_BRANCH,
    log: componentLog("sync"),
    onMoved: ({ head }) => announceContent(head),
  });
  function announceContent(head: string): void {
    if (head === heard) return;
    heard = head;
    void bus.publish("content", { head });
  }
  bus.subscribe("content", (message) => {
    if (!sync.enabled) return;
    if (message.head) heard = message.head;
    void sync.sync(message.head ? `another instance is at ${message.head.slice(0, 7)}` : "listening again after a lost connection");
  });
  const review = createReviewService({ data, store, forge, locks, log: componentLog("review") });
  log.info(`Proposals go to ${forge.texts.destination}${forge.remote ? "" : ` (${path.resolve(env.DATA_DIR)})`}.`);
  if (data.dialect === "postgres") {
    log.info(`Proposals, sessions, rate limits, webhook deliveries and counters are shared in ${data.description}.`);
  }
  return {
    env,
    store,
    data,
    bus,
    locks,
    deliveries: createDeliveryStore(data),
    forge,
    outbox,
    notifications,
    template,
    ...limiters,
    sync,
    announceContent,
    auth,
    review,
    stop: async () => {
      await sync.whenIdle(10_000);
      await outbox.stop();
      stopListening();
      await notifications.stop();
      await bus.close();
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
    // One round per interval for all instances: the round's try-lock, and the turn recorded in the database.
    locks: services.locks,
    claimRound: () => claimTurn(services.data, "poll", Date.now(), Math.max(1000, services.env.CONTENT_POLL_INTERVAL * 900)),
    log: componentLog("poller"),
  });
  let quiesced: Promise<void> | undefined;
  // No more wake-ups from the other instances first, then the work in progress.
  const quiesce = () =>
    (quiesced ??= services.bus
      .close()
      .then(() => Promise.all([poller.stop(), services.outbox.stop(), services.sync.whenIdle(10_000)]))
      .then(() => undefined));
  return {
    quiesce,
    async stop() {
      await quiesce();
      await services.stop();
    },
  };
}

