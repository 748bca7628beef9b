/**
 * A cluster on this machine: several production servers (`node server.mjs`
 * over the current build) on loopback, sharing one fresh PostgreSQL database
 * (DATABASE_URL), SESSION_SECRET and MAINTAINER_TOKEN, in GitHub mode against
 * the fake GitHub, each with its own clone of a bare content remote
 * (CONTENT_DIR) and its own DATA_DIR — as a deployment behind a load balancer
 * has them.
 *
 *   const cluster = await startCluster({ instances: 3 });
 *   await fetch(cluster.nodes[1]!.app.url + "/…");
 *   await cluster.stop(0, "SIGKILL"); await cluster.start(0);     // a crash and a restart
 *   cluster.repo.pushQuestion({ … }); await cluster.webhook(1, "push", payload);
 *   cluster.sendFakeWebhooksTo(1);                                 // the fake GitHub's deliveries go to instance 2
 *   await cluster.close();                                         // every process, the fake, the database, the folders
 *
 * The fake GitHub is seeded with the repository's `content/` files, and the
 * bare remote with the same files, so both agree on the content.
 */
import { sign } from "@octokit/webhooks-methods";
import fs from "node:fs";
import pg from "pg";
import os from "node:os";
import path from "node:path";
import type { FakeGitHub } from "../fake-github/server";
import { createContentRepo, git, type ContentRepo } from "../sync/git-fixture";
import { startAppServer, type AppServer } from "./app-server";
import { freshPostgresDatabase } from "./databases";
import { BOT, OWNER, PUBLIC_URL, REPO, startSeededFakeGitHub } from "./fake-github-app";
import type { FreshDatabase } from "./postgres";

export const CLUSTER_SECRETS = {
  session: "cluster-session-secret-0123456789-abcdefghijklmnop",
  maintainerToken: "cluster-maintainer-token-0123456789",
  webhook: "cluster-webhook-secret",
} as const;

export interface ClusterNode {
  /** 0, 1, 2, … */
  index: number;
  /** The running server (replaced by `start(i)` after a stop). */
  app: AppServer;
  /** This instance's clone of the content remote; CONTENT_DIR is its `content/` folder. */
  checkout: string;
  dataDir: string;
}

export interface Cluster {
  database: FreshDatabase;
  /** The shared DATABASE_URL. */
  databaseUrl: string;
  fake: FakeGitHub;
  /** The bare content remote (`repo.origin`) and a maintainer's clone to push from (`repo.pushQuestion`). */
  repo: ContentRepo;
  nodes: ClusterNode[];
  /** The environment every instance shares. */
  env: Record<string, string>;
  /** `POST /webhooks/github` of instance `i`. */
  webhookUrl(i: number): string;
  /** Points the fake GitHub's webhook (its deliveries after pushes, merges, …) at instance `i`. */
  sendFakeWebhooksTo(i: number): void;
  /** Sends a signed webhook delivery to instance `i`; resolves with its response. */
  webhook(i: number, event: string, payload: unknown, delivery?: string): Promise<Response>;
  /** Stops instance `i` (SIGTERM: gracefully; SIGKILL: a crash) and waits until it has exited. */
  stop(i: number, signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts instance `i` again on its own checkout and DATA_DIR (another port). */
  start(i: number): Promise<ClusterNode>;
  /** Runs one SQL statement on the shared database (its own connection). */
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The instance whose outbox owns a lease (`lease_owner` names its host and process id), if one still runs. */
  nodeOfLeaseOwner(owner: string): ClusterNode | undefined;
  /** Stops every instance and the fake, drops the database, removes the folders. */
  close(): Promise<void>;
}

/** A form body (repeated keys for arrays). */
export function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body.toString();
}

/** POSTs a form to `base + path` as a browser on that origin would (no redirect followed). */
export function postForm(base: string, path: string, fields: Record<string, string | string[]>, cookie?: string): Promise<Response> {
  return fetch(base + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, ...(cookie ? { Cookie: cookie } : {}) },
    body: formBody(fields),
  });
}

/** The "propose a question" form's fields, for a title of its own (the content check refuses near-duplicates). */
export function questionFields(title: string, body = "Which settings change, and what does the framework do differently at each step?"): Record<string, string | string[]> {
  return {
    intent: "submit",
    kind: "question",
    title,
    body,
    tags: ["deployment"],
    name: "Hedy Lamarr",
    licence: "on",
    submissionKey: crypto.randomUUID().replace(/-/g, ""),
  };
}

/** Proposes a question (a title of its own) on instance `index` as a browser without JavaScript does; the proposal's id. */
export async function proposeOn(cluster: Cluster, index: number, title: string): Promise<string> {
  const res = await postForm(cluster.nodes[index]!.app.url, "/contribute/question", questionFields(title));
  if (res.status !== 303) throw new Error(`instance ${index + 1} did not accept the proposal (${res.status}): ${(await res.text()).slice(0, 300)}`);
  return res.headers.get("location")!.replace("/contributions/", "");
}

export interface ClusterOptions {
  /** How many instances (default 3). */
  instances?: number;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.instances ?? 3;
  const database = await freshPostgresDatabase("c");
  const cleanups: (() => Promise<void> | void)[] = [() => database.drop()];
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dq-cluster-")));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  try {
    const repo = createContentRepo({ seed: Number.POSITIVE_INFINITY });
    cleanups.push(() => repo.cleanup());
    // The fake's webhook goes nowhere until a test points it at an instance (`webhookUrl(i)`).
    const webhook = { url: "http://127.0.0.1:9/webhook-not-configured", secret: CLUSTER_SECRETS.webhook };
    const fake = await startSeededFakeGitHub(webhook);
    cleanups.push(() => fake.close());

    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      SESSION_SECRET: CLUSTER_SECRETS.session,
      MAINTAINER_TOKEN: CLUSTER_SECRETS.maintainerToken,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_TOKEN: BOT.token,
      GITHUB_API_URL: fake.url,
      GITHUB_WEBHOOK_SECRET: CLUSTER_SECRETS.webhook,
      CONTENT_REMOTE: "origin",
      CONTENT_POLL_INTERVAL: "0",
      CONTENT_WATCH: "0",
      PUBLIC_URL,
      ...options.env,
    };

    const nodes: ClusterNode[] = [];
    const launch = async (index: number, checkout: string, dataDir: string): Promise<ClusterNode> => {
      const app = await startAppServer({ ...env, CONTENT_DIR: path.join(checkout, "content"), DATA_DIR: dataDir });
      const node = { index, app, checkout, dataDir };
      nodes[index] = node;
      return node;
    };
    const layout = Array.from({ length: count }, (_, i) => {
      const checkout = path.join(root, `instance-${i + 1}`);
      git(root, "clone", "--quiet", repo.origin, checkout);
      return { checkout, dataDir: path.join(root, `data-${i + 1}`) };
    });
    cleanups.push(() => Promise.all(nodes.map((n) => n?.app.stop())).then(() => undefined));
    // The first migrates the database; the others start together once it has.
    await launch(0, layout[0]!.checkout, layout[0]!.dataDir);
    await Promise.all(layout.slice(1).map((l, i) => launch(i + 1, l.checkout, l.dataDir)));

    const cluster: Cluster = {
      database,
      databaseUrl: database.url,
      fake,
      repo,
      nodes,
      env,
      webhookUrl: (i) => `${nodes[i]!.app.url}/webhooks/github`,
      sendFakeWebhooksTo(i) {
        webhook.url = cluster.webhookUrl(i);
      },
      async webhook(i, event, payload, delivery = crypto.randomUUID()) {
        const body = JSON.stringify(payload);
        return fetch(cluster.webhookUrl(i), {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/cluster-test",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": await sign(CLUSTER_SECRETS.webhook, body),
          },
          body,
        });
      },
      async stop(i, signal = "SIGTERM") {
        const { app } = nodes[i]!;
        if (signal === "SIGKILL") {
          app.kill("SIGKILL");
          await app.exited;
        } else await app.stop();
      },
      async start(i) {
        const { checkout, dataDir } = nodes[i]!;
        return launch(i, checkout, dataDir);
      },
      async query(sql, params = []) {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          return (await client.query(sql, params)).rows;
        } finally {
          await client.end();
        }
      },
      nodeOfLeaseOwner(owner) {
        // `<host>:<pid>:<random>:outbox` (app/modules/db/bus.server.ts instanceId)
        const pid = Number(owner.split(":")[1]);
        return nodes.find((n) => n?.app.pid === pid);
      },
      close: () => runCleanups(cleanups),
    };
    return cluster;
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function runCleanups(cleanups: (() => Promise<void> | void)[]): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // keep cleaning up
    }
  }
}
