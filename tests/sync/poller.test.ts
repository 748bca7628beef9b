import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { getEvents, getProposalRecord, insertProposal, markOpened, type ProposalData } from "~/modules/contributions/store.server";
import { ForgeError } from "~/modules/forge/errors";
import type { ChangeRef, ChangeState, Forge } from "~/modules/forge/types";
import type { GitSyncResult } from "~/modules/sync/git.server";
import type { SyncLog } from "~/modules/sync/log";
import { startPoller, type Poller } from "~/modules/sync/poller.server";
import { describeDialects } from "../support/databases";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const quiet: SyncLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

let data: ProposalData;
let poller: Poller | undefined;

async function addProposal(id: string, prNumber: number | null, forge: "github" | "local" = "github") {
  await insertProposal(
    data,
    {
      id,
      kind: "answer",
      target: "what-is-a-webhook",
      slug: "what-is-a-webhook",
      title: "What is a webhook?",
      fields: {},
      files: [],
      contributor: { name: "Jane Doe" },
      prTitle: "Answer: What is a webhook?",
      prBody: "",
      fingerprint: `fp-${id}`,
      createdAt: new Date(NOW - 86_400_000).toISOString(),
    },
    "Proposal received.",
  );
  await data.db.updateTable("proposals").set({ forge }).where("id", "=", id).execute();
  if (prNumber !== null) await markOpened(data, id, { number: prNumber, url: `https://github.com/o/r/pull/${prNumber}`, branch: `b-${id}` }, NOW - 80_000_000);
}

function fakeForge(states: Record<number, ChangeState | Error>, name: "github" | "local" = "github") {
  const getState = vi.fn(async (ref: ChangeRef): Promise<ChangeState> => {
    const s = states[ref.number];
    if (s === undefined) throw new Error(`unknown #${ref.number}`);
    if (s instanceof Error) throw s;
    return s;
  });
  const forge: Pick<Forge, "name" | "remote" | "getState"> = { name, remote: name === "github", getState };
  return { forge, getState };
}

function fakeSync() {
  const result: GitSyncResult = { updated: false, from: "a", to: "a", changed: [], reason: "poll", at: new Date(NOW).toISOString() };
  return { sync: vi.fn(async (_reason?: string) => result) };
}

describeDialects("the poller", (t) => {
  beforeEach(() => {
    data = t().data;
  });
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });
  it("runs the git sync and brings proposals under review up to date with GitHub", async () => {
    await addProposal("merged-one", 21);
    await addProposal("closed-one", 22);
    await addProposal("still-open", 23);
    await addProposal("not-delivered", null);
    const { forge, getState } = fakeForge({ 21: "merged", 22: "closed", 23: "open" });
    const sync = fakeSync();
    poller = startPoller({ intervalSeconds: 0, sync, data, forge, log: quiet, now: () => NOW });

    const round = await poller.poll();

    expect(sync.sync).toHaveBeenCalledWith("poll");
    expect(getState).toHaveBeenCalledTimes(3);
    expect(getState).toHaveBeenCalledWith({ number: 21, proposalId: "merged-one" });
    expect(round.checked).toBe(3);
    expect(round.updates.map((u) => [u.proposalId, u.status]).sort()).toEqual([
      ["closed-one", "closed"],
      ["merged-one", "merged"],
    ]);
    expect((await getProposalRecord(data, "merged-one"))?.status).toBe("merged");
    expect((await getEvents(data, "merged-one")).at(-1)).toMatchObject({ type: "merged", at: new Date(NOW).toISOString() });
    expect((await getProposalRecord(data, "closed-one"))?.status).toBe("closed");
    expect((await getProposalRecord(data, "still-open"))?.status).toBe("opened");
    expect((await getProposalRecord(data, "not-delivered"))?.status).toBe("queued");

    // Settled proposals are not asked about again.
    await poller.poll();
    expect(getState).toHaveBeenCalledTimes(4);
  });

  it("leaves proposals alone when they go to the local review queue", async () => {
    await addProposal("local-one", 1, "local");
    const { forge, getState } = fakeForge({ 1: "merged" }, "local");
    poller = startPoller({ intervalSeconds: 0, sync: fakeSync(), data, forge, log: quiet });
    const round = await poller.poll();
    expect(getState).not.toHaveBeenCalled();
    expect(round.checked).toBe(0);
    expect((await getProposalRecord(data, "local-one"))?.status).toBe("opened");
  });

  it("keeps going past a failing pull request, and stops the round when GitHub refuses access", async () => {
    await addProposal("a", 31);
    await addProposal("b", 32);
    await addProposal("c", 33);
    const broken = fakeForge({ 31: new Error("socket hang up"), 32: "merged", 33: "merged" });
    poller = startPoller({ intervalSeconds: 0, data, forge: broken.forge, log: quiet });
    const round = await poller.poll();
    expect(round.errors).toBe(1);
    expect(round.updates.map((u) => u.proposalId).sort()).toEqual(["b", "c"]);

    await addProposal("d", 34);
    await addProposal("e", 35);
    const refused = fakeForge({ 31: new ForgeError("config", "Bad credentials", { status: 401 }), 34: "merged", 35: "merged" });
    const second = startPoller({ intervalSeconds: 0, data, forge: refused.forge, log: quiet });
    const r2 = await second.poll();
    expect(refused.getState).toHaveBeenCalledTimes(1);
    expect(r2.errors).toBe(1);
    expect((await getProposalRecord(data, "d"))?.status).toBe("opened");
  });

  it("is off with an interval of 0, and otherwise polls on its own until stopped", async () => {
    const off = fakeSync();
    const disabled = startPoller({ intervalSeconds: 0, sync: off, data, log: quiet });
    expect(disabled.enabled).toBe(false);

    const sync = fakeSync();
    poller = startPoller({ intervalSeconds: 0.03, sync, data, log: quiet });
    expect(poller.enabled).toBe(true);
    await vi.waitFor(() => expect(sync.sync.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 3000, interval: 10 });
    await poller.stop();
    const calls = sync.sync.mock.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(sync.sync.mock.calls.length).toBe(calls);
    expect(off.sync).not.toHaveBeenCalled();
    await disabled.stop();
  });

  it("never runs two rounds at once", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sync = {
      sync: vi.fn(async (): Promise<GitSyncResult> => {
        await gate;
        return { updated: false, from: null, to: null, changed: [], reason: "poll", at: "" };
      }),
    };
    poller = startPoller({ intervalSeconds: 0, sync, data, log: quiet });
    const a = poller.poll();
    const b = poller.poll();
    expect(a).toBe(b);
    release();
    await a;
    expect(sync.sync).toHaveBeenCalledTimes(1);
  });
});
