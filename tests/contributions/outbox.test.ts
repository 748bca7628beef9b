import { afterEach, describe, expect, it } from "vitest";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openDatabase } from "~/modules/db/index.server";
import { backoffDelay, retryProposal, startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { createProposal, getProposal, listProposals, type ProposalData } from "~/modules/contributions/service.server";
import { getProposalRecord, proposalRecords } from "~/modules/contributions/store.server";
import { describeDialects, type TestDatabases } from "../support/databases";
import { ForgeError, RateLimitedError } from "~/modules/forge/errors";
import { createLocalDelivery, LOCAL_TEXTS } from "~/modules/forge/local/index.server";
import type { DeliverableProposal, Forge, ProgressStore } from "~/modules/forge/types";
import { answerForm, memoryLog, proposalContext, questionForm, tempDir } from "./helpers";

const cleanups: (() => unknown)[] = [];
async function cleanUp() {
  for (const f of cleanups.splice(0).reverse()) await f();
}
afterEach(cleanUp);

type OutboxForge = Pick<Forge, "name" | "texts" | "deliver">;

/** The local forge's delivery, as the outbox uses it. */
function localForge(data: ProposalData) {
  return { name: "local" as const, texts: LOCAL_TEXTS, ...createLocalDelivery({ records: proposalRecords(data) }) };
}

function outbox(data: ProposalData, forge: OutboxForge, clock?: { t: number }, extra: Partial<Parameters<typeof startOutbox>[0]> = {}): Outbox {
  const o = startOutbox({
    data,
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

async function propose(data: ProposalData, form: Record<string, unknown> = questionForm, extra = {}) {
  const r = await createProposal(form, proposalContext(data, extra));
  if (!r.ok) throw new Error(`proposal refused: ${JSON.stringify(r.fieldErrors)}`);
  return r.proposal;
}

/** A forge that records calls and fails the first `failures` of them with `error`. */
function flakyForge(failures: number, error: () => unknown) {
  const calls: { id: string; status: string | undefined }[] = [];
  let data: ProposalData | undefined;
  const forge: OutboxForge & { calls: typeof calls; attach(d: ProposalData): void; getState(): Promise<"open"> } = {
    name: "local",
    texts: LOCAL_TEXTS,
    calls,
    attach(d) {
      data = d;
    },
    async deliver(p: DeliverableProposal, progress: ProgressStore) {
      const row = data ? await getProposalRecord(data, p.id) : undefined;
      calls.push({ id: p.id, status: row?.status });
      if (calls.length <= failures) throw error();
      await progress.save({ prNumber: 7, prUrl: `/review/${p.id}`, branch: "b" });
      return { number: 7, url: `/review/${p.id}`, branch: "b" };
    },
    async getState() {
      return "open";
    },
  };
  return forge;
}

describeDialects("proposals and the local forge", (t) => {
  afterEach(cleanUp); // before the database closes
  it("stores the proposal (queued) before the forge is called, then delivers it exactly once", async () => {
    const { data } = t();
    const forge = flakyForge(0, () => undefined);
    forge.attach(data);
    const box = outbox(data, forge);
    const p = await propose(data, questionForm, { outbox: box });
    expect(p.status).toBe("queued");
    expect(p.files[0]!.path).toBe("content/questions/how-do-f-expressions-avoid-race-conditions/question.md");
    await box.drain();
    await box.drain();
    expect(forge.calls).toEqual([{ id: p.id, status: "queued" }]);
    expect((await getProposal(data, p.id))!.proposal).toMatchObject({ status: "opened", prNumber: 7, attempts: 1 });
  });

  it("delivers in the background as soon as a proposal is stored (no drain)", async () => {
    const { data } = t();
    const box = outbox(data, localForge(data));
    const p = await propose(data, questionForm, { outbox: box });
    for (let i = 0; i < 100 && (await getProposal(data, p.id))!.proposal.status === "queued"; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await getProposal(data, p.id))!.proposal.status).toBe("opened");
  });

  it("puts proposals into the local review queue with numbers from a sequence", async () => {
    const { data } = t();
    const box = outbox(data, localForge(data));
    const a = await propose(data);
    const b = await propose(data, answerForm);
    await box.drain();
    const first = (await getProposal(data, a.id))!;
    const second = (await getProposal(data, b.id))!;
    expect(first.proposal).toMatchObject({ status: "opened", forge: "local", prNumber: 1, prUrl: `/review/${a.id}` });
    expect(first.proposal.branch).toMatch(/^contrib\/question\/how-do-f-expressions-avoid-race-conditions-[a-z0-9]{8}$/);
    expect(second.proposal).toMatchObject({ status: "opened", prNumber: 2, prUrl: `/review/${b.id}` });
    expect(second.proposal.branch).toMatch(/^contrib\/answer\/querysets-are-lazy-/);
    expect(first.events.map((e) => e.type)).toEqual(["created", "attempt", "queued-for-review", "opened"]);
    expect((await listProposals(data, { status: "opened", forge: "local", order: "oldest" })).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(await localForge(data).getState({ number: 2, proposalId: b.id })).toBe("open");
  });

  it("refuses an invalid form without storing anything", async () => {
    const { data } = t();
    const r = await createProposal({ ...questionForm, title: "Short", tags: [] }, proposalContext(data));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors).sort()).toEqual(["tags", "title"]);
    const bad = await createProposal({ ...questionForm, body: "Compare <iframe src=x></iframe> and a view?" }, proposalContext(data));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.findings.map((f) => f.rule)).toContain("raw-html");
    expect(await listProposals(data)).toEqual([]);
  });

  it("stores a double submission once (same form key, or same content)", async () => {
    const { data } = t();
    const key = "form-key-123456";
    const first = await createProposal({ ...questionForm, submissionKey: key }, proposalContext(data));
    const again = await createProposal({ ...questionForm, submissionKey: key }, proposalContext(data));
    const same = await createProposal({ ...questionForm }, proposalContext(data));
    expect(first.ok && again.ok && same.ok).toBe(true);
    if (first.ok && again.ok && same.ok) {
      expect(again).toMatchObject({ duplicate: true, proposal: { id: first.proposal.id } });
      expect(same).toMatchObject({ duplicate: true, proposal: { id: first.proposal.id } });
    }
    expect(await listProposals(data)).toHaveLength(1);
  });

  it("renders the pull request title and body when the proposal is stored", async () => {
    const { data } = t();
    const p = await propose(data);
    expect(p.prTitle).toBe("Question: \u2068How do F expressions avoid race conditions?\u2069");
    expect(p.prBody).toContain("By \u2068Ann Example\u2069 (@ann-example)");
    expect(p.prBody).toContain(`https://questions.example.org/contributions/${p.id}`);
    expect(p.prBody).toContain(`<!-- django-questions:proposal {"id":"${p.id}","kind":"question"} -->`);
    expect(p.fields).toMatchObject({ number: 3, title: questionForm.title, tags: ["orm", "models"] });
    expect(p.fields).not.toHaveProperty("website");
    expect(p.fields).not.toHaveProperty("licence");
  });
});

/**
 * Two handles on the same database, as two processes have them one after the other (or side by side):
 * SQLite: the same file opened twice; PostgreSQL: the suite's database.
 */
function twoProcesses(t: () => TestDatabases): [ProposalData, ProposalData] {
  const { dialect, data } = t();
  if (dialect === "postgres") return [data, data];
  const dir = tempDir();
  const db1 = openDatabase(dir);
  const db2 = openDatabase(dir);
  cleanups.push(() => db1.close(), () => db2.close());
  return [sqliteDataLayer(db1), sqliteDataLayer(db2)];
}

describeDialects("restarts", (t) => {
  afterEach(cleanUp); // before the database closes
  it("delivers proposals stored before a restart", async () => {
    const [first, second] = twoProcesses(t);
    const p = await propose(first); // no outbox running: the server stops right after storing
    const box = outbox(second, localForge(second));
    await box.drain();
    expect((await getProposal(second, p.id))!.proposal).toMatchObject({ status: "opened", prNumber: 1, attempts: 1 });
  });

  it("retries an attempt left in flight by a crash, once: at start on SQLite (one instance), once its lease lapses on PostgreSQL", async () => {
    const { dialect } = t();
    const [first, second] = twoProcesses(t);
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
    // The "crashed" process's clock stands still: its renewals never extend the lease past `frozen + 1 s`.
    const frozen = Date.now();
    const crashed = startOutbox({ data: first, forge: hanging, intervalMs: 60_000, log: memoryLog(), leaseMs: 1000, now: () => frozen });
    const p = await propose(first, questionForm, { outbox: crashed });
    await started;
    expect((await getProposal(first, p.id))!.proposal).toMatchObject({ status: "queued", inFlight: true, attempts: 1 });
    // No stop(): the "crashed" outbox never finishes. A new process opens the same database.
    const clock = { t: frozen + 100 };
    const box = outbox(second, localForge(second), clock);
    await box.drain();
    if (dialect === "postgres") {
      // A lease still running may be a live sibling's: it is left alone until it lapses.
      expect((await getProposal(second, p.id))!.proposal).toMatchObject({ status: "queued", inFlight: true, attempts: 1 });
      clock.t = frozen + 1001;
      await box.drain();
    }
    const after = (await getProposal(second, p.id))!;
    expect(after.proposal).toMatchObject({ status: "opened", prNumber: 1, attempts: 2, inFlight: false });
    expect(after.events.map((e) => e.type)).toEqual(
      dialect === "sqlite"
        ? ["created", "attempt", "recovered", "attempt", "queued-for-review", "opened"]
        : ["created", "attempt", "attempt", "queued-for-review", "opened"],
    );
  });
});

describeDialects("retries", (t) => {
  afterEach(cleanUp); // before the database closes
  it("retries transient failures with exponential backoff and jitter", async () => {
    const { data } = t();
    const clock = { t: Date.parse("2026-12-01T10:00:00Z") };
    const forge = flakyForge(3, () => new ForgeError("transient", "GitHub error 502 while creating the tree: Bad Gateway"));
    const box = outbox(data, forge, clock, { baseDelayMs: 30_000 });
    const p = await propose(data, questionForm, { now: () => new Date(clock.t) });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = clock.t;
      await box.drain();
      const row = (await getProposal(data, p.id))!.proposal;
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
    const done = (await getProposal(data, p.id))!;
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
    const { data } = t();
    const clock = { t: 1_000_000 };
    const errors = [Object.assign(new Error("Service Unavailable"), { status: 503 }), new TypeError("fetch failed")];
    const forge = flakyForge(2, () => errors.shift());
    const box = outbox(data, forge, clock);
    const p = await propose(data);
    await box.drain();
    clock.t += 3_600_000;
    await box.drain();
    clock.t += 3_600_000;
    await box.drain();
    expect((await getProposal(data, p.id))!.proposal.status).toBe("opened");

    await box.stop();
    const denied = flakyForge(1, () => Object.assign(new Error("Bad credentials"), { status: 401 }));
    const box2 = outbox(data, denied);
    const q = await propose(data, answerForm);
    await box2.drain();
    expect((await getProposal(data, q.id))!.proposal).toMatchObject({ status: "failed", lastError: "Rejected (401): Bad credentials" });
  });

  it("waits for the rate limit reset before trying again", async () => {
    const { data } = t();
    const clock = { t: Date.parse("2026-12-01T10:00:00Z") };
    const reset = clock.t + 20 * 60_000;
    const forge = flakyForge(1, () => new RateLimitedError("GitHub rate limit reached while opening the pull request", reset));
    const box = outbox(data, forge, clock);
    const p = await propose(data);
    await box.drain();
    const waiting = (await getProposal(data, p.id))!;
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
    expect((await getProposal(data, p.id))!.proposal.status).toBe("opened");
  });

  it("marks configuration errors failed with the reason, and delivers after retryProposal", async () => {
    const { data } = t();
    const log = memoryLog();
    const reason = "GitHub rejected the token (401 Bad credentials) while creating the tree: check GITHUB_TOKEN, then retry the proposal.";
    const forge = flakyForge(1, () => new ForgeError("config", reason, { status: 401 }));
    const box = outbox(data, forge, undefined, { log });
    const p = await propose(data);
    await box.drain();
    expect((await getProposal(data, p.id))!.proposal).toMatchObject({ status: "failed", lastError: reason });
    expect(log.lines.some((l) => l.startsWith("error") && l.includes("GITHUB_TOKEN"))).toBe(true);
    // Failed proposals stay failed: the outbox does not hammer a broken configuration.
    await box.drain();
    expect(forge.calls).toHaveLength(1);
    expect(await retryProposal(data, p.id, box)).toBe(true);
    await box.drain();
    const done = (await getProposal(data, p.id))!;
    expect(done.proposal.status).toBe("opened");
    expect(done.events.map((e) => e.type)).toEqual(["created", "attempt", "failed", "retry-requested", "attempt", "opened"]);
    expect(await retryProposal(data, p.id, box)).toBe(false);
  });

  it("gives up after maxAttempts transient failures, keeping the files", async () => {
    const { data } = t();
    const clock = { t: 0 };
    const forge = flakyForge(100, () => new ForgeError("transient", "GitHub error 500 while opening the pull request"));
    const box = outbox(data, forge, clock, { maxAttempts: 3 });
    const p = await propose(data);
    for (let i = 0; i < 5; i++) {
      await box.drain();
      clock.t += 3_600_000;
    }
    const failed = (await getProposal(data, p.id))!.proposal;
    expect(forge.calls).toHaveLength(3);
    expect(failed).toMatchObject({ status: "failed", files: p.files });
    expect(failed.lastError).toMatch(/^Gave up after 3 attempts/);
  });
});
