import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, openMemoryDatabase, type Database } from "~/modules/db/index.server";
import { backoffDelay, retryProposal, startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { createProposal, getProposal, listProposals } from "~/modules/contributions/service.server";
import { proposalRecords } from "~/modules/contributions/store.server";
import { ForgeError, RateLimitedError } from "~/modules/forge/errors";
import { createLocalDelivery, LOCAL_TEXTS } from "~/modules/forge/local/index.server";
import type { DeliverableProposal, Forge, ProgressStore } from "~/modules/forge/types";
import { answerForm, memoryLog, proposalContext, questionForm, tempDir } from "./helpers";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

type OutboxForge = Pick<Forge, "name" | "texts" | "deliver">;

/** The local forge's delivery, as the outbox uses it. */
function localForge(db: Database) {
  return { name: "local" as const, texts: LOCAL_TEXTS, ...createLocalDelivery({ records: proposalRecords(db) }) };
}

function outbox(db: Database, forge: OutboxForge, clock?: { t: number }, extra: Partial<Parameters<typeof startOutbox>[0]> = {}): Outbox {
  const o = startOutbox({
    db,
    forge,
    intervalMs: 60_000,
    log: memoryLog(),
    random: () => 0.5,
    ...(clock ? { now: () => clock.t } : {}),
    ...extra,
  });
  cleanups.push(() => o.stop());
  return o;
}

async function propose(db: Database, form: Record<string, unknown> = questionForm, extra = {}) {
  const r = await createProposal(form, proposalContext(db, extra));
  if (!r.ok) throw new Error(`proposal refused: ${JSON.stringify(r.fieldErrors)}`);
  return r.proposal;
}

/** A forge that records calls and fails the first `failures` of them with `error`. */
function flakyForge(failures: number, error: () => unknown) {
  const calls: { id: string; status: string | undefined }[] = [];
  let db: Database | undefined;
  const forge: OutboxForge & { calls: typeof calls; attach(d: Database): void; getState(): Promise<"open"> } = {
    name: "local",
    texts: LOCAL_TEXTS,
    calls,
    attach(d) {
      db = d;
    },
    async deliver(p: DeliverableProposal, progress: ProgressStore) {
      const row = db?.prepare("SELECT status FROM proposals WHERE id = ?").get(p.id) as { status: string } | undefined;
      calls.push({ id: p.id, status: row?.status });
      if (calls.length <= failures) throw error();
      progress.save({ prNumber: 7, prUrl: `/review/${p.id}`, branch: "b" });
      return { number: 7, url: `/review/${p.id}`, branch: "b" };
    },
    async getState() {
      return "open";
    },
  };
  return forge;
}

describe("proposals and the local forge", () => {
  it("stores the proposal (queued) before the forge is called, then delivers it exactly once", async () => {
    const db = openMemoryDatabase();
    const forge = flakyForge(0, () => undefined);
    forge.attach(db);
    const box = outbox(db, forge);
    const p = await propose(db, questionForm, { outbox: box });
    expect(p.status).toBe("queued");
    expect(p.files[0]!.path).toBe("content/questions/how-do-f-expressions-avoid-race-conditions/question.md");
    await box.drain();
    await box.drain();
    expect(forge.calls).toEqual([{ id: p.id, status: "queued" }]);
    expect(getProposal(db, p.id)!.proposal).toMatchObject({ status: "opened", prNumber: 7, attempts: 1 });
  });

  it("delivers in the background as soon as a proposal is stored (no drain)", async () => {
    const db = openMemoryDatabase();
    const box = outbox(db, localForge(db));
    const p = await propose(db, questionForm, { outbox: box });
    for (let i = 0; i < 100 && getProposal(db, p.id)!.proposal.status === "queued"; i++) await new Promise((r) => setTimeout(r, 10));
    expect(getProposal(db, p.id)!.proposal.status).toBe("opened");
  });

  it("puts proposals into the local review queue with numbers from a sequence", async () => {
    const db = openMemoryDatabase();
    const box = outbox(db, localForge(db));
    const a = await propose(db);
    const b = await propose(db, answerForm);
    await box.drain();
    const first = getProposal(db, a.id)!;
    const second = getProposal(db, b.id)!;
    expect(first.proposal).toMatchObject({ status: "opened", forge: "local", prNumber: 1, prUrl: `/review/${a.id}` });
    expect(first.proposal.branch).toMatch(/^contrib\/question\/how-do-f-expressions-avoid-race-conditions-[a-z0-9]{8}$/);
    expect(second.proposal).toMatchObject({ status: "opened", prNumber: 2, prUrl: `/review/${b.id}` });
    expect(second.proposal.branch).toMatch(/^contrib\/answer\/querysets-are-lazy-/);
    expect(first.events.map((e) => e.type)).toEqual(["created", "attempt", "queued-for-review", "opened"]);
    expect(listProposals(db, { status: "opened", forge: "local", order: "oldest" }).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(await localForge(db).getState({ number: 2, proposalId: b.id })).toBe("open");
  });

  it("refuses an invalid form without storing anything", async () => {
    const db = openMemoryDatabase();
    const r = await createProposal({ ...questionForm, title: "Short", tags: [] }, proposalContext(db));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors).sort()).toEqual(["tags", "title"]);
    const bad = await createProposal({ ...questionForm, body: "Compare <iframe src=x></iframe> and a view?" }, proposalContext(db));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.findings.map((f) => f.rule)).toContain("raw-html");
    expect(listProposals(db)).toEqual([]);
  });

  it("stores a double submission once (same form key, or same content)", async () => {
    const db = openMemoryDatabase();
    const key = "form-key-123456";
    const first = await createProposal({ ...questionForm, submissionKey: key }, proposalContext(db));
    const again = await createProposal({ ...questionForm, submissionKey: key }, proposalContext(db));
    const same = await createProposal({ ...questionForm }, proposalContext(db));
    expect(first.ok && again.ok && same.ok).toBe(true);
    if (first.ok && again.ok && same.ok) {
      expect(again).toMatchObject({ duplicate: true, proposal: { id: first.proposal.id } });
      expect(same).toMatchObject({ duplicate: true, proposal: { id: first.proposal.id } });
    }
    expect(listProposals(db)).toHaveLength(1);
  });

  it("renders the pull request title and body when the proposal is stored", async () => {
    const db = openMemoryDatabase();
    const p = await propose(db);
    expect(p.prTitle).toBe("Question: \u2068How do F expressions avoid race conditions?\u2069");
    expect(p.prBody).toContain("By \u2068Ann Example\u2069 (@ann-example)");
    expect(p.prBody).toContain(`https://questions.example.org/contributions/${p.id}`);
    expect(p.prBody).toContain(`<!-- django-questions:proposal {"id":"${p.id}","kind":"question"} -->`);
    expect(p.fields).toMatchObject({ number: 3, title: questionForm.title, tags: ["orm", "models"] });
    expect(p.fields).not.toHaveProperty("website");
    expect(p.fields).not.toHaveProperty("licence");
  });
});

describe("restarts", () => {
  it("delivers proposals stored before a restart", async () => {
    const dir = tempDir();
    const db1 = openDatabase(dir);
    const p = await propose(db1); // no outbox running: the server stops right after storing
    db1.close();

    const db2 = openDatabase(dir);
    cleanups.push(() => db2.close());
    const box = outbox(db2, localForge(db2));
    await box.drain();
    expect(getProposal(db2, p.id)!.proposal).toMatchObject({ status: "opened", prNumber: 1, attempts: 1 });
  });

  it("retries an attempt left in flight by a crash, once", async () => {
    const dir = tempDir();
    const db1 = openDatabase(dir);
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    const hanging: OutboxForge & { getState(): Promise<"open"> } = {
      name: "local",
      texts: LOCAL_TEXTS,
      deliver: () => {
        entered();
        return new Promise(() => undefined); // the process dies during the call
      },
      getState: async () => "open",
    };
    const crashed = startOutbox({ db: db1, forge: hanging, intervalMs: 60_000, log: memoryLog() });
    const p = await propose(db1, questionForm, { outbox: crashed });
    await started;
    expect(getProposal(db1, p.id)!.proposal).toMatchObject({ status: "queued", inFlight: true, attempts: 1 });
    // No stop(): the "crashed" outbox never finishes. A new process opens the same database.
    const db2 = openDatabase(dir);
    cleanups.push(() => db2.close());
    const box = outbox(db2, localForge(db2));
    await box.drain();
    const after = getProposal(db2, p.id)!;
    expect(after.proposal).toMatchObject({ status: "opened", prNumber: 1, attempts: 2, inFlight: false });
    expect(after.events.map((e) => e.type)).toEqual(["created", "attempt", "recovered", "attempt", "queued-for-review", "opened"]);
    db1.close();
  });
});

describe("retries", () => {
  it("retries transient failures with exponential backoff and jitter", async () => {
    const db = openMemoryDatabase();
    const clock = { t: Date.parse("2026-12-01T10:00:00Z") };
    const forge = flakyForge(3, () => new ForgeError("transient", "GitHub error 502 while creating the tree: Bad Gateway"));
    const box = outbox(db, forge, clock, { baseDelayMs: 30_000 });
    const p = await propose(db, questionForm, { now: () => new Date(clock.t) });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = clock.t;
      await box.drain();
      const row = getProposal(db, p.id)!.proposal;
      expect(row.status).toBe("queued");
      const due = Date.parse(row.nextAttemptAt!);
      delays.push(due - before);
      // Not attempted again before it is due.
      clock.t = due - 1;
      await box.drain();
      expect(forge.calls).toHaveLength(i + 1);
      clock.t = due;
    }
    // random() = 0.5 → three quarters of 30 s, 60 s, 120 s.
    expect(delays).toEqual([22_500, 45_000, 90_000]);
    await box.drain();
    const done = getProposal(db, p.id)!;
    expect(done.proposal).toMatchObject({ status: "opened", attempts: 4, lastError: null });
    expect(done.events.filter((e) => e.type === "retry-scheduled")).toHaveLength(3);
    expect(done.events.find((e) => e.type === "retry-scheduled")!.detail).toMatch(/502.*retrying in 23 s/);
  });

  it("caps the backoff at one hour and keeps the jitter within it", () => {
    expect(backoffDelay(1, 0)).toBe(15_000);
    expect(backoffDelay(1, 1)).toBe(30_000);
    expect(backoffDelay(8, 1)).toBe(3_600_000);
    expect(backoffDelay(30, 0)).toBe(1_800_000);
    expect(backoffDelay(30, 0.999)).toBeLessThanOrEqual(3_600_000);
  });

  it("classifies plain HTTP and network errors: 503 and timeouts retry, 401 fails", async () => {
    const db = openMemoryDatabase();
    const clock = { t: 1_000_000 };
    const errors = [Object.assign(new Error("Service Unavailable"), { status: 503 }), new TypeError("fetch failed")];
    const forge = flakyForge(2, () => errors.shift());
    const box = outbox(db, forge, clock);
    const p = await propose(db);
    await box.drain();
    clock.t += 3_600_000;
    await box.drain();
    clock.t += 3_600_000;
    await box.drain();
    expect(getProposal(db, p.id)!.proposal.status).toBe("opened");

    const db2 = openMemoryDatabase();
    const denied = flakyForge(1, () => Object.assign(new Error("Bad credentials"), { status: 401 }));
    const box2 = outbox(db2, denied);
    const q = await propose(db2);
    await box2.drain();
    expect(getProposal(db2, q.id)!.proposal).toMatchObject({ status: "failed", lastError: "Rejected (401): Bad credentials" });
  });

  it("waits for the rate limit reset before trying again", async () => {
    const db = openMemoryDatabase();
    const clock = { t: Date.parse("2026-12-01T10:00:00Z") };
    const reset = clock.t + 20 * 60_000;
    const forge = flakyForge(1, () => new RateLimitedError("GitHub rate limit reached while opening the pull request", reset));
    const box = outbox(db, forge, clock);
    const p = await propose(db);
    await box.drain();
    const waiting = getProposal(db, p.id)!;
    expect(waiting.proposal.status).toBe("queued");
    const due = Date.parse(waiting.proposal.nextAttemptAt!);
    expect(due).toBeGreaterThanOrEqual(reset);
    expect(due).toBeLessThanOrEqual(reset + 1000);
    expect(waiting.events.at(-1)!.type).toBe("rate-limited");
    clock.t = reset - 1;
    await box.drain();
    expect(forge.calls).toHaveLength(1);
    clock.t = due;
    await box.drain();
    expect(getProposal(db, p.id)!.proposal.status).toBe("opened");
  });

  it("marks configuration errors failed with the reason, and delivers after retryProposal", async () => {
    const db = openMemoryDatabase();
    const log = memoryLog();
    const reason = "GitHub rejected the token (401 Bad credentials) while creating the tree: check GITHUB_TOKEN, then retry the proposal.";
    const forge = flakyForge(1, () => new ForgeError("config", reason, { status: 401 }));
    const box = outbox(db, forge, undefined, { log });
    const p = await propose(db);
    await box.drain();
    expect(getProposal(db, p.id)!.proposal).toMatchObject({ status: "failed", lastError: reason });
    expect(log.lines.some((l) => l.startsWith("error") && l.includes("GITHUB_TOKEN"))).toBe(true);
    // Failed proposals stay failed: the outbox does not hammer a broken configuration.
    await box.drain();
    expect(forge.calls).toHaveLength(1);
    expect(retryProposal(db, p.id, box)).toBe(true);
    await box.drain();
    const done = getProposal(db, p.id)!;
    expect(done.proposal.status).toBe("opened");
    expect(done.events.map((e) => e.type)).toEqual(["created", "attempt", "failed", "retry-requested", "attempt", "opened"]);
    expect(retryProposal(db, p.id, box)).toBe(false);
  });

  it("gives up after maxAttempts transient failures, keeping the files", async () => {
    const db = openMemoryDatabase();
    const clock = { t: 0 };
    const forge = flakyForge(100, () => new ForgeError("transient", "GitHub error 500 while opening the pull request"));
    const box = outbox(db, forge, clock, { maxAttempts: 3 });
    const p = await propose(db);
    for (let i = 0; i < 5; i++) {
      await box.drain();
      clock.t += 3_600_000;
    }
    const failed = getProposal(db, p.id)!.proposal;
    expect(forge.calls).toHaveLength(3);
    expect(failed).toMatchObject({ status: "failed", files: p.files });
    expect(failed.lastError).toMatch(/^Gave up after 3 attempts/);
  });
});
