/**
 * Hearing back, against a real SMTP server on loopback (smtp-server) and the
 * real mail queue on both dialects: one mail per status change with what the
 * contributor needs in it, none without an address or without SMTP, at most
 * one per event, and a server that is down delays the mail without losing it.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  createNotifications,
  createSmtpMailer,
  notificationKind,
  type Notifications,
  type ProposalStatusChange,
} from "~/modules/notifications/index.server";
import { describeDialects } from "../support/databases";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

const SITE = "https://questions.example.org";
const silent = { info() {}, warn() {}, error() {} };
/** The worker's clock and the changes' time (a mail is due when its change happened). */
let clock = Date.parse("2026-12-04T08:00:00Z");

function change(
  to: string,
  overrides: Partial<ProposalStatusChange> & {
    detail?: string;
    email?: string | null;
    eventId?: number;
  } = {}
): ProposalStatusChange {
  const email = overrides.email === undefined ? "jane@example.org" : overrides.email;
  return {
    proposal: {
      id: "abc123def456",
      kind: "question",
      title: "What does select_for_update(skip_locked=True) do?",
      slug: "what-does-select-for-update-do",
      contributor: { name: "Jane Doe", ...(email ? { email } : {}) },
      prUrl: "https://github.com/django-questions/content/pull/7",
    },
    from: overrides.from ?? (to === "opened" ? "queued" : "opened"),
    to,
    event: {
      id: overrides.eventId ?? Math.floor(Math.random() * 1e9),
      type: to,
      detail: overrides.detail ?? "",
    },
    at: overrides.at ?? clock,
  };
}

describe("which status change warrants a mail", () => {
  it("delivered, reopened, changes requested, merged, closed — not a revision, a retry or a failure", () => {
    const cases: [from: string, to: string, event: string, kind: string | null][] = [
      ["queued", "opened", "opened", "delivered"],
      ["closed", "opened", "opened", "reopened"],
      ["changes_requested", "opened", "revised", null],
      ["opened", "changes_requested", "changes-requested", "changes_requested"],
      ["opened", "merged", "merged", "merged"],
      ["opened", "closed", "closed", "closed"],
      ["queued", "failed", "failed", null],
      ["failed", "queued", "retry-requested", null],
    ];
    for (const [from, to, type, kind] of cases) {
      expect(notificationKind({ from, to, event: { id: 1, type, detail: "" } }), `${from} → ${to} (${type})`).toBe(kind);
    }
  });
});

describeDialects("e-mail notifications", (t) => {
  let smtp: TestSmtpServer | undefined;
  let notifications: Notifications | undefined;

  afterEach(async () => {
    await notifications?.stop();
    await smtp?.close();
    notifications = undefined;
    smtp = undefined;
  });

  function start(url: string, extra: Partial<Parameters<typeof createNotifications>[0]> = {}) {
    notifications = createNotifications({
      data: t().data,
      mailer: createSmtpMailer({
        url,
        from: "Django Questions <noreply@questions.example.org>",
        timeoutMs: { connection: 2000, greeting: 2000, socket: 5000 },
      }),
      siteUrl: SITE,
      log: silent,
      intervalMs: 3_600_000,
      baseDelayMs: 1000,
      now: () => clock,
      random: () => 0.5,
      ...extra,
    });
    return notifications;
  }

  it("sends one mail per status change, each with what the contributor needs", async () => {
    smtp = await startSmtpServer();
    const n = start(smtp.url, {
      reviseLink: async (id) => `${SITE}/contributions/${id}/revise?key=secret-key`,
    });
    await n.onStatusChange(change("opened"));
    await n.onStatusChange(
      change("changes_requested", {
        detail: "A maintainer asked for changes: Please cite the docs <script>alert(1)</script>\nand fix the typo.",
      })
    );
    await n.onStatusChange(change("merged", { detail: "Merged by @mia (#7)." }));
    await n.onStatusChange(
      change("closed", {
        from: "opened",
        detail: "Closed by @mia without merging: a duplicate of question 12.",
      })
    );
    await n.drain();
    const mails = await smtp.waitFor(4);
    expect(mails).toHaveLength(4);
    const [delivered, changes, merged, closed] = mails;
    for (const mail of mails) {
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe("jane@example.org");
      expect(mail.from?.text).toContain("noreply@questions.example.org");
      expect(mail.text).toContain(`${SITE}/contributions/abc123def456`);
      expect(mail.html).toBeTruthy();
    }
    expect(delivered!.subject).toContain("Your proposal is in review");
    expect(delivered!.subject).toContain("\u2068What does select_for_update(skip_locked=True) do?\u2069");
    expect(delivered!.text).toContain("https://github.com/django-questions/content/pull/7");

    expect(changes!.subject).toContain("Changes requested");
    expect(changes!.text).toContain("Please cite the docs");
    expect(changes!.text).toContain("and fix the typo.");
    expect(changes!.text).toContain(`${SITE}/contributions/abc123def456/revise?key=secret-key`);
    // The maintainer's words are escaped and isolated in the HTML part: no markup of theirs gets through.
    const html = String(changes!.html);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toMatch(/<blockquote dir="auto"[^>]*>A maintainer asked for changes/);
    expect(html).toContain("<bdi>What does select_for_update(skip_locked=True) do?</bdi>");

    expect(merged!.subject).toContain("Merged");
    expect(merged!.text).toContain(`${SITE}/q/what-does-select-for-update-do`);
    expect(String(merged!.html)).toContain(`href="${SITE}/q/what-does-select-for-update-do"`);

    expect(closed!.subject).toContain("closed");
    expect(closed!.text).toContain("a duplicate of question 12");

    // Sent mails are recorded as such, and their bodies (which may carry a revise link) are not kept.
    const rows = await n.store.forProposal("abc123def456");
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ["delivered", "sent"],
      ["changes_requested", "sent"],
      ["merged", "sent"],
      ["closed", "sent"],
    ]);
    expect(rows.every((r) => r.text === "" && r.html === "" && r.messageId)).toBe(true);
  });

  it("sends nothing without an address, and nothing without SMTP", async () => {
    smtp = await startSmtpServer();
    const n = start(smtp.url);
    await n.onStatusChange(change("opened", { email: null }));
    await n.onStatusChange(change("merged", { email: null }));
    await n.drain();
    expect(await n.store.forProposal("abc123def456")).toEqual([]);

    const off = createNotifications({
      data: t().data,
      siteUrl: SITE,
      log: silent,
    });
    expect(off.enabled).toBe(false);
    await off.onStatusChange(change("opened"));
    await off.drain();
    await off.stop();
    expect(await off.store.forProposal("abc123def456")).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages).toHaveLength(0);
  });

  it("sends the mail of one event at most once, however often it is recorded", async () => {
    smtp = await startSmtpServer();
    const n = start(smtp.url);
    const c = change("merged", { eventId: 42 });
    await n.onStatusChange(c);
    await n.onStatusChange(c);
    await n.drain();
    await n.onStatusChange(c);
    await n.drain();
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages).toHaveLength(1);
  });

  it("keeps the mail while the SMTP server is down, and sends it once it is back", async () => {
    // A port that was just free: nothing listens there until the server "comes back".
    const probe = await startSmtpServer();
    const port = probe.port;
    await probe.close();
    const n = start(`smtp://127.0.0.1:${port}`);
    await n.onStatusChange(
      change("changes_requested", {
        detail: "A maintainer asked for changes: shorter, please.",
      })
    );
    await n.drain();
    let [row] = await n.store.forProposal("abc123def456");
    expect(row!.status).toBe("pending");
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row!.nextAttemptAt).toBeGreaterThan(clock);

    // Still down at the first retry: the next one waits longer.
    clock = row!.nextAttemptAt;
    await n.drain();
    [row] = await n.store.forProposal("abc123def456");
    expect(row!.attempts).toBe(2);
    const secondWait = row!.nextAttemptAt - clock;
    expect(secondWait).toBeGreaterThan(1000);

    smtp = await startSmtpServer({ port });
    clock = row!.nextAttemptAt;
    await n.drain();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.text).toContain("shorter, please.");
    [row] = await n.store.forProposal("abc123def456");
    expect(row!.status).toBe("sent");
    expect(row!.attempts).toBe(3);
  });

  it("gives up at once on a recipient the server refuses for good", async () => {
    smtp = await startSmtpServer({ rejectRecipients: ["jane@example.org"] });
    const n = start(smtp.url);
    await n.onStatusChange(change("merged"));
    await n.drain();
    const [row] = await n.store.forProposal("abc123def456");
    expect(row!.status).toBe("failed");
    expect(row!.lastError).toMatch(/550|mailbox/i);
    expect(smtp.messages).toHaveLength(0);
  });

  it("never sends twice a mail interrupted mid-send by a stop (at most once)", async () => {
    smtp = await startSmtpServer();
    const n = start(smtp.url);
    // The worker's first pass (it starts with one) is over before the mail is queued: nothing but this test claims it.
    await n.drain();
    await n.onStatusChange(change("merged"));
    const [queued] = await n.store.forProposal("abc123def456");
    // A process claims it and stops before recording the outcome.
    expect(await n.store.claim(queued!.id, clock, clock + 1000)).not.toBeNull();
    clock += 2000;
    await n.drain();
    const [row] = await n.store.forProposal("abc123def456");
    expect(row!.status).toBe("failed");
    expect(row!.lastError).toMatch(/not sent again/);
    expect(smtp.messages).toHaveLength(0);
  });
});
