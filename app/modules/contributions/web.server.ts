/**
 * The contribution forms' server side: what the routes call, with the
 * services they got as Remix's load context. Turns a posted form into a
 * stored proposal (or errors with everything typed kept), and serves
 * previews and status pages.
 */
import { randomBytes } from "node:crypto";
import { answerPath, questionPath } from "~/modules/contract";
import type { Auth } from "~/modules/auth/index.server";
import { fileDiffs, type FileDiff } from "~/modules/diff/file-diff";
import type { Forge } from "~/modules/forge/types";
import type { RateLimiter } from "~/modules/security/rate-limit.server";
import { assertSameOrigin, clientAddress } from "~/modules/security/request.server";
import type { Finding } from "~/modules/validation/types";
import { editFormValues, ProposalRefused } from "./files";
import type { Outbox } from "./outbox.server";
import type { FormState } from "./form-state.server";
import { grantRevision } from "./revise-web.server";
import { renderMarkdown } from "~/modules/markdown/render";
import { previewFromFiles, previewProposal, type ContentSource, type FormValues, type ProposalPreview } from "./preview.server";
import { statusTimeline, type TimelineStep } from "./status-timeline";
import type { LiveCheck } from "./check";
import { FORM_ERRORS, formDataToObject, type FieldErrors } from "./schema";
import { createProposal, getProposal, retryProposal, type ProposalData, type ProposalWithEvents } from "./service.server";

export type { FormValues, ProposalPreview } from "./preview.server";

/** What the contribution pages need of the process's services (`context.services`). */
export interface ContributionServices {
  env: { PUBLIC_URL?: string };
  /** The content, with its live check (the content store). */
  store: ContentSource & LiveCheck;
  data: ProposalData;
  forge: Pick<Forge, "texts" | "accounts">;
  outbox: Pick<Outbox, "kick">;
  /** The pull request body template. */
  template: string;
  proposalLimiter: RateLimiter;
  sendLimiter: RateLimiter;
  previewLimiter: RateLimiter;
  auth: Pick<Auth, "viewer" | "methods">;
}

/** The request's client address, as the HTTP handler saw it. */
type ClientContext = { clientIp?: string } | undefined;

export type { FormState } from "./form-state.server";

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
  services: ContributionServices,
  request: Request,
  context: ClientContext,
  fixed: FormValues,
): Promise<{ redirect: string; headers?: Record<string, string> } | FormState> {
  assertSameOrigin(request);
  const values = { ...(await readForm(request)), ...fixed };
  const intent = values.intent;
  delete values.intent;
  const { store } = services;

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
    return { values, fieldErrors: {}, warnings: {}, findings: [], preview: previewProposal(store, values), previewOnly: true };
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
      preview: previewProposal(store, values),
      previewOnly: false,
    };
  }

  // A contributor signed in with the forge gets the pull request opened as themself.
  const viewer = await services.auth.viewer(request);
  const userToken = viewer.githubToken;
  const result = await createProposal(values, {
    ...(userToken ? { userToken } : {}),
    data: services.data,
    content: store.content,
    contentFiles: () => store.contentFiles,
    liveCheck: store,
    template: services.template,
    // Only a configured PUBLIC_URL goes into pull requests: a request's Host can be forged.
    ...(services.env.PUBLIC_URL ? { siteUrl: services.env.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    outbox: services.outbox,
  });
  if (result.ok) {
    if (result.duplicate) return { redirect: `/contributions/${result.proposal.id}` };
    await services.proposalLimiter.record(client);
    // This browser's list of its proposals (/contributions), carrying the revise link to the status
    // page the browser goes to, which shows it once (revise-web.server.ts, mine.server.ts).
    return { redirect: `/contributions/${result.proposal.id}`, headers: { "Set-Cookie": await grantRevision(services, request, result.proposal.id) } };
  }
  return {
    values,
    fieldErrors: result.fieldErrors,
    warnings: result.warnings,
    findings: result.findings,
    preview: previewProposal(store, values),
    previewOnly: false,
  };
}

/** Live preview for the as-you-type view (JSON). */
export async function livePreview(services: ContributionServices, request: Request, context?: ClientContext): Promise<ProposalPreview | null> {
  assertSameOrigin(request);
  const allowed = await services.previewLimiter.attempt(clientAddress(request, context));
  if (!allowed.allowed) {
    throw new Response(`Too many previews: wait ${allowed.retryAfterSeconds} s (the Preview button still works).`, {
      status: 429,
      headers: { "Retry-After": String(allowed.retryAfterSeconds) },
    });
  }
  const values = await readForm(request);
  return previewProposal(services.store, values) ?? null;
}

export interface ContributorAccount {
  /** Sign-in with the forge's accounts is configured: contributors may open pull requests as themselves. */
  githubSignIn: boolean;
  /** The signed-in login, if any. */
  login: string | null;
}

/** For the forms: who is contributing (signing in is optional, never required). */
export async function contributorAccount(services: ContributionServices, request: Request): Promise<ContributorAccount> {
  if (!services.forge.accounts || !services.auth.methods.github) return { githubSignIn: false, login: null };
  const viewer = await services.auth.viewer(request);
  return { githubSignIn: true, login: viewer.kind === "token" ? null : (viewer.login ?? null) };
}

export function tagOptions(services: ContributionServices) {
  return services.store.content.tags.map((t) => ({ id: t.id, label: t.label, description: t.description }));
}

/** The values of an edit form: the file's current fields, or a 404. */
export function editValues(services: ContributionServices, slug: string, answerId: string | null) {
  const content = services.store.content;
  const q = content.bySlug.get(slug);
  if (!q) throw new Response("No such question", { status: 404 });
  const path = answerId ? answerPath(slug, answerId) : questionPath(slug);
  try {
    const values = editFormValues(content, path);
    return { question: { slug: q.slug, number: q.number, title: q.title }, values, target: answerId ? "answer" : "question" } as const;
  } catch (error) {
    if (error instanceof ProposalRefused) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export function questionForAnswer(services: ContributionServices, slug: string) {
  const q = services.store.content.bySlug.get(slug);
  if (!q) throw new Response("No such question", { status: 404 });
  return { slug: q.slug, number: q.number, title: q.title };
}

/** A step of the status page's timeline, its comment rendered (sanitised) by the site's Markdown pipeline. */
export interface StatusStep extends TimelineStep {
  commentHtml?: string;
}

export interface StatusPage extends ProposalWithEvents {
  /** What the status page calls the change (`Pull request`, `Review`). */
  changeLabel: string;
  diffs: FileDiff[];
  /** The steps in plain words (received, in review, changes requested, merged or closed). */
  timeline: StatusStep[];
  /** The proposal rendered as the site shows (or will show) it; absent when it cannot be rendered. */
  preview?: ProposalPreview;
}

export async function proposalStatus(services: ContributionServices, id: string): Promise<StatusPage> {
  const found = await getProposal(services.data, id);
  if (!found) throw new Response("No such proposal", { status: 404 });
  // The e-mail address is for the commit and the mails only: it never reaches a page.
  const { email: _email, ...contributor } = found.proposal.contributor;
  const timeline = statusTimeline(found.events, found.proposal.status).map((step, i): StatusStep =>
    step.comment ? { ...step, commentHtml: renderMarkdown(step.comment, { topHeadingLevel: 4, idPrefix: `comment-${i}-` }) } : step,
  );
  const preview = previewFromFiles(services.store, found.proposal.files, { keepInvalid: true });
  return {
    proposal: { ...found.proposal, contributor },
    events: found.events,
    changeLabel: services.forge.texts.changeLabel,
    // Against the files as they were when the proposal was made: after a merge, or after other
    // changes to the same file, the page still shows what this proposal changes.
    diffs: fileDiffs(found.proposal.files, services.store.contentFiles, found.proposal.baseFiles),
    timeline,
    ...(preview ? { preview } : {}),
  };
}

/** "Try again" on a failed proposal's status page. */
export async function retryFailedProposal(services: ContributionServices, request: Request, id: string): Promise<void> {
  assertSameOrigin(request);
  const found = await getProposal(services.data, id);
  if (!found) throw new Response("No such proposal", { status: 404 });
  if (found.proposal.status !== "failed") return;
  await retryProposal(services.data, id, services.outbox);
}
