/**
 * The review routes' server side: every loader and action starts with the
 * maintainer check (403 otherwise), actions also check the CSRF token and
 * the origin. Review pages are never cached.
 */
import { json, redirect } from "@remix-run/node";
import type { Maintainer } from "~/modules/auth/index.server";
import { ForgeError } from "~/modules/forge/errors";
import type { GitHubReviewForge } from "~/modules/forge/github.server";
import { createLocalReviewForge } from "~/modules/forge/local.server";
import { getServices, type Services } from "~/modules/server/services.server";
import { createReviewService, ReviewRefused, type Actor, type ReviewService } from "./service.server";
import type { ReviewAction } from "./types";

export const REVIEW_HEADERS = { "Cache-Control": "private, no-store" };

const services = new WeakMap<Services, ReviewService>();

export function reviewServiceFor(s: Services): ReviewService {
  let service = services.get(s);
  if (!service) {
    const backend =
      s.forgeConfig.kind === "github" && s.forge.review
        ? { kind: "github" as const, forge: s.forge.review as GitHubReviewForge }
        : {
            kind: "local" as const,
            forge: createLocalReviewForge({ db: s.db, contentDir: s.store.dir, reload: (paths) => s.store.reload(paths) }),
          };
    service = createReviewService({ db: s.db, store: s.store, backend, sync: s.sync });
    services.set(s, service);
  }
  return service;
}

function actorOf(m: Maintainer): Actor {
  return { login: m.login, kind: m.kind ?? "token", ...(m.githubToken ? { githubToken: m.githubToken } : {}) };
}

/** What the pages may know about the maintainer (never the GitHub token). */
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

/** Maps the service's refusals and GitHub errors to answers the page shows. */
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

export async function loadQueue(request: Request) {
  const s = await getServices();
  const m = await s.auth.requireMaintainer(request);
  try {
    const items = await reviewServiceFor(s).queue(actorOf(m));
    return json({ items, maintainer: publicMaintainer(m), forge: s.forge.name, error: null as string | null, now: Date.now() }, { headers: REVIEW_HEADERS });
  } catch (error) {
    if (!(error instanceof ForgeError)) throw error;
    return json(
      { items: [], maintainer: publicMaintainer(m), forge: s.forge.name, error: error.message, now: Date.now() },
      { status: 502, headers: REVIEW_HEADERS },
    );
  }
}

export async function loadDetail(request: Request, id: string) {
  const s = await getServices();
  const m = await s.auth.requireMaintainer(request);
  try {
    const detail = await reviewServiceFor(s).detail(id, actorOf(m));
    const done = new URL(request.url).searchParams.get("done");
    return json({ detail, maintainer: publicMaintainer(m), done }, { headers: REVIEW_HEADERS });
  } catch (error) {
    if (error instanceof ReviewRefused && error.status === 404) throw new Response(error.message, { status: 404, headers: REVIEW_HEADERS });
    if (error instanceof ForgeError) throw new Response(error.message, { status: 502, headers: REVIEW_HEADERS });
    throw error;
  }
}

const ACTIONS: readonly ReviewAction[] = ["merge", "request-changes", "close"];

export async function reviewAction(request: Request, id: string) {
  const s = await getServices();
  // Who is asking comes first: the body of a request that is not a maintainer's is never read.
  await s.auth.requireMaintainer(request);
  const form = await request.formData();
  const m = await s.auth.checkAction(request, form);
  const intent = form.get("intent");
  const comment = typeof form.get("comment") === "string" ? (form.get("comment") as string) : "";
  if (typeof intent !== "string" || !(ACTIONS as readonly string[]).includes(intent)) {
    return json({ error: "Unknown action.", field: null, intent: null, comment }, { status: 400, headers: REVIEW_HEADERS });
  }
  const review = reviewServiceFor(s);
  const actor = actorOf(m);
  try {
    if (intent === "merge") await review.merge(id, actor);
    else if (intent === "request-changes") await review.requestChanges(id, actor, comment);
    else await review.close(id, actor, comment);
  } catch (error) {
    return failure(error, { intent, comment });
  }
  return redirect(`/review/${encodeURIComponent(id)}?done=${intent}`, { status: 303, headers: REVIEW_HEADERS });
}

/** For the layout: who is signed in (or nothing), and the sign-in methods. */
export async function reviewViewer(request: Request) {
  const s = await getServices();
  const v = await s.auth.viewer(request);
  return {
    signedIn: v.signedIn,
    login: v.signedIn ? (v.kind === "github" ? `@${v.login}` : "maintainer") : null,
    maintainer: v.maintainer,
    csrf: v.csrf ?? null,
    signIn: s.auth.methods,
  };
}
