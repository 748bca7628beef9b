/**
 * The review routes' server side, with the services the routes got as
 * Remix's load context: every loader and action starts with the maintainer
 * check (403 otherwise), actions also check the CSRF token and the origin.
 * Review pages are never cached.
 */
import { json, redirect } from "@remix-run/node";
import type { Auth, Maintainer } from "~/modules/auth/index.server";
import { createProposalVersions } from "~/modules/contributions/revise.server";
import type { DataLayer } from "~/modules/db/data.server";
import { ForgeError } from "~/modules/forge/errors";
import type { Forge } from "~/modules/forge/types";
import { ReviewRefused, type Actor, type ReviewService } from "./service.server";
import type { ReviewAction } from "./types";

export const REVIEW_HEADERS = { "Cache-Control": "private, no-store" };

/** What the review pages need of the process's services (`context.services`). */
export interface ReviewServices {
  auth: Pick<Auth, "requireMaintainer" | "checkAction" | "viewer" | "methods">;
  review: ReviewService;
  forge: Pick<Forge, "texts">;
  /** The data layer: a revised proposal's versions. */
  data: Pick<DataLayer, "db">;
}

function actorOf(m: Maintainer): Actor {
  return m.kind === "token" || m.kind === undefined
    ? { login: m.login, via: "token", ...(m.signedInAs && m.signedInAs !== "maintainer" ? { name: m.signedInAs } : {}) }
    : { login: m.login, via: "forge", ...(m.githubToken ? { forgeToken: m.githubToken } : {}) };
}

/** What the pages may know about the maintainer (never the forge token). */
export interface PublicMaintainer {
  login: string;
  kind: "token" | "github";
  name: string | null;
  role?: string;
  csrf: string;
}

function publicMaintainer(m: Maintainer): PublicMaintainer {
  return { login: m.login, kind: m.kind ?? "token", name: m.name ?? null, ...(m.role ? { role: m.role } : {}), csrf: m.csrf };
}

/** Maps the service's refusals and the forge's errors to answers the page shows. */
function failure(error: unknown, extra: Record<string, unknown> = {}): Response {
  if (error instanceof ReviewRefused) {
    if (error.status === 404) throw new Response(error.message, { status: 404, headers: REVIEW_HEADERS });
    return json({ error: error.message, field: error.field ?? null, ...extra }, { status: error.status, headers: REVIEW_HEADERS });
  }
  if (error instanceof ForgeError) {
    return json({ error: error.message, field: null, ...extra }, { status: error.kind === "rejected" ? 409 : 502, headers: REVIEW_HEADERS });
  }
  throw error;
}

export async function loadQueue(s: ReviewServices, request: Request) {
  const m = await s.auth.requireMaintainer(request);
  const page = { maintainer: publicMaintainer(m), queueText: s.forge.texts.queue, now: Date.now() };
  try {
    const items = await s.review.queue(actorOf(m));
    return json({ items, ...page, error: null as string | null }, { headers: REVIEW_HEADERS });
  } catch (error) {
    if (!(error instanceof ForgeError)) throw error;
    return json({ items: [], ...page, error: error.message }, { status: 502, headers: REVIEW_HEADERS });
  }
}

export async function loadDetail(s: ReviewServices, request: Request, id: string) {
  const m = await s.auth.requireMaintainer(request);
  try {
    const detail = await s.review.detail(id, actorOf(m));
    const done = new URL(request.url).searchParams.get("done");
    // A proposal its contributor revised: each revision against the version before it, newest first.
    const revisions = await createProposalVersions(s.data).diffs(id);
    return json({ detail, maintainer: publicMaintainer(m), done, revisions }, { headers: REVIEW_HEADERS });
  } catch (error) {
    if (error instanceof ReviewRefused && error.status === 404) throw new Response(error.message, { status: 404, headers: REVIEW_HEADERS });
    if (error instanceof ForgeError) throw new Response(error.message, { status: 502, headers: REVIEW_HEADERS });
    throw error;
  }
}

const ACTIONS: readonly ReviewAction[] = ["merge", "request-changes", "close"];

export async function reviewAction(s: ReviewServices, request: Request, id: string) {
  // Who is asking comes first: the body of a request that is not a maintainer's is never read.
  await s.auth.requireMaintainer(request);
  const form = await request.formData();
  const m = await s.auth.checkAction(request, form);
  const intent = form.get("intent");
  const comment = typeof form.get("comment") === "string" ? (form.get("comment") as string) : "";
  if (typeof intent !== "string" || !(ACTIONS as readonly string[]).includes(intent)) {
    return json({ error: "Unknown action.", field: null, intent: null, comment }, { status: 400, headers: REVIEW_HEADERS });
  }
  // A merge publishes the change: the form asks to confirm it (a required box, so it works without JavaScript).
  if (intent === "merge" && form.get("confirm") !== "yes") {
    return json(
      { error: "Tick “I have read this change” to merge it: a merge publishes it on the site.", field: "confirm", intent, comment },
      { status: 422, headers: REVIEW_HEADERS },
    );
  }
  const actor = actorOf(m);
  try {
    if (intent === "merge") await s.review.merge(id, actor);
    else if (intent === "request-changes") await s.review.requestChanges(id, actor, comment);
    else await s.review.close(id, actor, comment);
  } catch (error) {
    return failure(error, { intent, comment });
  }
  return redirect(`/review/${encodeURIComponent(id)}?done=${intent}`, { status: 303, headers: REVIEW_HEADERS });
}

/** For the layout: who is signed in (or nothing), and the sign-in methods. */
export async function reviewViewer(s: ReviewServices, request: Request) {
  const v = await s.auth.viewer(request);
  return {
    signedIn: v.signedIn,
    login: v.signedIn ? (v.signedInAs ?? null) : null,
    maintainer: v.maintainer,
    csrf: v.csrf ?? null,
    signIn: s.auth.methods,
  };
}
