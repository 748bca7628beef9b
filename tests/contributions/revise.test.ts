/**
 * Revise after review and hear back, through the stores on both dialects: the
 * proposal store's status changes queue the contributor's mail in their own
 * transaction (one hook), the local forge's queue takes a revision as the same
 * item, every version is kept, and what cannot be revised is refused.
 * Mail goes to a real SMTP server on loopback.
 */
import { afterEach, expect, it } from "vitest";
import { onProposalStatusChange } from "~/modules/contributions/events.server";
import { startOutbox, type Outbox } from "~/modules/contributions/outbox.server";
import { createProposalVersions, createReviseAccess, reviseProposal, RevisionRefused } from "~/modules/contributions/revise.server";
import { reviseUrl } from "~/modules/contributions/revise-web.server";
import { createProposal, getProposal } from "~/modules/contributions/service.server";
import { proposalRecords, setReviewStatus } from "~/modules/contributions/store.server";
import { createLocalForge } from "~/modules/forge/local/index.server";
import { createNotifications, createSmtpMailer, type Notifications } from "~/modules/notifications/index.server";
import { describeDialects } from "../support/databases";
import { reviseContext } from "../support/revise";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { memoryLog, proposalContext, questionForm, tempDir } from "./helpers";

const SITE = "https://questions.example.org";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describeDialects("revise after review, and hear back", (t) => {
  async function setup(options: { outbox?: boolean } = {}) {
    const { data } = t();
    const smtp: TestSmtpServer = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const access = createReviseAccess(data);
    const notifications: Notifications = createNotifications({
      data,
      mailer: createSmtpMailer({ url: smtp.url, from: "Django Questions <noreply@questions.example.org>" }),
      siteUrl: SITE,
      reviseLink: async (id, executor) => reviseUrl(SITE, id, await access.mintLink(id, Date.now(), executor)),
      log: memoryLog(),
      intervalMs: 3_600_000,
    });
    cleanups.push(() => notifications.stop());
    cleanups.push(onProposalStatusChange(data, notifications.listener));
    const forge = createLocalForge({ records: proposalRecords(data), contentDir: tempDir(), reload: async () => {} });
    const outbox: Outbox | undefined = options.outbox === false ? undefined : startOutbox({ data, forge, intervalMs: 3_600_000, log: memoryLog() });
    if (outbox) cleanups.push(() => outbox.stop());
    const ctx = () => reviseContext(data, forge, { siteUrl: SITE });
    return { data, smtp, access, notifications, forge, outbox, ctx };
  }

  it("mails each status change, and a revision updates the same queue item with every version kept", async () => {
    const { data, smtp, access, notifications, outbox, ctx } = await setup();
    if (!outbox) throw new Error("no outbox");
    const created = await createProposal({ ...questionForm, email: "ann@example.org" }, proposalContext(data));
    if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
    const id = created.proposal.id;
    await outbox.drain();
    await notifications.drain();
    const [delivered] = await smtp.waitFor(1);
    expect(delivered!.subject).toContain("Your proposal is in review");
    const number = (await getProposal(data, id))!.proposal.prNumber;

    // Changes requested: the comment, and a revise link that works.
    await setReviewStatus(data, id, "changes_requested", "A maintainer asked for changes: show the UPDATE that F() compiles to.", Date.now());
    await notifications.drain();
    const mails = await smtp.waitFor(2);
    const changes = mails[1]!;
    expect(changes.subject).toContain("Changes requested");
    expect(changes.text).toContain("show the UPDATE that F() compiles to.");
    const key = /revise\?key=([A-Za-z0-9_-]+)/.exec(changes.text ?? "")?.[1];
    expect(key).toBeTruthy();
    expect(await access.check(id, { key })).toBe("link");
    expect(await access.check(id, { key: `${key}x` })).toBeNull();
    expect(await access.check("someotherid1", { key })).toBeNull();

    // A revision the content check refuses changes nothing.
    const refused = await reviseProposal(id, { ...questionForm, body: "short" }, ctx());
    expect(refused.ok).toBe(false);
    expect((await getProposal(data, id))!.proposal.status).toBe("changes_requested");

    const body = "Explain how `F()` expressions avoid race conditions: show the `UPDATE … SET n = n + 1` they compile to.";
    const revised = await reviseProposal(id, { ...questionForm, email: "ann@example.org", body }, ctx());
    expect(revised).toEqual({ ok: true, version: 2 });
    const after = (await getProposal(data, id))!;
    expect(after.proposal.status).toBe("opened");
    expect(after.proposal.prNumber).toBe(number);
    expect(after.proposal.files[0]!.content).toContain("UPDATE … SET n = n + 1");
    expect(after.events.map((e) => e.type)).toContain("revised");
    // The same queue item, with the revised files.
    const queue = await proposalRecords(data).open("local");
    expect(queue.filter((e) => e.id === id)).toHaveLength(1);
    expect(queue.find((e) => e.id === id)!.files[0]!.content).toContain("UPDATE … SET n = n + 1");
    // Every version, and what changed between them.
    const versions = createProposalVersions(data);
    expect((await versions.list(id)).map((v) => v.version)).toEqual([1, 2]);
    const [diff] = await versions.diffs(id);
    expect(diff!.version).toBe(2);
    const lines = diff!.diffs[0]!.lines.filter((l) => l !== null);
    expect(lines.some((l) => l!.type === "add" && l!.text.includes("UPDATE … SET n = n + 1"))).toBe(true);
    expect(lines.some((l) => l!.type === "del" && l!.text.includes("when updating a counter"))).toBe(true);
    // Nothing changed: refused, no version 3.
    const same = await reviseProposal(id, { ...questionForm, email: "ann@example.org", body }, ctx());
    expect(same.ok).toBe(false);
    expect(await versions.latest(id)).toBe(2);

    // A revision sends no mail of its own; the merge does, with the page's link.
    await setReviewStatus(data, id, "merged", "Merged by a maintainer (#1): it is on the site now.", Date.now());
    await notifications.drain();
    const all = await smtp.waitFor(3);
    expect(all).toHaveLength(3);
    expect(all[2]!.subject).toContain("Merged");
    expect(all[2]!.text).toContain(`${SITE}/q/${after.proposal.slug}`);

    // Revising after the merge (or a close) is refused with a clear 409.
    const late = await reviseProposal(id, { ...questionForm, body: `${body} More.` }, ctx()).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(RevisionRefused);
    expect((late as RevisionRefused).status).toBe(409);
    expect((late as RevisionRefused).message).toMatch(/merged: it can no longer be revised/);
  });

  it("queues no mail for a proposal without an address, and none for a closed one's revision attempt", async () => {
    const { data, notifications, outbox, ctx } = await setup();
    if (!outbox) throw new Error("no outbox");
    const created = await createProposal({ ...questionForm, email: "" }, proposalContext(data));
    if (!created.ok) throw new Error("not created");
    const id = created.proposal.id;
    await outbox.drain();
    await setReviewStatus(data, id, "closed", "Closed by a maintainer without merging: a duplicate.", Date.now());
    await notifications.drain();
    expect(await notifications.store.forProposal(id)).toEqual([]);
    await expect(reviseProposal(id, questionForm, ctx())).rejects.toThrow(/closed: it can no longer be revised/);
  });

  it("after a revision, a resend of the revised text is the same proposal, and a resend of the first version a new one", async () => {
    const { data, outbox, ctx } = await setup();
    if (!outbox) throw new Error("no outbox");
    const first = { ...questionForm, email: "ann@example.org" };
    const created = await createProposal(first, proposalContext(data));
    if (!created.ok) throw new Error("not created");
    const id = created.proposal.id;
    await outbox.drain();
    await setReviewStatus(data, id, "changes_requested", "A maintainer asked for changes: show the SQL.", Date.now());
    const revisedForm = { ...first, body: "Explain how `F()` expressions avoid race conditions: show the `UPDATE … SET n = n + 1` they compile to." };
    expect(await reviseProposal(id, revisedForm, ctx())).toEqual({ ok: true, version: 2 });

    const resend = await createProposal(revisedForm, proposalContext(data));
    expect(resend).toMatchObject({ ok: true, duplicate: true, proposal: { id } });
    const again = await createProposal(first, proposalContext(data));
    expect(again.ok).toBe(true);
    if (again.ok) {
      expect(again.duplicate).toBeFalsy();
      expect(again.proposal.id).not.toBe(id);
    }
  });

  it("refuses a proposal that is not delivered yet, and an unknown one", async () => {
    const { data, ctx } = await setup({ outbox: false });
    const created = await createProposal({ ...questionForm, email: "" }, proposalContext(data));
    if (!created.ok) throw new Error("not created");
    await expect(reviseProposal(created.proposal.id, questionForm, ctx())).rejects.toThrow(/still on its way/);
    await expect(reviseProposal("nosuchid0000", questionForm, ctx())).rejects.toMatchObject({ status: 404 });
  });
});
