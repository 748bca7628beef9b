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
const ID = /^[a-z0-9]{6,40}$/;

function cookieValue(request: Request): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return v.join("=");
  }
  return undefined;
}

/** The ids this browser sent, newest first. */
export function rememberedIds(request: Request): string[] {
  const ids = (cookieValue(request) ?? "").split(".").filter((id) => ID.test(id));
  return [...new Set(ids)].slice(0, MAX_REMEMBERED);
}

/** The Set-Cookie header that adds `id` to this browser's list. */
export function rememberProposal(request: Request, id: string): string {
  const ids = [id, ...rememberedIds(request).filter((x) => x !== id)].slice(0, MAX_REMEMBERED);
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `${COOKIE}=${ids.join(".")}; Path=/contributions; Max-Age=${365 * 24 * 3600}; HttpOnly; SameSite=Lax${secure}`;
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
