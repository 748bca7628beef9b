/**
 * Revising a proposal after review ("changes requested"): who may, every
 * version it had, and the revision itself.
 *
 * Owns two tables on the data layer (SQLite or PostgreSQL):
 *
 *   proposal_revise_access  who may revise: the holder of a revise link — only the SHA-256 of its secret is
 *                           stored, the link is shown once after sending and put in the changes-requested mail —
 *                           or the GitHub account that sent the proposal signed in
 *   proposal_versions       every version of a revised proposal (1: as first sent), with its files
 *
 * A revision is refused once the proposal is merged or closed (409), and while
 * it is still being delivered; it runs the same validation and content check
 * as a new proposal; it goes to the forge first (GitHub: a new commit on the
 * same branch and pull request), then the proposal takes it — files, title,
 * status back to "in review", event `revised` — together with its version row,
 * in one transaction.
 */
import { createHash, randomBytes } from "node:crypto";
import type { DataLayer } from "~/modules/db/data.server";
import type { DataSchema } from "~/modules/db/schema";
import { fileDiffs, type FileDiff } from "~/modules/diff/file-diff";
import { ForgeError } from "~/modules/forge/errors";
import type { DeliverableProposal, Forge, ProgressStore, ProposalFile } from "~/modules/forge/types";
import type { Kysely } from "kysely";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { checkProposal, type LiveCheck } from "./check";
import { proposalFingerprint } from "./fingerprint.server";
import { ProposalRefused, type ContentIndex } from "./files";
import { proposalSummary, pullRequestTitle, renderPullRequestBody, statusUrl } from "./pull-request";
import { fixedRevisionValues, revisionFiles, sameFiles } from "./revise";
import { FORM_ERRORS, parseProposalInput, type FieldErrors, type ProposalInput } from "./schema";

type Executor = Kysely<DataSchema>;

/** The statuses a proposal may be revised in: waiting for review, or asked for changes. */
export const REVISABLE = new Set(["opened", "changes_requested"]);

export function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

// --- access ------------------------------------------------------------------

export interface ReviseAccess {
  /** A new revise link secret for the proposal (its hash is stored; the secret is returned once). */
  mintLink(proposalId: string, now: number, executor?: Executor): Promise<string>;
  /** The GitHub account that sent the proposal signed in may revise it. */
  grantGitHub(proposalId: string, login: string, now: number): Promise<void>;
  /** How this visitor may revise the proposal, if at all. */
  check(proposalId: string, who: { key?: string | null; login?: string | null }): Promise<"link" | "account" | null>;
}

export function createReviseAccess(data: Pick<DataLayer, "db">): ReviseAccess {
  const { db } = data;
  return {
    async mintLink(proposalId, now, executor = db) {
      const secret = randomBytes(32).toString("base64url");
      await executor
        .insertInto("proposal_revise_access")
        .values({
          proposal_id: proposalId,
          kind: "link",
          value: sha256Hex(secret),
          created_at: now,
        })
        .execute();
      return secret;
    },
    async grantGitHub(proposalId, login, now) {
      await db
        .insertInto("proposal_revise_access")
        .values({
          proposal_id: proposalId,
          kind: "github",
          value: login.toLowerCase(),
          created_at: now,
        })
        .onConflict((oc) => oc.columns(["proposal_id", "kind", "value"]).doNothing())
        .execute();
    },
    async check(proposalId, who) {
      const key = who.key?.trim();
      if (key && /^[A-Za-z0-9_-]{20,100}$/.test(key)) {
        const row = await db
          .selectFrom("proposal_revise_access")
          .select("kind")
          .where("proposal_id", "=", proposalId)
          .where("kind", "=", "link")
          .where("value", "=", sha256Hex(key))
          .executeTakeFirst();
        if (row) return "link";
      }
      if (who.login) {
        const row = await db
          .selectFrom("proposal_revise_access")
          .select("kind")
          .where("proposal_id", "=", proposalId)
          .where("kind", "=", "github")
          .where("value", "=", who.login.toLowerCase())
          .executeTakeFirst();
        if (row) return "account";
      }
      return null;
    },
  };
}

// --- versions ----------------------------------------------------------------

export interface ProposalVersion {
  version: number;
  title: string;
  fields: Record<string, unknown>;
  files: ProposalFile[];
  commitSha: string | null;
  createdAt: string;
}

export interface VersionDiff {
  /** The version shown, and the one it is compared with. */
  version: number;
  previous: number;
  createdAt: string;
  diffs: FileDiff[];
}

export interface ProposalVersions {
  /** Every version, oldest first (none for a proposal never revised). */
  list(proposalId: string): Promise<ProposalVersion[]>;
  /** The newest version's number (1 for a proposal never revised). */
  latest(proposalId: string): Promise<number>;
  /** Each revision against the version before it, newest first (the review screen's "revised"). */
  diffs(proposalId: string): Promise<VersionDiff[]>;
}

export function createProposalVersions(data: Pick<DataLayer, "db">): ProposalVersions {
  const { db } = data;
  async function list(proposalId: string): Promise<ProposalVersion[]> {
    const rows = await db.selectFrom("proposal_versions").selectAll().where("proposal_id", "=", proposalId).orderBy("version").execute();
    return rows.map((r) => ({
      version: Number(r.version),
      title: r.title,
      fields: JSON.parse(r.fields) as Record<string, unknown>,
      files: JSON.parse(r.files) as ProposalFile[],
      commitSha: r.commit_sha,
      createdAt: r.created_at,
    }));
  }
  return {
    list,
    async latest(proposalId) {
      const row = await db
        .selectFrom("proposal_versions")
        .select((eb) => eb.fn.max("version").as("v"))
        .where("proposal_id", "=", proposalId)
        .executeTakeFirst();
      return row?.v === null || row?.v === undefined ? 1 : Number(row.v);
    },
    async diffs(proposalId) {
      const versions = await list(proposalId);
      const out: VersionDiff[] = [];
      for (let i = versions.length - 1; i >= 1; i--) {
        const v = versions[i]!;
        const before = versions[i - 1]!;
        const base = [
          ...before.files,
          ...v.files.filter((f) => !before.files.some((b) => b.path === f.path)).map((f) => ({ path: f.path, content: null })),
        ];
        out.push({
          version: v.version,
          previous: before.version,
          createdAt: v.createdAt,
          diffs: fileDiffs(v.files, [], base),
        });
      }
      return out;
    },
  };
}

/**
 * Records version `version` of a revision in the caller's transaction; the first revision (2) also
 * records the version it replaces (1, as first sent). A concurrent revision that took the same number
 * fails on the primary key, and its transaction with it.
 */
export async function recordVersion(
  executor: Executor,
  proposalId: string,
  version: number,
  previous: Omit<ProposalVersion, "version">,
  next: Omit<ProposalVersion, "version">
): Promise<void> {
  const insert = (n: number, v: Omit<ProposalVersion, "version">) =>
    executor
      .insertInto("proposal_versions")
      .values({
        proposal_id: proposalId,
        version: n,
        title: v.title,
        fields: JSON.stringify(v.fields),
        files: JSON.stringify(v.files),
        commit_sha: v.commitSha,
        created_at: v.createdAt,
      })
      .execute();
  if (version === 2) await insert(1, previous);
  await insert(version, next);
}

// --- the revision ------------------------------------------------------------

/** A revision refused for a reason the contributor can read (shown on the page, with this status). */
export class RevisionRefused extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = "RevisionRefused";
  }
}

/** What the revision needs of the stored proposal (the proposal store's `Proposal` fits). */
export interface RevisableProposal {
  id: string;
  kind: DeliverableProposal["kind"];
  /** What the proposal is about (a new question's folder, the edited file…): part of its fingerprint. */
  target: string;
  slug: string;
  title: string;
  status: string;
  fields: Record<string, unknown>;
  files: ProposalFile[];
  contributor: DeliverableProposal["contributor"];
  commitSha: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the proposal takes from a revision. */
export interface StoredRevision {
  title: string;
  fields: Record<string, unknown>;
  files: ProposalFile[];
  contributor: DeliverableProposal["contributor"];
  prTitle: string;
  prBody: string;
  /** The revised content's fingerprint: a resend of the revision is the same proposal, a resend of the first version is not. */
  fingerprint: string;
  /** The timeline entry (`revised`). */
  detail: string;
  at: string;
}

/** The proposal store's side of a revision. */
export interface RevisionStore {
  get(id: string): Promise<RevisableProposal | undefined>;
  /** The forge's progress of the proposal (branch, pull request), saved as the forge goes. */
  progress(id: string): ProgressStore | Promise<ProgressStore>;
  /**
   * In one transaction, when the proposal is still in one of `from`: takes the revision (status back to
   * `opened`, event `revised`) and runs `also` (the version rows). False when the status moved on.
   */
  applyRevision(id: string, from: readonly string[], revision: StoredRevision, also: (executor: Executor) => Promise<void>): Promise<boolean>;
}

export interface ReviseContext {
  store: RevisionStore;
  versions: Pick<ProposalVersions, "latest">;
  forge: Pick<Forge, "revise" | "texts">;
  content: ContentIndex & { tags: ReadonlyArray<{ id: string }> };
  contentFiles: readonly ContentFile[];
  /** The site's live content check (the content store): only the revision's files are parsed. Without it, `contentFiles` are checked whole. */
  liveCheck?: LiveCheck;
  template: string;
  siteUrl?: string;
  /** The signed-in contributor's forge token (a pull request from their fork). */
  userToken?: string;
  now?: () => Date;
}

export type ReviseResult =
  | { ok: true; version: number }
  | {
      ok: false;
      fieldErrors: FieldErrors;
      findings: Finding[];
      warnings: FieldErrors;
    };

/** Why a proposal in this status cannot be revised (null: it can). */
export function revisionRefusal(status: string): RevisionRefused | null {
  if (REVISABLE.has(status)) return null;
  if (status === "merged")
    return new RevisionRefused(
      "This proposal was merged: it can no longer be revised. To change it now, suggest an edit of the published page.",
      409
    );
  if (status === "closed") return new RevisionRefused("This proposal was closed: it can no longer be revised. You may send a new proposal.", 409);
  return new RevisionRefused("This proposal is still on its way to the maintainers: it can be revised once it is in review.", 409);
}

/** The form values of the current version (the revise form is prefilled with them). */
export function revisionFormValues(p: RevisableProposal): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(p.fields)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.map(String);
  }
  values.kind = p.kind;
  values.name = p.contributor.name;
  if (p.contributor.github) values.github = p.contributor.github;
  if (p.contributor.email) values.email = p.contributor.email;
  return values;
}

function storedFields(input: ProposalInput, generated: { number?: number; answerId?: string }): Record<string, unknown> {
  const { licence: _licence, submissionKey: _key, name: _name, github: _github, email: _email, ...rest } = input;
  const fields: Record<string, unknown> = { ...rest, ...generated };
  delete fields.website;
  return fields;
}

/**
 * Revises the proposal `id` with the submitted form `raw`. Throws {@link RevisionRefused} when the
 * proposal cannot be revised (missing, merged, closed, not delivered yet, the forge refused it).
 */
export async function reviseProposal(id: string, raw: Record<string, unknown>, ctx: ReviseContext): Promise<ReviseResult> {
  const now = ctx.now?.() ?? new Date();
  const p = await ctx.store.get(id);
  if (!p) throw new RevisionRefused("No such proposal.", 404);
  const refused = revisionRefusal(p.status);
  if (refused) throw refused;

  const parsed = parseProposalInput(
    { ...raw, ...fixedRevisionValues(p) },
    ctx.content.tags.map((t) => t.id)
  );
  if (!parsed.ok)
    return {
      ok: false,
      fieldErrors: parsed.fieldErrors,
      findings: [],
      warnings: {},
    };
  const input = parsed.input;
  let built;
  try {
    built = revisionFiles(p, input, ctx.content);
  } catch (error) {
    if (error instanceof ProposalRefused)
      return {
        ok: false,
        fieldErrors: { [error.field]: [error.message] },
        findings: [],
        warnings: {},
      };
    throw error;
  }
  const contributor = {
    name: input.name,
    ...(input.github ? { github: input.github } : {}),
    ...(input.email ? { email: input.email } : {}),
  };
  const fields = storedFields(input, built.generated);
  const sameContributor = JSON.stringify(contributor) === JSON.stringify(p.contributor);
  if (sameFiles(built.files, p.files) && sameContributor && fields.note === p.fields.note) {
    return {
      ok: false,
      fieldErrors: {
        [FORM_ERRORS]: ["Nothing has changed: change the proposal before sending the revision."],
      },
      findings: [],
      warnings: {},
    };
  }
  // The same content check as a new proposal.
  const check = ctx.liveCheck
    ? await ctx.liveCheck.withCheck((live) => checkProposal(live, built.files, p.kind))
    : checkProposal(ctx.contentFiles, built.files, p.kind);
  if (!check.ok)
    return {
      ok: false,
      fieldErrors: check.fieldErrors,
      findings: check.findings,
      warnings: check.fieldWarnings,
    };

  const prTitle = pullRequestTitle(p.kind, built.questionTitle);
  const prBody = renderPullRequestBody(ctx.template, {
    id: p.id,
    kind: p.kind,
    summary: proposalSummary({
      kind: p.kind,
      questionTitle: built.questionTitle,
      number: built.generated.number,
      target: p.kind === "edit" ? built.files[0]?.path ?? p.slug : p.slug,
    }),
    contributor,
    files: built.files,
    statusUrl: statusUrl(p.id, ctx.siteUrl),
    note: input.note,
  });
  const deliverable: DeliverableProposal = {
    id: p.id,
    kind: p.kind,
    slug: p.slug,
    questionTitle: built.questionTitle,
    files: built.files,
    contributor,
    title: prTitle,
    body: prBody,
    createdAt: p.createdAt,
  };

  const version = (await ctx.versions.latest(id)) + 1;
  let commitSha: string | null = null;
  const progress = await ctx.store.progress(id);
  try {
    const result = await ctx.forge.revise(deliverable, progress, {
      previousFiles: p.files,
      version,
      ...(ctx.userToken ? { userToken: ctx.userToken } : {}),
    });
    commitSha = result.commitSha ?? null;
  } catch (error) {
    if (error instanceof ForgeError) {
      throw new RevisionRefused(
        error.kind === "rejected"
          ? error.message
          : `${ctx.forge.texts.name} could not take the revision just now (${error.message}). Nothing was changed: send it again in a moment.`,
        error.kind === "rejected" ? 409 : 503
      );
    }
    throw error;
  }

  const at = now.toISOString();
  const applied = await ctx.store.applyRevision(
    id,
    [...REVISABLE],
    {
      title: built.questionTitle,
      fields,
      files: built.files,
      contributor,
      prTitle,
      prBody,
      fingerprint: proposalFingerprint(p.kind, p.target, built.files, contributor),
      detail: `Revised by the contributor (version ${version}): waiting for review again.`,
      at,
    },
    async (executor) => {
      await recordVersion(
        executor,
        id,
        version,
        {
          title: p.title,
          fields: p.fields,
          files: p.files,
          commitSha: p.commitSha,
          createdAt: p.createdAt,
        },
        {
          title: built.questionTitle,
          fields,
          files: built.files,
          commitSha,
          createdAt: at,
        }
      );
    }
  );
  if (!applied) {
    const moved = await ctx.store.get(id);
    throw revisionRefusal(moved?.status ?? "closed") ?? new RevisionRefused("The proposal changed meanwhile: reload the page.", 409);
  }
  return { ok: true, version };
}
