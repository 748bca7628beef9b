/**
 * "Your proposals": the browser keeps the ids of the proposals it sent in a
 * cookie of `/contributions` (HttpOnly, a year), so `/contributions` lists them
 * with their status — without an account, without JavaScript, and without the
 * site keeping any list of who sent what. Clearing the browser's cookies
 * forgets the list (the status pages stay where they are).
 */
import { getProposalRecord, type ProposalData } from "./store.server";

const COOKIE = "dq_proposals";
/** The newest proposals kept (older ones drop off). */
export const MAX_REMEMBERED = 30;
const ENTRY = /^([a-z0-9]{6,40})(?:~([A-Za-z0-9_-]{20,100}))?$/;

interface Entry {
  id: string;
  secret?: string;
}

function cookieValue(request: Request): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return v.join("=");
  }
  return undefined;
}

function entries(request: Request): Entry[] {
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const part of (cookieValue(request) ?? "").split(".")) {
    const m = ENTRY.exec(part);
    if (!m || seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    out.push(m[2] ? { id: m[1]!, secret: m[2] } : { id: m[1]! });
  }
  return out.slice(0, MAX_REMEMBERED);
}

function setCookie(request: Request, list: Entry[]): string {
  const value = list
    .slice(0, MAX_REMEMBERED)
    .map((e) => (e.secret ? `${e.id}~${e.secret}` : e.id))
    .join(".");
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `${COOKIE}=${value}; Path=/contributions; Max-Age=${365 * 24 * 3600}; HttpOnly; SameSite=Lax${secure}`;
}

/** The ids this browser sent, newest first. */
export function rememberedIds(request: Request): string[] {
  return entries(request).map((e) => e.id);
}

/** The Set-Cookie header that adds `id` to this browser's list (with its revise-link secret, to be shown once). */
export function rememberProposal(request: Request, id: string, secret?: string): string {
  return setCookie(request, [secret ? { id, secret } : { id }, ...entries(request).filter((e) => e.id !== id)]);
}

/**
 * The revise-link secret the cookie carries for `id`, if any, and the Set-Cookie header that drops it
 * (the link is shown once).
 */
export function takeOnceSecret(request: Request, id: string): { secret?: string; setCookie?: string } {
  const list = entries(request);
  const entry = list.find((e) => e.id === id);
  if (!entry?.secret) return {};
  return { secret: entry.secret, setCookie: setCookie(request, list.map((e) => (e.id === id ? { id } : e))) };
}

export interface RememberedProposal {
  id: string;
  kind: "question" | "answer" | "edit";
  title: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** The proposals of this browser's list that still exist, newest first. */
export async function rememberedProposals(data: ProposalData, request: Request): Promise<RememberedProposal[]> {
  const found = await Promise.all(rememberedIds(request).map((id) => getProposalRecord(data, id)));
  return found.flatMap((p) =>
    p ? [{ id: p.id, kind: p.kind, title: p.title, status: p.status, createdAt: p.createdAt, updatedAt: p.updatedAt }] : []
  );
}
