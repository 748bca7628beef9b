/**
 * The revise pages' server side: the revise link shown once after sending,
 * the status page's "Revise" section, and the revise form
 * (`/contributions/<id>/revise`) — prefilled with the current version,
 * authorised by the revise link's secret (`?key=`) or by the GitHub sign-in
 * the proposal was sent with.
 */
import { randomBytes } from "node:crypto";
import type { Auth } from "~/modules/auth/index.server";
import type { DataLayer } from "~/modules/db/data.server";
import type { Forge } from "~/modules/forge/types";
import type { RateLimiter } from "~/modules/security/rate-limit.server";
import { assertSameOrigin, clientAddress } from "~/modules/security/request.server";
import type { Finding } from "~/modules/validation/types";
import type { FormState } from "./form-state.server";
import { rememberProposal, takeOnceSecret } from "./mine.server";
import { previewProposal, type ContentSource, type FormValues, type ProposalPreview } from "./preview.server";
import { applyRevision, getProposalRecord, progressStore, type ProposalStatus } from "./store.server";
import { createProposalVersions, createReviseAccess, reviseProposal, revisionFormValues, revisionRefusal, RevisionRefused, type RevisionStore } from "./revise.server";
import { fixedRevisionValues } from "./revise";
import type { LiveCheck } from "./check";
import { FORM_ERRORS, formDataToObject, type FieldErrors } from "./schema";

/** What the revise pages need of the process's services (`context.services`). */
export interface ReviseServices {
  env: { PUBLIC_URL?: string };
  /** The content, with its live check (the content store). */
  store: ContentSource & LiveCheck;
  data: Pick<DataLayer, "db" | "dialect">;
  forge: Pick<Forge, "texts" | "revise">;
  template: string;
  sendLimiter: RateLimiter;
  previewLimiter: RateLimiter;
  auth: Pick<Auth, "viewer">;
  /** Mail to contributors is configured. */
  notifications?: { enabled: boolean };
}

/** The revise form's state after a POST: the proposal forms' `FormState`, plus the HTTP status. */
export interface ReviseFormState extends FormState {
  /** 200 preview, 422 not accepted, 429 too many sends, 503 the forge could not take it now. */
  status: number;
}

/** The proposal store's side of a revision, over the services' data layer. */
export function revisionStoreFor(services: Pick<ReviseServices, "data">): RevisionStore {
  const { data } = services;
  return {
    get: (id) => getProposalRecord(data, id),
    progress: (id) => progressStore(data, id),
    applyRevision: (id, from, revision, also) => applyRevision(data, id, from as ProposalStatus[], revision, also),
  };
}

/** The login of a visitor signed in with the forge's accounts (not a maintainer's token session). */
function accountLogin(viewer: { signedIn: boolean; kind?: string; login?: string }): string | null {
  return viewer.signedIn && viewer.kind !== "token" && viewer.login ? viewer.login : null;
}

function siteOrigin(services: Pick<ReviseServices, "env">, request: Request): string {
  return (services.env.PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, "");
}

export function reviseUrl(origin: string, id: string, key: string): string {
  return `${origin}/contributions/${encodeURIComponent(id)}/revise?key=${encodeURIComponent(key)}`;
}

/**
 * After a proposal is stored: its revise link's secret (shown once, on the status page the form
 * redirects to: this browser's list cookie carries it there, mine.server.ts) and, when it was sent
 * signed in with GitHub, that account. Returns the Set-Cookie header's value for the redirect.
 */
export async function grantRevision(services: Pick<ReviseServices, "data" | "auth">, request: Request, id: string): Promise<string> {
  const access = createReviseAccess(services.data);
  const now = Date.now();
  const viewer = await services.auth.viewer(request);
  const login = accountLogin(viewer);
  if (login) await access.grantGitHub(id, login, now);
  const secret = await access.mintLink(id, now);
  return rememberProposal(request, id, secret);
}

export interface ReviseSection {
  /** The contributor hears about each step by mail (an address was given and mail is configured). */
  mailed: boolean;
  /** The proposal may be revised now (in review, or changes requested). */
  revisable: boolean;
  /** The revise link, shown this once right after sending. */
  onceLink?: string;
  /** The visitor is signed in with the GitHub account that sent it: a plain link to the form. */
  signedInLink?: string;
}

/** For the status page: the "Revise" section and the header that forgets the once-shown link. */
export async function reviseSection(
  services: ReviseServices,
  request: Request,
  proposal: { id: string; status: string },
): Promise<{ section: ReviseSection; headers: Record<string, string> }> {
  const id = proposal.id;
  const headers: Record<string, string> = {};
  const record = await getProposalRecord(services.data, id);
  const mailed = Boolean(services.notifications?.enabled && record?.contributor.email);
  const section: ReviseSection = { mailed, revisable: revisionRefusal(proposal.status) === null };
  const once = takeOnceSecret(request, id);
  const access = createReviseAccess(services.data);
  if (once.secret && once.setCookie) {
    headers["Set-Cookie"] = once.setCookie;
    if ((await access.check(id, { key: once.secret })) === "link") section.onceLink = reviseUrl(siteOrigin(services, request), id, once.secret);
  }
  const viewer = await services.auth.viewer(request);
  const login = accountLogin(viewer);
  if (section.revisable && login && (await access.check(id, { login })) === "account") {
    section.signedInLink = `/contributions/${encodeURIComponent(id)}/revise`;
  }
  return { section, headers };
}

async function authorise(services: ReviseServices, request: Request, id: string, key: string | null): Promise<{ userToken?: string }> {
  const viewer = await services.auth.viewer(request);
  const how = await createReviseAccess(services.data).check(id, { key, login: accountLogin(viewer) });
  if (!how) {
    throw new Response(
      key
        ? "This revise link is not valid for this proposal. Use the link you were given when you sent it, or the one in the latest e-mail about it."
        : "Only the contributor can revise this proposal: open the revise link you were given when you sent it (it is also in the e-mail about the maintainers' comment), or sign in with the GitHub account you sent it with.",
      { status: 403 },
    );
  }
  return viewer.githubToken ? { userToken: viewer.githubToken } : {};
}

async function revisable(store: RevisionStore, id: string) {
  const p = await store.get(id);
  if (!p) throw new Response("No such proposal", { status: 404 });
  const refused = revisionRefusal(p.status);
  if (refused) throw new Response(refused.message, { status: refused.status });
  return p;
}

/** The revise form's page: the current version, for its contributor only. */
export async function revisePage(services: ReviseServices, store: RevisionStore, request: Request, id: string) {
  const key = new URL(request.url).searchParams.get("key");
  await authorise(services, request, id, key);
  const p = await revisable(store, id);
  const versions = await createProposalVersions(services.data).latest(id);
  return {
    proposal: { id: p.id, kind: p.kind, title: p.title, status: p.status, version: versions },
    values: revisionFormValues(p),
    questionFields: p.kind === "question" || (p.kind === "edit" && typeof p.fields.title === "string"),
    tags: services.store.content.tags.map((t) => ({ id: t.id, label: t.label, description: t.description })),
    submissionKey: randomBytes(12).toString("base64url"),
  };
}

/** A POST of the revise form: preview, or the revision (then back to the status page). */
export async function handleRevisePost(
  services: ReviseServices,
  store: RevisionStore,
  request: Request,
  context: { clientIp?: string } | undefined,
  id: string,
): Promise<{ redirect: string } | ReviseFormState> {
  assertSameOrigin(request);
  const key = new URL(request.url).searchParams.get("key");
  const { userToken } = await authorise(services, request, id, key);
  const p = await revisable(store, id);
  const values = { ...formDataToObject((await request.formData()).entries()), ...fixedRevisionValues(p) };
  const intent = values.intent;
  delete values.intent;
  const client = clientAddress(request, context);
  const allowed = intent === "preview" ? await services.previewLimiter.attempt(client) : await services.sendLimiter.attempt(client);
  if (!allowed.allowed) {
    return {
      values,
      fieldErrors: { [FORM_ERRORS]: [`Too many sends in a short time: wait ${allowed.retryAfterSeconds} s and send again — everything you typed is still here.`] },
      warnings: {},
      findings: [],
      previewOnly: intent === "preview",
      retryAfterSeconds: allowed.retryAfterSeconds,
      status: 429,
    };
  }
  if (intent === "preview") return { values, fieldErrors: {}, warnings: {}, findings: [], preview: previewProposal(services.store, values), previewOnly: true, status: 200 };
  try {
    const result = await reviseProposal(id, values, {
      store,
      versions: createProposalVersions(services.data),
      forge: services.forge,
      content: services.store.content,
      contentFiles: services.store.contentFiles,
      liveCheck: services.store,
      template: services.template,
      ...(services.env.PUBLIC_URL ? { siteUrl: services.env.PUBLIC_URL.replace(/\/+$/, "") } : {}),
      ...(userToken ? { userToken } : {}),
    });
    if (result.ok) return { redirect: `/contributions/${encodeURIComponent(id)}` };
    return {
      values,
      fieldErrors: result.fieldErrors,
      warnings: result.warnings,
      findings: result.findings,
      preview: previewProposal(services.store, values),
      previewOnly: false,
      status: 422,
    };
  } catch (error) {
    if (!(error instanceof RevisionRefused)) throw error;
    // The forge could not take it just now: everything typed stays in the form.
    if (error.status === 503) return { values, fieldErrors: { [FORM_ERRORS]: [error.message] }, warnings: {}, findings: [], previewOnly: false, status: 503 };
    throw new Response(error.message, { status: error.status });
  }
}
