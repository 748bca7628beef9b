/**
 * `POST /webhooks/github`: GitHub tells us about pushes and pull requests.
 *
 * Answers (GitHub shows them under the hook's "Recent deliveries"):
 *   503  no GITHUB_WEBHOOK_SECRET configured (webhooks are off; nothing is read)
 *   401  X-Hub-Signature-256 missing or not the HMAC of the body with the secret
 *   400  no event / delivery header, malformed JSON, or a payload without the fields we need
 *   200  handled (the body says what was done), also `ping` and `{ duplicate: true }` for a redelivery
 *   202  accepted but deliberately ignored (other event, other branch, other repository,
 *        a pull request that is not one of our proposals)
 *
 * Verification and bookkeeping happen inline; the git sync a push triggers
 * runs in the background (GitHub waits at most 10 s for an answer).
 * Delivery ids are remembered for 30 days (deliveries.server.ts: the data
 * layer, shared by every instance on PostgreSQL), so a redelivery — by GitHub
 * or by hand from its UI, to this instance or another — does no work twice,
 * across restarts too. Each id is claimed with one atomic insert.
 */
import { z } from "zod";
import type { ProposalData } from "~/modules/contributions/store.server";
import { verifyWebhookSignature } from "~/modules/forge/github/webhook.server";
import type { DeliveryStore } from "./deliveries.server";
import type { GitSync } from "./git.server";
import { consoleLog, errorMessage, type SyncLog } from "./log";
import {
  applyPullRequestState,
  findProposalForPullRequest,
  noteChangesRequested,
  notePullRequestUpdated,
  type StateUpdate,
} from "./proposals.server";

export interface WebhookContext {
  /** GITHUB_WEBHOOK_SECRET; webhooks are refused (503) without it. */
  secret: string | undefined;
  /** The data layer holding the proposals (pull_request events find theirs). */
  data: ProposalData;
  /** The delivery ids already handled. */
  deliveries: DeliveryStore;
  /**
   * The git sync. Pushes to the branch it follows (`followedBranch()`: CONTENT_BRANCH, or the checkout's
   * current branch) trigger it — one source of truth for "which branch is live". Without `followedBranch`,
   * or when the sync cannot tell (no checkout), the repository's default branch from the payload.
   * `enabled: false` (content sync is off): pushes are acknowledged and ignored.
   */
  sync: Pick<GitSync, "sync"> & Partial<Pick<GitSync, "followedBranch">> & { enabled?: boolean };
  /**
   * Tells the other instances that the content remote is at `head` (a push to the followed branch), so they
   * fetch at once, alongside this instance's own sync (decision 028).
   */
  announce?: (head: string) => void;
  /** `owner/name` of the content repository, when known: events of other repositories are ignored. */
  repository?: string;
  now?: () => number;
  log?: SyncLog;
}

export interface WebhookRequest {
  /** The raw body, exactly as received (the signature covers these bytes). */
  body: string;
  headers: Headers;
}

/** The pull request actions that refresh a proposal. */
export const PULL_REQUEST_ACTIONS = ["opened", "closed", "reopened", "synchronize", "labeled"] as const;

function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

const repositorySchema = z.object({ full_name: z.string().min(1) }).passthrough();

const pullRequestSchema = z
  .object({
    number: z.number().int().positive(),
    state: z.enum(["open", "closed"]),
    body: z.string().nullable().optional(),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
    merged_by: z.object({ login: z.string() }).passthrough().nullable().optional(),
    head: z.object({ ref: z.string() }).passthrough().optional(),
  })
  .passthrough();

const pushSchema = z
  .object({
    ref: z.string().min(1),
    after: z.string().optional(),
    deleted: z.boolean().optional(),
    repository: repositorySchema.extend({ default_branch: z.string().min(1) }),
  })
  .passthrough();

const pullRequestEventSchema = z
  .object({ action: z.string().min(1), pull_request: pullRequestSchema, repository: repositorySchema })
  .passthrough();

const reviewEventSchema = z
  .object({
    action: z.string().min(1),
    review: z
      .object({ state: z.string(), body: z.string().nullable().optional(), user: z.object({ login: z.string() }).passthrough().nullable().optional() })
      .passthrough(),
    pull_request: pullRequestSchema,
    repository: repositorySchema,
  })
  .passthrough();

type Plan =
  | { kind: "respond"; response: Response }
  | { kind: "act"; run: () => Record<string, unknown> | Promise<Record<string, unknown>> };

function ignore(reason: string): Plan {
  return { kind: "respond", response: json(202, { ignored: reason }) };
}

function invalid(event: string, error: z.ZodError): Plan {
  const fields = [...new Set(error.issues.map((i) => i.path.join(".") || "(payload)"))].join(", ");
  return { kind: "respond", response: json(400, { error: `The ${event} payload is missing or has invalid fields: ${fields}.` }) };
}

function sameRepository(ctx: WebhookContext, fullName: string): boolean {
  return !ctx.repository || ctx.repository.toLowerCase() === fullName.toLowerCase();
}

/** Decides what an event means; `act` plans run after the delivery is recorded. */
async function plan(event: string, payload: Record<string, unknown>, ctx: WebhookContext): Promise<Plan> {
  const now = ctx.now ?? Date.now;
  switch (event) {
    case "ping":
      return { kind: "act", run: () => ({ ok: true, event: "ping" }) };

    case "push": {
      const parsed = pushSchema.safeParse(payload);
      if (!parsed.success) return invalid(event, parsed.error);
      const p = parsed.data;
      if (!sameRepository(ctx, p.repository.full_name)) return ignore(`push to another repository (${p.repository.full_name})`);
      if (ctx.sync.enabled === false) return ignore("content sync is off on this site (local review queue without CONTENT_REMOTE)");
      const branch = (await ctx.sync.followedBranch?.()) ?? p.repository.default_branch;
      if (p.ref !== `refs/heads/${branch}`) return ignore(`push to ${p.ref}, not to refs/heads/${branch} (the branch the site follows)`);
      if (p.deleted) return ignore(`${p.ref} was deleted`);
      return {
        kind: "act",
        run: () => {
          // In the background: GitHub does not wait for a fetch. The sync never rejects.
          void ctx.sync.sync(`push ${p.after ? p.after.slice(0, 7) : ""}`.trim());
          if (p.after && !/^0+$/.test(p.after)) ctx.announce?.(p.after);
          return { ok: true, event: "push", sync: "started", branch };
        },
      };
    }

    case "pull_request": {
      const parsed = pullRequestEventSchema.safeParse(payload);
      if (!parsed.success) return invalid(event, parsed.error);
      const { action, pull_request: pr, repository } = parsed.data;
      if (!sameRepository(ctx, repository.full_name)) return ignore(`pull request of another repository (${repository.full_name})`);
      if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(action)) return ignore(`pull_request action ${action}`);
      const proposal = await findProposalForPullRequest(ctx.data, { number: pr.number, body: pr.body, headRef: pr.head?.ref });
      if (!proposal) return ignore(`pull request #${pr.number} is not a proposal of this site`);
      return {
        kind: "act",
        run: async () => {
          let update: StateUpdate;
          if (action === "synchronize") {
            update = await notePullRequestUpdated(ctx.data, proposal, pr.number, now());
          } else {
            const merged = pr.merged === true || (pr.merged_at ?? null) !== null;
            const state = pr.state === "open" ? "open" : merged ? "merged" : "closed";
            update = await applyPullRequestState(ctx.data, proposal, state, pr.number, now(), { mergedBy: pr.merged_by?.login });
          }
          return { ok: true, event: "pull_request", action, proposal: update.proposalId, status: update.status, changed: update.changed };
        },
      };
    }

    case "pull_request_review": {
      const parsed = reviewEventSchema.safeParse(payload);
      if (!parsed.success) return invalid(event, parsed.error);
      const { action, review, pull_request: pr, repository } = parsed.data;
      if (!sameRepository(ctx, repository.full_name)) return ignore(`review in another repository (${repository.full_name})`);
      if (action !== "submitted" || review.state.toLowerCase() !== "changes_requested") {
        return ignore(`pull_request_review ${action} (${review.state})`);
      }
      const proposal = await findProposalForPullRequest(ctx.data, { number: pr.number, body: pr.body, headRef: pr.head?.ref });
      if (!proposal) return ignore(`pull request #${pr.number} is not a proposal of this site`);
      return {
        kind: "act",
        run: async () => {
          const update = await noteChangesRequested(ctx.data, proposal, pr.number, now(), review.user?.login, review.body);
          return { ok: true, event, proposal: update.proposalId, status: update.status, changed: update.changed };
        },
      };
    }

    default:
      return ignore(`event ${event}`);
  }
}

function parsePayload(body: string, contentType: string): Record<string, unknown> | undefined {
  let text: string | null = body;
  // A hook configured with "application/x-www-form-urlencoded" sends `payload=<json>`.
  if (contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) text = new URLSearchParams(body).get("payload");
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Handles one webhook delivery and returns the response GitHub gets. */
export async function handleGitHubWebhook(request: WebhookRequest, ctx: WebhookContext): Promise<Response> {
  const log = ctx.log ?? consoleLog;
  const now = ctx.now ?? Date.now;
  if (!ctx.secret) {
    return json(503, { error: "Webhooks are disabled on this site: GITHUB_WEBHOOK_SECRET is not set on the server." });
  }
  const signature = request.headers.get("x-hub-signature-256");
  if (!signature) return json(401, { error: "The X-Hub-Signature-256 header is missing: configure the webhook with a secret." });
  let valid = false;
  try {
    valid = await verifyWebhookSignature(ctx.secret, request.body, signature);
  } catch {
    valid = false; // empty body: nothing can be signed
  }
  if (!valid) return json(401, { error: "The X-Hub-Signature-256 signature does not match: check the webhook secret." });

  const event = request.headers.get("x-github-event");
  const delivery = request.headers.get("x-github-delivery");
  if (!event) return json(400, { error: "The X-GitHub-Event header is missing." });
  if (!delivery) return json(400, { error: "The X-GitHub-Delivery header is missing." });
  const payload = parsePayload(request.body, request.headers.get("content-type") ?? "application/json");
  if (!payload) return json(400, { error: "The body is not a JSON object." });

  const decided = await plan(event, payload, ctx);
  if (decided.kind === "respond" && decided.response.status >= 400) return decided.response;

  // Claim the delivery id first, in one atomic insert: of identical deliveries racing (on this
  // instance or on others sharing the database) exactly one does the work; the rest are duplicates.
  if (!(await ctx.deliveries.claim(delivery, event, now()))) return json(200, { duplicate: true, delivery });

  if (decided.kind === "respond") {
    await ctx.deliveries.setOutcome(delivery, `ignored ${decided.response.status}`);
    return decided.response;
  }
  let outcome: Record<string, unknown>;
  try {
    outcome = await decided.run();
  } catch (error) {
    // Forget the id, so GitHub's redelivery can try again.
    await ctx.deliveries.release(delivery);
    log.error(`webhook ${event} ${delivery} failed: ${errorMessage(error)}`);
    return json(500, { error: "The webhook could not be handled; redeliver it once the problem is fixed.", delivery });
  }
  // The work is done: a failure to note its outcome must not undo the claim (nor answer 500).
  await ctx.deliveries.setOutcome(delivery, JSON.stringify(outcome)).catch((error: unknown) => {
    log.warn(`webhook ${event} ${delivery}: the outcome could not be recorded: ${errorMessage(error)}`);
  });
  return json(200, { ...outcome, delivery });
}
