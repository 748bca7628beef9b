/**
 * The contribution forms' server side: what the routes call. Turns a posted
 * form into a stored proposal (or errors with everything typed kept), and
 * serves previews and status pages.
 */
import { randomBytes } from "node:crypto";
import { getServices } from "~/modules/server/services.server";
import { assertSameOrigin, clientAddress } from "~/modules/security/request.server";
import { lineDiff, withContext, type DiffLine } from "~/modules/diff/line-diff";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { toContentPath } from "./check";
import { editFormValues, ProposalRefused } from "./files";
import { previewProposal, type FormValues, type ProposalPreview } from "./preview.server";
import { FORM_ERRORS, formDataToObject, type FieldErrors } from "./schema";
import { createProposal, getProposal, retryProposal, type ProposalWithEvents } from "./service.server";

export type { FormValues, ProposalPreview } from "./preview.server";

export interface FormState {
  values: FormValues;
  fieldErrors: FieldErrors;
  warnings: FieldErrors;
  findings: Finding[];
  preview?: ProposalPreview;
  /** True when this state answers the Preview button. */
  previewOnly: boolean;
  /** Set when the preview was refused by the rate limit: seconds to wait. */
  retryAfterSeconds?: number;
}

/** The HTTP status of a form page answering a POST: 200 preview, 429 too many previews, 422 not accepted. */
export function formStateStatus(state: FormState): number {
  if (state.retryAfterSeconds !== undefined) return 429;
  return state.previewOnly ? 200 : 422;
}

/** A fresh key per rendered form: the same form sent twice is stored once. */
export function newSubmissionKey(): string {
  return randomBytes(12).toString("base64url");
}

async function readForm(request: Request): Promise<FormValues> {
  const form = await request.formData();
  return formDataToObject(form.entries());
}

/**
 * Handles a POST of a proposal form. `fixed` holds the values the route
 * decides (kind, the answered question, the edited path) — never taken from
 * the client alone.
 */
export async function handleProposalPost(
  request: Request,
  context: { clientIp?: string } | undefined,
  fixed: FormValues,
): Promise<{ redirect: string } | FormState> {
  assertSameOrigin(request);
  const services = await getServices();
  const values = { ...(await readForm(request)), ...fixed };
  const intent = values.intent;
  delete values.intent;
  const content = services.store.content;

  const client = clientAddress(request, context);
  if (intent === "preview") {
    // The same limit as the as-you-type preview: rendering costs the same either way.
    const allowed = await services.previewLimiter.attempt(client);
    if (!allowed.allowed) {
      return {
        values,
        fieldErrors: { [FORM_ERRORS]: [`Too many previews in a short time: wait ${allowed.retryAfterSeconds} s and press Preview again — everything you typed is still here.`] },
        warnings: {},
        findings: [],
        previewOnly: true,
        retryAfterSeconds: allowed.retryAfterSeconds,
      };
    }
    return { values, fieldErrors: {}, warnings: {}, findings: [], preview: previewProposal(content, values), previewOnly: true };
  }

  // Two limits: stored proposals (strict: PROPOSAL_RATE_LIMIT), and every send including ones
  // the check refuses (generous, so a contributor fixing mistakes is not locked out, but a
  // flood of junk cannot keep the server busy running the content check).
  const limit = await services.proposalLimiter.check(client);
  const sends = limit.allowed ? await services.sendLimiter.attempt(client) : limit;
  if (!sends.allowed) {
    const minutes = Math.ceil(sends.retryAfterSeconds / 60);
    return {
      values,
      fieldErrors: {
        [FORM_ERRORS]: [
          `You have sent several proposals in a short time. Please wait about ${minutes} minute${minutes === 1 ? "" : "s"} and send this one again — everything you typed is still here.`,
        ],
      },
      warnings: {},
      findings: [],
      preview: previewProposal(content, values),
      previewOnly: false,
    };
  }

  // A contributor signed in with GitHub gets the pull request opened as themself.
  const viewer = await services.auth.viewer(request);
  const userToken = viewer.kind === "github" ? viewer.githubToken : undefined;
  const result = await createProposal(values, {
    ...(userToken ? { userToken } : {}),
    db: services.db,
    content,
    contentFiles: () => services.store.contentFiles,
    template: services.template,
    // Only a configured PUBLIC_URL goes into pull requests: a request's Host can be forged.
    ...(services.env.PUBLIC_URL ? { siteUrl: services.env.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    outbox: services.outbox,
  });
  if (result.ok) {
    if (!result.duplicate) await services.proposalLimiter.record(client);
    return { redirect: `/contributions/${result.proposal.id}` };
  }
  return {
    values,
    fieldErrors: result.fieldErrors,
    warnings: result.warnings,
    findings: result.findings,
    preview: previewProposal(content, values),
    previewOnly: false,
  };
}

/** Live preview for the as-you-type view (JSON). */
export async function livePreview(request: Request, context?: { clientIp?: string }): Promise<ProposalPreview | null> {
  assertSameOrigin(request);
  const services = await getServices();
  const allowed = await services.previewLimiter.attempt(clientAddress(request, context));
  if (!allowed.allowed) {
    throw new Response(`Too many previews: wait ${allowed.retryAfterSeconds} s (the Preview button still works).`, {
      status: 429,
      headers: { "Retry-After": String(allowed.retryAfterSeconds) },
    });
  }
  const values = await readForm(request);
  return previewProposal(services.store.content, values) ?? null;
}

export interface ContributorAccount {
  /** GitHub sign-in is configured: contributors may open pull requests as themselves. */
  githubSignIn: boolean;
  /** The signed-in GitHub login, if any. */
  login: string | null;
}

/** For the forms: who is contributing (GitHub sign-in is optional, never required). */
export async function contributorAccount(request: Request): Promise<ContributorAccount> {
  const services = await getServices();
  if (services.forge.name !== "github" || !services.auth.methods.github) return { githubSignIn: false, login: null };
  const viewer = await services.auth.viewer(request);
  return { githubSignIn: true, login: viewer.kind === "github" ? (viewer.login ?? null) : null };
}

export async function tagOptions() {
  const services = await getServices();
  return services.store.content.tags.map((t) => ({ id: t.id, label: t.label, description: t.description }));
}

/** The values of an edit form: the file's current fields, or a 404. */
export async function editValues(slug: string, answerId: string | null) {
  const services = await getServices();
  const content = services.store.content;
  const q = content.bySlug.get(slug);
  if (!q) throw new Response("No such question", { status: 404 });
  const path = answerId ? `content/questions/${slug}/answers/${answerId}.md` : `content/questions/${slug}/question.md`;
  try {
    const values = editFormValues(content, path);
    return { question: { slug: q.slug, number: q.number, title: q.title }, values, target: answerId ? "answer" : "question" } as const;
  } catch (error) {
    if (error instanceof ProposalRefused) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function questionForAnswer(slug: string) {
  const services = await getServices();
  const q = services.store.content.bySlug.get(slug);
  if (!q) throw new Response("No such question", { status: 404 });
  return { slug: q.slug, number: q.number, title: q.title };
}

export interface FileDiff {
  path: string;
  isNew: boolean;
  lines: DiffLine[];
}

export interface StatusPage extends ProposalWithEvents {
  forge: "local" | "github";
  diffs: FileDiff[];
}

/**
 * What each file of a proposal changes: against `base` (the files as they were when the
 * proposal was made) when given, else against the content as it is now.
 */
export function proposalDiffs(
  files: { path: string; content: string }[],
  current: readonly ContentFile[],
  base?: readonly { path: string; content: string | null }[] | null,
): FileDiff[] {
  const decoder = new TextDecoder();
  const byPath = new Map(current.map((f) => [f.path, f]));
  const baseByPath = base ? new Map(base.map((f) => [f.path, f.content])) : undefined;
  return files.map((f) => {
    let before: string | undefined;
    if (baseByPath?.has(f.path)) {
      before = baseByPath.get(f.path) ?? undefined;
    } else {
      const existing = byPath.get(toContentPath(f.path));
      before = existing ? decoder.decode(existing.bytes) : undefined;
    }
    const lines = lineDiff(before ?? "", f.content);
    const unchanged = lines.every((l) => l.type === "same");
    return {
      path: f.path,
      isNew: before === undefined,
      // A file equal to its base is shown whole; otherwise the changes with context.
      lines: before !== undefined && !unchanged ? withContext(lines, 3).map((l) => l ?? { type: "same" as const, text: "…" }) : lines,
    };
  });
}

export async function proposalStatus(id: string): Promise<StatusPage> {
  const services = await getServices();
  const found = getProposal(services.db, id);
  if (!found) throw new Response("No such proposal", { status: 404 });
  // The e-mail address is for the commit only: it never reaches a page.
  const { email: _email, ...contributor } = found.proposal.contributor;
  return {
    proposal: { ...found.proposal, contributor },
    events: found.events,
    forge: services.forge.name,
    // Against the files as they were when the proposal was made: after a merge, or after other
    // changes to the same file, the page still shows what this proposal changes.
    diffs: proposalDiffs(found.proposal.files, services.store.contentFiles, found.proposal.baseFiles),
  };
}

/** "Try again" on a failed proposal's status page. */
export async function retryFailedProposal(request: Request, id: string): Promise<void> {
  assertSameOrigin(request);
  const services = await getServices();
  const found = getProposal(services.db, id);
  if (!found) throw new Response("No such proposal", { status: 404 });
  if (found.proposal.status !== "failed") return;
  retryProposal(services.db, id, services.outbox);
}
