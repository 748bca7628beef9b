/**
 * Proposals: validate → files → content check → stored (status `queued`)
 * → the outbox delivers them. Nothing reaches a forge before it is safely in
 * the database, and the same submission sent twice is stored once.
 */
import { randomBytes } from "node:crypto";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { proposalFingerprint } from "./fingerprint.server";
import { checkProposal, toContentPath, type LiveCheck } from "./check";
import { ProposalRefused, isoDate, proposalToFiles, type ContentIndex } from "./files";
import type { Outbox } from "./outbox.server";
import { proposalSummary, pullRequestTitle, renderPullRequestBody, statusUrl } from "./pull-request";
import { FORM_ERRORS, HONEYPOT_FIELD, parseProposalInput, type FieldErrors, type ProposalInput } from "./schema";
import {
  findBySubmissionKey,
  findLiveByFingerprint,
  getEvents,
  getProposalRecord,
  insertProposal,
  isDuplicateSubmission,
  listProposalRecords,
  type BaseFile,
  type Proposal,
  type ProposalData,
  type ProposalEvent,
  type ProposalFilter,
} from "./store.server";

export type { Proposal, ProposalData, ProposalEvent, ProposalFilter, ProposalStatus } from "./store.server";

export interface ProposalContext {
  /** The data layer holding the proposals (`services.data`). */
  data: ProposalData;
  /** The current content (a ContentSnapshot fits) with its tag vocabulary. */
  content: ContentIndex & { tags: ReadonlyArray<{ id: string }> };
  /** The content files as on disk (paths relative to the content folder), for the content check. */
  contentFiles: readonly ContentFile[] | (() => readonly ContentFile[] | Promise<readonly ContentFile[]>);
  /**
   * The site's live content check (the content store): the proposal is checked against it, parsing
   * only the proposal's files. Without it, the whole of `contentFiles` is checked (the CLI, tests).
   */
  liveCheck?: LiveCheck;
  /** `checkContent(contentFiles)`, when cached by the caller for this content version (without `liveCheck`). */
  baseline?: Finding[];
  /** The pull request body template (`loadPullRequestTemplate()`). */
  template: string;
  /** Public URL of the site, for the status link in the pull request. */
  siteUrl?: string;
  /** Nudged after a proposal is stored. */
  outbox?: Pick<Outbox, "kick">;
  /** OAuth token of a signed-in contributor: the pull request is opened as that user. */
  userToken?: string;
  now?: () => Date;
}

export type CreateProposalResult =
  | {
      ok: true;
      proposal: Proposal;
      /** The same submission was already stored: this is the earlier proposal. */
      duplicate: boolean;
      /** Warnings of the content check (a possible duplicate question, ...). */
      warnings: FieldErrors;
    }
  | {
      ok: false;
      /** Messages by form field name; `_form` for the rest. */
      fieldErrors: FieldErrors;
      /** The content check's findings about the proposal (empty when the form itself was invalid). */
      findings: Finding[];
      warnings: FieldErrors;
    };

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random URL-safe id of 12 lower-case letters and digits (~62 bits). */
export function newProposalId(length = 12): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 252 = 7 × 36: reject the top values to keep the alphabet uniform.
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

function storedFields(input: ProposalInput): Record<string, unknown> {
  const { licence: _licence, submissionKey: _key, name: _name, github: _github, email: _email, ...rest } = input;
  const fields: Record<string, unknown> = { ...rest };
  delete fields[HONEYPOT_FIELD];
  return fields;
}

/** Each proposed file as the content has it now (null: new), for the status page's diff. */
function baseFiles(files: readonly { path: string }[], existing: readonly ContentFile[]): BaseFile[] {
  const decoder = new TextDecoder();
  const byPath = new Map(existing.map((f) => [f.path, f]));
  return files.map((f) => {
    const file = byPath.get(toContentPath(f.path));
    return { path: f.path, content: file ? decoder.decode(file.bytes) : null };
  });
}

/**
 * Validates a submitted form, builds the files, runs the content check and,
 * when everything passes, stores the proposal (status `queued`) and nudges
 * the outbox. `raw` is the form as a plain object (see `formDataToObject`).
 */
export async function createProposal(raw: Record<string, unknown>, ctx: ProposalContext): Promise<CreateProposalResult> {
  const now = ctx.now?.() ?? new Date();
  const parsed = parseProposalInput(raw, ctx.content.tags.map((t) => t.id));
  if (!parsed.ok) return { ok: false, fieldErrors: parsed.fieldErrors, findings: [], warnings: {} };
  const input = parsed.input;

  if (input.submissionKey) {
    const earlier = await findBySubmissionKey(ctx.data, input.submissionKey);
    if (earlier) return { ok: true, proposal: earlier, duplicate: true, warnings: {} };
  }

  let built;
  try {
    built = proposalToFiles(input, ctx.content, { today: isoDate(now) });
  } catch (error) {
    if (error instanceof ProposalRefused) {
      return { ok: false, fieldErrors: { [error.field]: [error.message] }, findings: [], warnings: {} };
    }
    throw error;
  }

  const existing = typeof ctx.contentFiles === "function" ? await ctx.contentFiles() : ctx.contentFiles;
  const check = ctx.liveCheck
    ? await ctx.liveCheck.withCheck((live) => checkProposal(live, built.files, input.kind))
    : checkProposal(existing, built.files, input.kind, ctx.baseline ? { baseline: ctx.baseline } : {});
  if (!check.ok) return { ok: false, fieldErrors: check.fieldErrors, findings: check.findings, warnings: check.fieldWarnings };

  const print = proposalFingerprint(input.kind, built.target, built.files, input);
  const alive = await findLiveByFingerprint(ctx.data, print);
  if (alive) return { ok: true, proposal: alive, duplicate: true, warnings: check.fieldWarnings };

  const id = newProposalId();
  const contributor = { name: input.name, ...(input.github ? { github: input.github } : {}), ...(input.email ? { email: input.email } : {}) };
  const prBody = renderPullRequestBody(ctx.template, {
    id,
    kind: input.kind,
    summary: proposalSummary({ kind: input.kind, questionTitle: built.questionTitle, number: built.number, target: built.target }),
    contributor,
    files: built.files,
    statusUrl: statusUrl(id, ctx.siteUrl),
    note: input.note,
  });
  const fields = {
    ...storedFields(input),
    ...(built.number !== undefined ? { number: built.number } : {}),
    ...(built.answerId !== undefined ? { answerId: built.answerId } : {}),
  };
  let proposal: Proposal;
  try {
    proposal = await insertProposal(
      ctx.data,
      {
        id,
        kind: input.kind,
        target: built.target,
        slug: built.slug,
        title: built.questionTitle,
        fields,
        files: built.files,
        baseFiles: baseFiles(built.files, existing),
        contributor,
        prTitle: pullRequestTitle(input.kind, built.questionTitle),
        prBody,
        userToken: ctx.userToken,
        submissionKey: input.submissionKey,
        fingerprint: print,
        createdAt: now.toISOString(),
      },
      `Proposal received (${built.files.map((f) => f.path).join(", ")}); waiting for delivery.`,
    );
  } catch (error) {
    // The same form submitted twice at the same moment: the first one won.
    if (input.submissionKey && isDuplicateSubmission(error)) {
      const earlier = await findBySubmissionKey(ctx.data, input.submissionKey);
      if (earlier) return { ok: true, proposal: earlier, duplicate: true, warnings: check.fieldWarnings };
    }
    throw error;
  }
  ctx.outbox?.kick();
  return { ok: true, proposal, duplicate: false, warnings: check.fieldWarnings };
}

export interface ProposalWithEvents {
  proposal: Proposal;
  /** The timeline, oldest first. */
  events: ProposalEvent[];
}

export async function getProposal(data: ProposalData, id: string): Promise<ProposalWithEvents | undefined> {
  const proposal = await getProposalRecord(data, id);
  if (!proposal) return undefined;
  return { proposal, events: await getEvents(data, id) };
}

export function listProposals(data: ProposalData, filter: ProposalFilter = {}): Promise<Proposal[]> {
  return listProposalRecords(data, filter);
}

export { retryProposal } from "./outbox.server";
export { FORM_ERRORS };
