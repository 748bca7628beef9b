/**
 * Sending one mail over SMTP (nodemailer, decision 030), configured by
 * `SMTP_URL` (`smtp://user:password@host:587`, `smtps://…:465`) and
 * `MAIL_FROM`. Every connection has timeouts, so a server that hangs costs
 * one failed attempt, never a stuck worker.
 */
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Where mail goes, for logs (no password). */
  readonly description: string;
  /** Resolves once the SMTP server accepted the mail (its message id); rejects otherwise. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export interface SmtpMailerOptions {
  url: string;
  from: string;
  /** Connection, greeting and socket timeouts (ms). Default 10 s, 10 s, 30 s. */
  timeoutMs?: { connection?: number; greeting?: number; socket?: number };
}

/** `smtp://user:secret@host:587` → `smtp://host:587` (for logs). */
export function describeSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "SMTP";
  }
}

export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs?.connection ?? 10_000,
    greetingTimeout: options.timeoutMs?.greeting ?? 10_000,
    socketTimeout: options.timeoutMs?.socket ?? 30_000,
  } satisfies SMTPTransport.Options);
  return {
    description: describeSmtpUrl(options.url),
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}

/**
 * Whether a failed send may succeed later. The SMTP server refusing the
 * recipient for good (5xx to RCPT TO: no such mailbox) will not change:
 * `permanent`. Everything else — no connection, timeouts, 4xx, a server
 * refusing our credentials or sender (fixed by the operator) — is retried.
 */
export function classifyMailError(error: unknown): {
  permanent: boolean;
  message: string;
} {
  const e = error as {
    message?: string;
    responseCode?: number;
    command?: string;
    code?: string;
  };
  const message = (e?.message ?? String(error)).replace(/\s+/g, " ").slice(0, 500);
  const permanent = typeof e?.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600 && /^RCPT/i.test(e.command ?? "");
  return { permanent, message };
}
