/**
 * What instances share besides tables: named locks, wake-ups and turns. Two "instances" here are two
 * lock sets / buses over the same database (on PostgreSQL: separate sessions, as separate processes have).
 */
import { afterEach, expect, it } from "vitest";
import { describeDialects } from "../../../tests/support/databases";
import { createBus, type Bus, type BusMessage } from "./bus.server";
import { createLocks, LockTimeoutError } from "./locks.server";
import { claimTurn } from "./sequences.server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (const start = Date.now(); !check(); await sleep(10)) {
    if (Date.now() - start > ms) throw new Error("timed out");
  }
}

const buses: Bus[] = [];
afterEach(async () => {
  for (const b of buses.splice(0)) await b.close();
});

describeDialects("named locks", (t) => {
  it("withLock: holders of one name never overlap, whichever instance they are on; other names run alongside", async () => {
    const { data, dialect } = t();
    // SQLite is one instance: one lock set. PostgreSQL: two instances.
    const a = createLocks(data);
    const b = dialect === "postgres" ? createLocks(data) : a;
    const log: string[] = [];
    const hold = (locks: typeof a, who: string, name = "review-merge") =>
      locks.withLock(name, async () => {
        log.push(`${who} in`);
        await sleep(60);
        log.push(`${who} out`);
      });
    await Promise.all([hold(a, "a1"), hold(b, "b1"), hold(a, "a2"), hold(b, "b2")]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace(" in", " out"));
    expect(log).toHaveLength(8);

    const started = Date.now();
    await Promise.all([hold(a, "x", "review:1"), hold(b, "y", "review:2")]);
    expect(Date.now() - started).toBeLessThan(115);
  });

  it("tryLock: taken when free, refused while another instance holds it, free again after", async () => {
    const { data, dialect } = t();
    const a = createLocks(data);
    const b = dialect === "postgres" ? createLocks(data) : a;
    let release!: () => void;
    const held = a.withLock("poll-round", () => new Promise<void>((r) => (release = r)));
    await until(() => release !== undefined);
    await sleep(20);
    expect(await b.tryLock("poll-round", async () => "b")).toEqual({ acquired: false });
    release();
    await held;
    expect(await b.tryLock("poll-round", async () => "b")).toEqual({ acquired: true, value: "b" });
  });

  it("a lock still held after the timeout: a clear error, and the lock stays usable", async () => {
    const { data } = t();
    const a = createLocks(data);
    let release!: () => void;
    const held = a.withLock("slow", () => new Promise<void>((r) => (release = r)));
    await until(() => release !== undefined);
    const other = data.dialect === "postgres" ? createLocks(data) : undefined;
    if (other) {
      await expect(other.withLock("slow", async () => 1, { timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeoutError);
    }
    release();
    await held;
    expect(await (other ?? a).withLock("slow", async () => 2)).toBe(2);
  });
});

describeDialects("turns", (t) => {
  it("one claim per interval, whoever asks", async () => {
    const { data } = t();
    const now = 1_000_000;
    const claims = await Promise.all([claimTurn(data, "poll", now, 10_000), claimTurn(data, "poll", now, 10_000), claimTurn(data, "poll", now + 1, 10_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimTurn(data, "poll", now + 9_000, 10_000)).toBe(false);
    expect(await claimTurn(data, "poll", now + 10_001, 10_000)).toBe(true);
    expect(await claimTurn(data, "other", now, 10_000)).toBe(true);
  });
});

describeDialects("wake-ups between instances", (t) => {
  it("PostgreSQL: a message reaches the other instances at once, not its sender; SQLite: nothing to tell", async () => {
    const { data, dialect } = t();
    const one = createBus(data, { instance: "one" });
    const two = createBus(data, { instance: "two" });
    buses.push(one, two);
    await Promise.all([one.ready(), two.ready()]);
    const heard: Record<string, BusMessage[]> = { one: [], two: [] };
    one.subscribe("content", (m) => heard.one!.push(m));
    two.subscribe("content", (m) => heard.two!.push(m));
    const outbox: BusMessage[] = [];
    two.subscribe("outbox", (m) => outbox.push(m));
    await one.publish("content", { head: "abc123" });
    await one.publish("outbox");
    if (dialect === "sqlite") {
      await sleep(50);
      expect(heard).toEqual({ one: [], two: [] });
      return;
    }
    await until(() => heard.two!.length === 1 && outbox.length === 1);
    expect(heard.two).toEqual([{ from: "one", head: "abc123" }]);
    expect(outbox).toEqual([{ from: "one" }]);
    await sleep(50);
    expect(heard.one).toEqual([]);
  });

  it("PostgreSQL: a listener whose connection is cut reconnects, looks once (messages may have been lost), and hears again", async () => {
    const { data } = t();
    if (data.dialect !== "postgres") return;
    const quiet = { info() {}, warn() {} };
    const one = createBus(data, { instance: "one", log: quiet });
    const two = createBus(data, { instance: "two", reconnectDelaysMs: [300], log: quiet });
    buses.push(one, two);
    await Promise.all([one.ready(), two.ready()]);
    const heard: BusMessage[] = [];
    two.subscribe("outbox", (m) => heard.push(m));
    await data.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%listener' AND pid <> pg_backend_pid()",
    );
    // While its connection is down, the instance says so (/healthz "instances"), then listens again.
    await until(() => !two.status().listening);
    expect(two.status()).toMatchObject({ listening: false, since: expect.any(String), error: expect.stringMatching(/terminat|ended/) });
    await until(() => heard.some((m) => m.from === "reconnect"));
    expect(two.status()).toEqual({ listening: true });
    await one.publish("outbox");
    await until(() => heard.some((m) => m.from === "one"));
    expect(heard.map((m) => m.from)).toEqual(["reconnect", "one"]);
  });
});
