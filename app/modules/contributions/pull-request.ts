/**
 * Pull request title and body of a proposal. Pure: the template text is
 * read from `.github/proposal-template.md` by `template.server.ts`.
 *
 * Placeholders: {{summary}} {{contributor}} {{files}} {{statusUrl}} {{note}}
 * {{id}} {{kind}} {{proposalJson}}. The body always carries the forge's hidden
 * proposal marker (`app/modules/forge/marker.ts`; appended when the template
 * lacks it) so the review side can map a pull request back to its proposal.
 */
import { markerJson, withProposalMarker } from "~/modules/forge/marker";
import type { Contributor, ProposalFile, ProposalKind } from "~/modules/forge/types";
import { isolate } from "~/modules/bidi/isolate";

/** Where a proposal's status page lives on the site. */
export function statusPath(id: string): string {
  return `/contributions/${encodeURIComponent(id)}`;
}

export function statusUrl(id: string, siteUrl?: string): string {
  const path = statusPath(id);
  return siteUrl ? new URL(path, siteUrl.endsWith("/") ? siteUrl : `${siteUrl}/`).toString() : path;
}

export function pullRequestTitle(kind: ProposalKind, questionTitle: string): string {
  const prefix = kind === "question" ? "Question" : kind === "answer" ? "Answer" : "Edit";
  return `${prefix}: ${isolate(questionTitle)}`;
}

export interface SummaryData {
  kind: ProposalKind;
  questionTitle: string;
  number?: number;
  /** For edits: the edited repository path. */
  target?: string;
}

export function proposalSummary(d: SummaryData): string {
  switch (d.kind) {
    case "question":
      return `A new question${d.number ? ` (number ${d.number})` : ""}: **${neutralise(d.questionTitle)}**`;
    case "answer":
      return `A new answer to the question **${neutralise(d.questionTitle)}**`;
    case "edit":
      return `An edit of \`${d.target ?? ""}\` (question **${neutralise(d.questionTitle)}**)`;
  }
}

/**
 * Text typed by a contributor, made harmless in a pull request body:
 * no HTML, no @-mentions of third parties, no `#123` references that
 * would close issues on merge, no end of an HTML comment.
 */
export function neutralise(text: string): string {
  // Isolated (U+2068 … U+2069): a right-to-left name or title does not reorder the text around it.
  return isolate(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b")
    .replace(/#(?=\d)/g, "#\u200b");
}

export function contributorLine(c: Contributor): string {
  const name = neutralise(c.name);
  return c.github ? `${name} (@${c.github})` : name;
}

export interface PullRequestBodyData {
  id: string;
  kind: ProposalKind;
  /** Markdown, already safe (see {@link proposalSummary}). */
  summary: string;
  contributor: Contributor;
  files: readonly Pick<ProposalFile, "path">[];
  statusUrl: string;
  /** The contributor's note to reviewers (raw; neutralised here). */
  note?: string;
}

export function renderPullRequestBody(template: string, data: PullRequestBodyData): string {
  const verb = data.kind === "edit" ? "changed" : "new";
  const note = data.note?.trim()
    ? data.note
        .trim()
        .split("\n")
        .map((l) => `> ${neutralise(l)}`)
        .join("\n")
    : "_No note._";
  const values: Record<string, string> = {
    id: data.id,
    kind: data.kind,
    summary: data.summary,
    contributor: contributorLine(data.contributor),
    files: data.files.map((f) => `- \`${f.path}\` (${verb})`).join("\n"),
    statusUrl: data.statusUrl,
    note,
    proposalJson: markerJson(data),
  };
  return withProposalMarker(
    template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_, name: string) => values[name] ?? ""),
    data,
  );
}
