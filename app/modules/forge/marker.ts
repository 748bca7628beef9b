/**
 * The hidden marker a delivered pull request's body carries,
 * `<!-- django-questions:proposal {"id":"…","kind":"…"} -->`: how the review
 * queue and the webhooks map a pull request back to its proposal. Written and
 * read here, by the forge. Pure.
 */
import type { ProposalKind } from "./types";

export const MARKER_PREFIX = "django-questions:proposal";

export interface ProposalMarker {
  id: string;
  kind: ProposalKind;
}

/** The marker's JSON (the pull request template's `{{proposalJson}}`). */
export function markerJson(p: ProposalMarker): string {
  return JSON.stringify({ id: p.id, kind: p.kind });
}

/** The marker comment itself. */
export function proposalMarker(p: ProposalMarker): string {
  return `<!-- ${MARKER_PREFIX} ${markerJson(p)} -->`;
}

/** The body with the marker, appended when the body lacks it. */
export function withProposalMarker(body: string, p: ProposalMarker): string {
  const marker = proposalMarker(p);
  return body.includes(marker) ? body : `${body.replace(/\s+$/, "")}\n\n${marker}\n`;
}

/** Reads the marker back from a pull request body. */
export function parseProposalMarker(body: string | null | undefined): ProposalMarker | undefined {
  if (!body) return undefined;
  const m = /<!--\s*django-questions:proposal\s+(\{[^]*?\})\s*-->/.exec(body);
  if (!m) return undefined;
  try {
    const data = JSON.parse(m[1]!) as { id?: unknown; kind?: unknown };
    if (typeof data.id === "string" && (data.kind === "question" || data.kind === "answer" || data.kind === "edit")) {
      return { id: data.id, kind: data.kind };
    }
  } catch {
    // not ours
  }
  return undefined;
}
