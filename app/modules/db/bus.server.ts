/**
 * Wake-ups between instances: PostgreSQL's LISTEN/NOTIFY.
 *
 *   bus.publish("outbox")                     a proposal was stored or put back in the queue
 *   bus.publish("content", { head })          this instance's content checkout moved (sync, local merge)
 *   bus.subscribe("content", (message) => …)  another instance said so
 *
 * A message is a hint, never the data: the receiver reads the database or
 * fetches the content remote itself, so a lost or repeated message costs at
 * most one extra look (the outbox's timer and the poller still run). A
 * handler only hears other instances (each message carries its sender's id).
 *
 * PostgreSQL: one connection of its own (outside the pool) LISTENs; when it
 * drops, it reconnects with a growing delay, and every handler is called once
 * after a reconnect (messages may have been missed meanwhile). NOTIFY goes
 * through the pool. SQLite (one instance): publishing does nothing.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type pg from "pg";
import type { DataLayer, PostgresDataLayer } from "./data.server";

export type BusTopic = "outbox" | "content";

const CHANNELS: Record<BusTopic, string> = { outbox: "dq_outbox", content: "dq_content" };

export interface BusMessage {
  /** The sending instance's id; `reconnect` for the call after the listener reconnected. */
  from: string;
  /** The content checkout's HEAD (content messages). */
  head?: string;
}

export interface Bus {
  /** This instance's id (host, process id and a random part). */
  readonly instance: string;
  /** Tells the other instances; never rejects (a failure is logged: the timers catch up). */
  publish(topic: BusTopic, message?: Omit<BusMessage, "from">): Promise<void>;
  /** Calls `handler` for each message of another instance; returns the unsubscribe function. */
  subscribe(topic: BusTopic, handler: (message: BusMessage) => void): () => void;
  /** Resolves once listening (PostgreSQL), so a message sent after it is heard. */
  ready(): Promise<void>;
  /**
   * Whether this instance hears the others now (for /healthz): `listening: false` with the
   * error and since when while its LISTEN connection is down (it reconnects on its own; the
   * content poll catches up meanwhile). Always listening with SQLite (one instance).
   */
  status(): BusStatus;
  close(): Promise<void>;
}

export interface BusStatus {
  listening: boolean;
  /** While not listening: since when (ISO) and the last error. */
  since?: string;
  error?: string;
}

export interface BusLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export function instanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function parse(payload: string | undefined): BusMessage | undefined {
  try {
    const value = JSON.parse(payload ?? "") as unknown;
    if (value && typeof value === "object" && typeof (value as BusMessage).from === "string") return value as BusMessage;
  } catch {
    // not ours
  }
  return undefined;
}

export function createBus(data: DataLayer, options: { log?: BusLog; instance?: string; reconnectDelaysMs?: readonly number[] } = {}): Bus {
  const instance = options.instance ?? instanceId();
  const log = options.log ?? { info() {}, warn: (m: string) => console.warn(`[bus] ${m}`) };
  const handlers = new Map<BusTopic, Set<(message: BusMessage) => void>>(Object.keys(CHANNELS).map((t) => [t as BusTopic, new Set()]));

  function dispatch(topic: BusTopic, message: BusMessage): void {
    if (message.from === instance) return;
    for (const handler of handlers.get(topic) ?? []) {
      try {
        handler(message);
      } catch (error) {
        log.warn(`a ${topic} message handler failed: ${(error as Error).message}`);
      }
    }
  }

  const subscribe: Bus["subscribe"] = (topic, handler) => {
    handlers.get(topic)!.add(handler);
    return () => void handlers.get(topic)!.delete(handler);
  };

  if (data.dialect === "sqlite") {
    return {
      instance,
      async publish() {},
      subscribe,
      ready: async () => undefined,
      status: () => ({ listening: true }),
      close: async () => undefined,
    };
  }

  const postgres: PostgresDataLayer = data;
  const delays = options.reconnectDelaysMs ?? [250, 1000, 2000, 5000, 10_000, 30_000];
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  /** Since when and why this instance does not listen (undefined while it does). */
  let down: { since: string; error: string } | undefined = { since: new Date().toISOString(), error: "not connected yet" };
  let resolveReady!: () => void;
  const firstListen = new Promise<void>((resolve) => (resolveReady = resolve));

  async function listen(): Promise<void> {
    if (closed) return;
    let opened: pg.Client | undefined;
    try {
      const c = await postgres.connect();
      opened = c;
      c.on("notification", (n) => {
        const topic = (Object.keys(CHANNELS) as BusTopic[]).find((t) => CHANNELS[t] === n.channel);
        const message = parse(n.payload);
        if (topic && message) dispatch(topic, message);
      });
      c.on("error", (error) => lost(c, error));
      c.on("end", () => lost(c, new Error("the connection ended")));
      for (const channel of Object.values(CHANNELS)) await c.query(`LISTEN ${channel}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      down = undefined;
      const reconnected = failures > 0;
      failures = 0;
      resolveReady();
      if (reconnected) {
        log.info("listening for other instances again");
        // Messages may have been missed while the connection was down: every handler looks once.
        for (const topic of Object.keys(CHANNELS) as BusTopic[]) dispatch(topic, { from: "reconnect" });
      }
    } catch (error) {
      await opened?.end().catch(() => undefined);
      schedule(error);
    }
  }

  function lost(c: pg.Client, error: Error): void {
    if (client !== c) return;
    client = undefined;
    c.removeAllListeners("end");
    void c.end().catch(() => undefined);
    if (!closed) schedule(error);
  }

  function schedule(error: unknown): void {
    if (closed) return;
    down = { since: down?.since ?? new Date().toISOString(), error: (error as Error).message };
    const delay = delays[Math.min(failures, delays.length - 1)]!;
    failures++;
    if (failures === 1 || failures % 10 === 0) {
      log.warn(`not listening for other instances (${(error as Error).message}); trying again in ${delay} ms`);
    }
    retry = setTimeout(() => void listen(), delay);
    retry.unref();
  }

  void listen();

  return {
    instance,
    async publish(topic, message = {}) {
      try {
        await postgres.pool.query("SELECT pg_notify($1, $2)", [CHANNELS[topic], JSON.stringify({ ...message, from: instance })]);
      } catch (error) {
        log.warn(`could not tell the other instances (${topic}): ${(error as Error).message}`);
      }
    },
    subscribe,
    ready: () => firstListen,
    status: () => (down ? { listening: false, ...down } : { listening: true }),
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      resolveReady();
      if (c) {
        c.removeAllListeners("end");
        await c.end().catch(() => undefined);
      }
    },
  };
}
