/**
 * The mails a contributor receives when their proposal changes status: plain
 * text and HTML, rendered from the proposal and the event. Pure.
 *
 * Everything the contributor or a maintainer wrote (the title, the name, the
 * maintainer's comment) is untrusted: escaped in the HTML and isolated from
 * the site's own words (`<bdi>`, `dir="auto"`; FSI…PDI in the text part and
 * the subject), so a right-to-left title or a stray control cannot reorder
 * the sentence around it.
 */
import { isolate } from "~/modules/bidi/isolate";
import { escapeHtml } from "~/modules/markdown/escape";

/** The status changes a contributor hears about. */
export type NotificationKind = "delivered" | "changes_requested" | "merged" | "closed" | "reopened";

export interface StatusMailInput {
  kind: NotificationKind;
  /** The question's title. */
  title: string;
  /** What was proposed: a new question, an answer, an edit. */
  proposalKind: "question" | "answer" | "edit";
  contributorName: string;
  /** The timeline entry of the change (a maintainer's comment or reason is in it). */
  detail: string;
  /** Absolute URL of the status page. */
  statusUrl: string;
  /** Absolute URL of the published page (merged). */
  pageUrl?: string;
  /** The pull request on the forge, when it has a page of its own (GitHub). */
  changeUrl?: string;
  /** A fresh revise link (changes requested). */
  reviseUrl?: string;
  /** The site's name, signing the mail. */
  siteName?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const WHAT: Record<StatusMailInput["proposalKind"], string> = {
  question: "new question",
  answer: "answer to",
  edit: "edit of",
};

function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** The subject line: at most 150 characters, the title isolated. */
function subject(kind: NotificationKind, title: string): string {
  const short = oneLine(title);
  const shown = short.length > 90 ? `${short.slice(0, 89)}…` : short;
  const t = isolate(shown);
  switch (kind) {
    case "delivered":
      return `Your proposal is in review: ${t}`;
    case "reopened":
      return `Your proposal is in review again: ${t}`;
    case "changes_requested":
      return `Changes requested on your proposal: ${t}`;
    case "merged":
      return `Merged: your proposal ${t} is on the site`;
    case "closed":
      return `Your proposal was closed: ${t}`;
  }
}

interface Paragraph {
  /** Site text, with `{title}` where the title goes. */
  lead: string;
  /** The event's detail, quoted as the maintainer's words (changes requested, closed). */
  quote?: boolean;
  /** Links: label → URL. */
  links: Array<[string, string]>;
}

function paragraphs(m: StatusMailInput): Paragraph {
  const links: Array<[string, string]> = [];
  switch (m.kind) {
    case "delivered":
    case "reopened":
      if (m.changeUrl) links.push(["The pull request", m.changeUrl]);
      links.push(["Its status page", m.statusUrl]);
      return {
        lead: `${
          m.kind === "reopened" ? "Your proposal is waiting for review again" : "Your proposal has reached the maintainers and is waiting for review"
        }: your ${WHAT[m.proposalKind]} {title}.`,
        links,
      };
    case "changes_requested":
      if (m.reviseUrl) links.push(["Revise your proposal", m.reviseUrl]);
      links.push(["Its status page", m.statusUrl]);
      return {
        lead: `A maintainer asked for changes to your ${WHAT[m.proposalKind]} {title}. What they wrote:`,
        quote: true,
        links,
      };
    case "merged":
      if (m.pageUrl) links.push(["Read it on the site", m.pageUrl]);
      links.push(["Its status page", m.statusUrl]);
      return {
        lead: `Your ${WHAT[m.proposalKind]} {title} was merged. Thank you!`,
        links,
      };
    case "closed":
      links.push(["Its status page", m.statusUrl]);
      return {
        lead: `Your ${WHAT[m.proposalKind]} {title} was closed without merging. The reason given:`,
        quote: true,
        links,
      };
  }
}

const FOOTER = "You receive this because you gave this e-mail address with your proposal. It is used for nothing else.";

export function renderStatusMail(m: StatusMailInput): RenderedMail {
  const p = paragraphs(m);
  const site = m.siteName ?? "Django Questions";
  const name = oneLine(m.contributorName);
  const detail = m.detail.replace(/\r\n?/g, "\n").trim();

  const text = [
    `Hello ${isolate(name)},`,
    "",
    p.lead.replace("{title}", `“${isolate(oneLine(m.title))}”`),
    ...(p.quote && detail ? ["", ...detail.split("\n").map((line) => `> ${isolate(line)}`)] : []),
    "",
    ...p.links.map(([label, url]) => `${label}: ${url}`),
    "",
    `— ${site}`,
    "",
    FOOTER,
    "",
  ].join("\n");

  const lead = escapeHtml(p.lead).replace("{title}", `“<bdi>${escapeHtml(oneLine(m.title))}</bdi>”`);
  const html = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject(m.kind, m.title))}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40em">',
    `<p>Hello <bdi>${escapeHtml(name)}</bdi>,</p>`,
    `<p>${lead}</p>`,
    ...(p.quote && detail
      ? [
          `<blockquote dir="auto" style="white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 1em">${escapeHtml(
            detail
          )}</blockquote>`,
        ]
      : []),
    `<ul>${p.links.map(([label, url]) => `<li><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></li>`).join("")}</ul>`,
    `<p>— ${escapeHtml(site)}</p>`,
    `<p style="color: #555; font-size: 0.9em">${escapeHtml(FOOTER)}</p>`,
    "</body></html>",
    "",
  ].join("\n");

  return { subject: subject(m.kind, m.title), text, html };
}
