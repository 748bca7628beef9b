/**
 * The review queue: what maintainers see and do, the same for every forge.
 *
 *   queue()            open changes (proposals, and hand-made pull requests on forges that have them), newest first
 *   detail(id)         one change rendered as the site will show it, its diff, the content check, similar questions
 *   merge(id)          merges through the forge; renumbers a question whose number was taken meanwhile
 *   requestChanges(id) with a comment
 *   close(id)          with a comment
 *
 * What differs between forges (where the queue and the files come from, check
 * runs, how a merge lands, whose identity acts) is behind the forge's review
 * interface (`app/modules/forge/types.ts`); this module never asks which
 * forge it is. Every action updates the proposal's status and adds an event,
 * which is what the contributor's status page (/contributions/<id>) shows.
 *
 * Actions on one change run one at a time across every instance (a named
 * lock per change: PostgreSQL advisory lock, or an in-process mutex on
 * SQLite), and merges run one at a time altogether (the "review-merge" lock):
 * a merge's renumbering and conflict checks see what the previous merge did,
 * and the local queue's content checkout has one writer.
 */
import { gitBlobHash } from "~/modules/git/blob.server";
import { contractFileOf, inContent, isQuestionFile, toRepoPath } from "~/modules/contract";
import { checkProposal, type LiveCheck } from "~/modules/contributions/check";
import { one } from "~/modules/contributions/form-values";
import { previewFromFiles, similarTo, type ContentSource } from "~/modules/contributions/preview.server";
import {
  addEvent,
  findProposalByChange,
  getEvents,
  getProposalRecord,
  recordRenumbering,
  setReviewStatus,
  type Proposal,
  type ProposalData,
} from "~/modules/contributions/store.server";
import { fileDiffs } from "~/modules/diff/file-diff";
import type { ChangeDetail, CheckRun, Forge, OpenChange, ProposalFile, ReviewOperations } from "~/modules/forge/types";
import { parseFrontMatter } from "~/modules/validation";
import { LockTimeoutError, type Locks } from "~/modules/db/locks.server";
import type { Finding } from "~/modules/validation/types";
import { summariseCheckRuns, summariseFindings, type CheckSummary } from "./checks";
import { decisionText, UNNAMED_MAINTAINER } from "~/modules/contributions/decisions";
import { patchToLines } from "./patch";
import { applyRenumbering, planRenumbering, questionNumberOf, withQuestionNumber, type Renumbering } from "./renumber";
import type { ActionOutcome, QueueItem, ReviewDetail, ReviewFile, ReviewKind } from "./types";

/** Who acts: a maintainer signed in with the token, or with their account on the forge. */
export interface Actor {
  /** The forge login (`mia`), or `maintainer` after token sign-in. */
  login: string;
  via: "token" | "forge";
  /** The name the maintainer gave at token sign-in (the timeline's "merged by"); none: `a maintainer`. */
  name?: string;
  /** The maintainer's own token on the forge: actions there are taken as them. */
  forgeToken?: string;
}

/** A refusal a maintainer can read (shown on the review page). */
export class ReviewRefused extends Error {
  constructor(
    message: string,
    readonly status = 409,
    /** The form field the refusal is about (shown next to it). */
    readonly field?: "comment",
  ) {
    super(message);
    this.name = "ReviewRefused";
  }
}

export interface ReviewServiceDeps {
  /** The data layer holding the proposals. */
  data: ProposalData;
  /** The content; with `withCheck` (the content store), a change is checked against its live check, parsing only the change's files. */
  store: ContentSource & Partial<LiveCheck>;
  /** The forge: its name (proposals record it), its texts and its review side. */
  forge: Pick<Forge, "name" | "texts" | "review">;
  /** Named locks shared by the instances (db/locks.server.ts); default: in this process only. */
  locks?: Pick<Locks, "withLock">;
  now?: () => number;
  log?: { warn(message: string): void };
}

/** One action at a time per name, in this process only (tests; a single instance). */
function processLocks(): Pick<Locks, "withLock"> {
  const tails = new Map<string, Promise<unknown>>();
  return {
    withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const next = (tails.get(name) ?? Promise.resolve()).then(fn, fn);
      const tail = next.catch(() => undefined);
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return next;
    },
  };
}

const OPEN = new Set(["opened", "changes_requested"]);
const MAX_COMMENT = 5000;

function contributorText(p: Proposal): string {
  return p.contributor.github ? `${p.contributor.name} (@${p.contributor.github})` : p.contributor.name;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What the checks found on one change, as it will be merged. */
interface Evaluation {
  plan: Renumbering[];
  /** The change's files with the renumbering applied. */
  shown: ProposalFile[];
  findings: Finding[];
  /** The forge's check runs: `[]` when it has none, undefined when they could not be read. */
  runs: CheckRun[] | undefined;
  summary: CheckSummary;
  /** Question files the change adds. */
  added: ProposalFile[];
}

export function createReviewService(deps: ReviewServiceDeps) {
  const { data, store, forge } = deps;
  const review = forge.review;
  const texts = forge.texts;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? { warn: (m: string) => console.warn(`[review] ${m}`) };
  const locks = deps.locks ?? processLocks();

  /**
   * Actions on one change run one at a time, on every instance (two maintainers clicking merge together
   * merge once); a merge also holds the one merge lock.
   */
  async function serial<T>(id: string, fn: () => Promise<T>, options: { merge?: boolean } = {}): Promise<T> {
    const run = options.merge ? () => locks.withLock("review-merge", fn) : fn;
    try {
      return await locks.withLock(`review:${forge.name}:${id}`, run);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw new ReviewRefused(error.message, 409);
      throw error;
    }
  }

  /** The content check's findings on a change (what it adds to the content's own findings). */
  async function check(files: readonly ProposalFile[], kind: Proposal["kind"]): Promise<Finding[]> {
    const own = files.filter((f) => inContent(f.path));
    if (own.length === 0) return [];
    if (store.withCheck) return (await store.withCheck((live) => checkProposal(live, own, kind))).findings;
    return checkProposal(store.contentFiles, own, kind).findings;
  }

  function duplicates(title: string, body: string, kind: ReviewKind, excludeSlug?: string) {
    if (kind === "answer") return [];
    return similarTo(store.content, title, body, excludeSlug);
  }

  /**
   * "Is it already here?" for a proposed new question: never for an edit (its question is here, by
   * definition) or an answer, and never the question itself (once merged, it is in the index too).
   */
  function proposalDuplicates(p: Proposal) {
    if (p.kind !== "question") return [];
    return duplicates(p.title, one(p.fields, "body"), p.kind, p.slug);
  }

  /** Question numbers of the content folder: repository path → number. */
  function localNumbers(): Map<string, number> {
    return new Map(store.content.questions.map((q) => [toRepoPath(q.path), q.number]));
  }

  /** Question numbers by repository path and blob, for one content version (hashing every question file is done once per snapshot, not per queue). */
  let known: { version: string; bySha: Map<string, number> } | undefined;

  /** The number of a question file the site has too, when the blob is the same (the forge need not fetch it). */
  function knownNumber(): (path: string, sha: string) => number | undefined {
    const version = store.content.version;
    if (known?.version !== version) {
      const bySha = new Map<string, number>();
      const byPath = new Map(store.content.questions.map((q) => [q.path, q.number]));
      for (const f of store.contentFiles) {
        const n = byPath.get(f.path);
        // The content store knows each file's blob (`hash`): no file is read for it.
        if (n !== undefined) bySha.set(`${toRepoPath(f.path)}\0${"hash" in f && typeof f.hash === "string" ? f.hash : gitBlobHash(f.bytes)}`, n);
      }
      known = { version, bySha };
    }
    const { bySha } = known;
    return (path, sha) => bySha.get(`${path}\0${sha}`);
  }

  function itemOfProposal(p: Proposal, check: CheckSummary, extra: Partial<QueueItem> = {}): QueueItem {
    return {
      id: p.id,
      kind: p.kind,
      title: p.title,
      contributor: contributorText(p),
      createdAt: p.createdAt,
      status: p.status,
      ...(p.prNumber !== null ? { number: p.prNumber } : {}),
      ...(p.prUrl && !p.prUrl.startsWith("/") ? { url: p.prUrl } : {}),
      check,
      duplicates: proposalDuplicates(p),
      ...extra,
    };
  }

  /**
   * The forge as the actor: a maintainer signed in with the forge acts with their own token (the forge shows
   * who did it); a maintainer signed in with the token acts as the site's identity there (the page says so).
   * A forge sign-in without a token never silently falls back to the site's identity.
   */
  function acting(actor: Actor): ReviewOperations & { actingAs?: "maintainer" | "site" } {
    if (actor.via === "forge" && !actor.forgeToken) {
      throw new ReviewRefused(`Your ${texts.name} sign-in has no token the site can act with: sign out and sign in with ${texts.name} again.`, 403);
    }
    return review.as(actor);
  }

  /** Resolves an id to its proposal and/or change number. `pr-<n>`: a change of the forge's queue not made by the form. */
  async function resolve(id: string): Promise<{ proposal?: Proposal; number: number }> {
    const missing = () => new ReviewRefused("There is no such change in the review queue.", 404);
    const pr = /^pr-(\d{1,9})$/.exec(id);
    if (pr) {
      if (!review.foreignChanges) throw missing();
      const number = Number(pr[1]);
      // A form proposal reached by its change number still gets its status updated.
      const proposal = await findProposalByChange(data, forge.name, number);
      return proposal ? { proposal, number } : { number };
    }
    const proposal = await getProposalRecord(data, id);
    if (!proposal || proposal.forge !== forge.name || proposal.prNumber === null) throw missing();
    return { proposal, number: proposal.prNumber };
  }

  function siteUrlOf(p: Proposal | undefined): string | undefined {
    return p && p.status === "merged" ? `/q/${p.slug}` : undefined;
  }

  async function readRuns(ops: ReviewOperations, head: string, number: number): Promise<CheckRun[] | undefined> {
    if (!ops.checkRuns) return [];
    return ops.checkRuns(head).catch((error: unknown) => {
      log.warn(`check runs of #${number}: ${(error as Error).message}`);
      return undefined;
    });
  }

  /** The forge's check runs summarised, or — on a forge without CI — the site's content check. */
  function summary(ops: ReviewOperations, runs: CheckRun[] | undefined, findings: () => Finding[]): CheckSummary {
    if (!ops.checkRuns) return summariseFindings(findings());
    return runs ? summariseCheckRuns(runs) : { state: "none", text: "Checks could not be read" };
  }

  /**
   * The queue's check of one change: the very summary its review screen shows. On a forge with CI that
   * is its check runs (the change's files are not fetched for the queue); otherwise the site's content
   * check of the change as it would be merged now (`evaluate`: renumbered when its number was taken
   * meanwhile — checking the files as sent instead found a "duplicate number" the merge never makes).
   */
  async function checkOf(ops: ReviewOperations, change: OpenChange, p: Proposal | undefined): Promise<CheckSummary> {
    if (ops.checkRuns) return summary(ops, await readRuns(ops, change.head, change.number), () => []);
    return (await evaluate(ops, await ops.change(change.number), p)).summary;
  }

  /** Renumbering, content check and check runs of a change as it would be merged now. */
  async function evaluate(ops: ReviewOperations, change: ChangeDetail, p: Proposal | undefined): Promise<Evaluation> {
    const open = change.state === "open";
    const added = change.contents.filter((f) => isQuestionFile(f.path) && change.files.some((c) => c.path === f.path && c.status === "added"));
    let plan: Renumbering[] = [];
    if (open && added.length > 0) {
      const existing = ops.questionNumbers ? await ops.questionNumbers(change, knownNumber()).catch(() => localNumbers()) : localNumbers();
      plan = planRenumbering(added, existing);
    }
    const shown = applyRenumbering(change.contents, plan);
    const findings = await check(shown, p?.kind ?? "edit");
    const runs = await readRuns(ops, change.head, change.number);
    return { plan, shown, findings, runs, summary: summary(ops, runs, () => findings), added };
  }

  /**
   * Why a change may not be merged from the site, or undefined when it may. The page and the merge
   * itself ask the same question: nothing the forge refuses (files outside content/, a conflict with
   * what was merged meanwhile), no error from the content check (run here, on the change as it will be
   * merged), and no failed check run on the forge.
   */
  function mergeBlock(change: ChangeDetail, e: Evaluation): string | undefined {
    if (change.blocked) return change.blocked;
    const errors = e.findings.filter((f) => f.severity === "error").length;
    if (errors > 0) return `The content check found ${errors} error${errors === 1 ? "" : "s"}: they must be fixed before a merge.`;
    if (!e.runs) return `${texts.name}'s checks of this ${texts.change} could not be read, so it cannot be merged from here now. Try again in a moment.`;
    const runs = summariseCheckRuns(e.runs);
    if (runs.state === "failure") return `A check on ${texts.name} failed — ${runs.text}: it must pass before a merge.`;
    return undefined;
  }

  // --- reading -----------------------------------------------------------

  async function queue(actor: Actor): Promise<QueueItem[]> {
    const ops = acting(actor);
    const open = await ops.listOpen();
    const items = await mapLimit(open, 4, async (change): Promise<QueueItem> => {
      const p = change.proposalId ? await getProposalRecord(data, change.proposalId) : undefined;
      const mine = p && p.prNumber === change.number ? p : undefined;
      const checked = await checkOf(ops, change, mine);
      if (mine) {
        return itemOfProposal(mine, checked, {
          number: change.number,
          ...(change.url ? { url: change.url } : {}),
          status: OPEN.has(mine.status) ? mine.status : "opened",
        });
      }
      const title = change.title.replace(/^(Question|Answer|Edit):\s*/, "").replace(/[\u2066-\u2069]/g, "");
      return {
        id: `pr-${change.number}`,
        kind: "pull-request",
        title: change.title,
        contributor: change.author ? `@${change.author}` : "unknown",
        createdAt: change.createdAt,
        status: "opened",
        number: change.number,
        ...(change.url ? { url: change.url } : {}),
        check: checked,
        duplicates: /^Question:/.test(change.title) ? duplicates(title, "", "question") : [],
      };
    });
    // Newest first, by time (GitHub's seconds and the proposals' milliseconds do not compare as text); ties: higher number first.
    return items.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (b.number ?? 0) - (a.number ?? 0));
  }

  /** The changed files' diff lines: the forge's own patch when it gives one, else the file against the content as it is. */
  function filesOf(change: ChangeDetail, shown: readonly ProposalFile[]): ReviewFile[] {
    const computed = new Map(fileDiffs(shown, store.contentFiles).map((d) => [d.path, d.lines]));
    return change.files.map((f) => ({ path: f.path, status: f.status, lines: f.patch !== undefined ? patchToLines(f.patch) : (computed.get(f.path) ?? []) }));
  }

  async function detail(id: string, actor: Actor): Promise<ReviewDetail> {
    const { proposal: p, number } = await resolve(id);
    const ops = acting(actor);
    const change = await ops.change(number);
    const open = change.state === "open";
    const e = await evaluate(ops, change, p);
    const blocked = open ? mergeBlock(change, e) : undefined;
    const item: QueueItem = p
      ? itemOfProposal(p, e.summary, { number, ...(change.url ? { url: change.url } : {}) })
      : {
          id,
          kind: "pull-request",
          title: change.title,
          contributor: change.author ? `@${change.author}` : "unknown",
          createdAt: change.createdAt,
          status: change.state === "merged" ? "merged" : open ? "opened" : "closed",
          number,
          ...(change.url ? { url: change.url } : {}),
          check: e.summary,
          duplicates: [],
        };
    const similar = p
      ? proposalDuplicates(p)
      : e.added.flatMap((f) => {
          const fm = parseFrontMatter(f.content);
          if ("error" in fm) return [];
          const title = (fm.data as { title?: unknown } | null)?.title;
          return typeof title === "string" ? duplicates(title, fm.body, "question", contractFileOf(f.path)?.slug) : [];
        });
    return {
      item: { ...item, duplicates: similar },
      forge: {
        name: texts.name,
        changeLabel: texts.changeLabel,
        renumbering: texts.renumbering,
        mergeHint: texts.mergeHint(ops.actingAs),
        ...(ops.actingAs && texts.actingNote ? { actingNote: texts.actingNote(ops.actingAs) } : {}),
      },
      preview: previewFromFiles(store, e.shown),
      files: filesOf(change, e.shown),
      findings: e.findings,
      checkRuns: e.runs ?? [],
      similar,
      ...(p && one(p.fields, "note").trim() ? { note: one(p.fields, "note").trim() } : {}),
      events: p ? await getEvents(data, p.id) : [],
      renumbering: e.plan.map(({ path, from, to }) => ({ path, from, to })),
      open,
      ...(ops.actingAs ? { actingAs: ops.actingAs } : {}),
      ...(blocked ? { mergeBlocked: blocked } : {}),
      ...(siteUrlOf(p) ? { siteUrl: siteUrlOf(p) } : {}),
    };
  }

  // --- acting ------------------------------------------------------------

  /** How the timeline names the maintainer: `@login` (forge sign-in), the name given at token sign-in, or `a maintainer`. */
  function who(actor: Actor): string {
    if (actor.via === "forge") return `@${actor.login}`;
    return actor.name?.trim() || UNNAMED_MAINTAINER;
  }

  async function record(p: Proposal | undefined, status: "merged" | "closed" | "changes_requested", detailText: string): Promise<void> {
    if (!p) return;
    const changed = await setReviewStatus(data, p.id, status, detailText, now());
    if (!changed) await addEvent(data, p.id, status === "changes_requested" ? "changes-requested" : status, detailText, new Date(now()).toISOString());
  }

  function requireOpenProposal(p: Proposal | undefined): void {
    if (p && !OPEN.has(p.status)) throw new ReviewRefused(`This proposal is ${p.status.replace("_", " ")}: there is nothing left to do.`);
  }

  /** A comment is required for both: the contributor reads it on their status page. */
  function cleanComment(comment: string | undefined, missing: string): string {
    const text = (comment ?? "").replace(/\r\n?/g, "\n").trim();
    if (text === "") throw new ReviewRefused(missing, 422, "comment");
    if (text.length > MAX_COMMENT) throw new ReviewRefused(`The comment is too long (at most ${MAX_COMMENT} characters).`, 422, "comment");
    return text;
  }

  function merge(id: string, actor: Actor): Promise<ActionOutcome> {
    return serial(id, async () => {
      const { proposal: p, number } = await resolve(id);
      requireOpenProposal(p);
      const ops = acting(actor);
      await ops.beforeMerge?.();
      const change = await ops.change(number);
      if (change.state !== "open") {
        const merged = change.state === "merged";
        if (p) await record(p, merged ? "merged" : "closed", merged ? `Merged as #${number}.` : `Closed without merging (#${number}).`);
        throw new ReviewRefused(`${capitalise(texts.change)} #${number} is ${change.state} already.`);
      }
      // The same conditions the page shows, checked again on what is merged now (the head may have moved).
      const e = await evaluate(ops, change, p);
      const blocked = mergeBlock(change, e);
      if (blocked) {
        const errors = change.blocked ? [] : e.findings.filter((f) => f.severity === "error");
        const detailText = errors.length > 0 ? ` ${errors.map((f) => f.message).join("; ")}` : "";
        throw new ReviewRefused(`${blocked}${detailText}`, errors.length > 0 ? 422 : 409);
      }
      const result = await ops.merge(number, {
        title: `${change.title} (#${number})`,
        ...(p ? { proposal: { id: p.id, contributor: p.contributor, progress: p.progress } } : {}),
        renumbered: e.plan.map((r) => ({
          path: r.path,
          content: r.content,
          message: `Renumber the question to ${r.to} (${r.from} was taken meanwhile)`,
          ...(change.files.find((f) => f.path === r.path)?.sha ? { sha: change.files.find((f) => f.path === r.path)!.sha! } : {}),
        })),
        head: change.head,
      });
      if (p && e.plan.length) {
        // Recorded once the merge succeeded: the contributor's page shows the merged text.
        const stored = p.files.map((f) => {
          const r = e.plan.find((x) => x.path === f.path);
          return r && questionNumberOf(f.content) !== undefined ? { ...f, content: withQuestionNumber(f.content, r.to) } : f;
        });
        await recordRenumbering(data, p.id, stored, e.plan, now());
      }
      const renumbered = e.plan.length ? ` The question was renumbered from ${e.plan[0]!.from} to ${e.plan[0]!.to}.` : "";
      const commit = result.commit ? result.commit.slice(0, 7) : undefined;
      await record(p, "merged", decisionText.merged(who(actor), number, { live: result.live, ...(commit ? { commit } : {}), renumbered }));
      const shownCommit = result.live && commit ? ` Commit ${commit}.` : "";
      return { action: "merge", message: `Merged #${number}.${renumbered}${shownCommit}${result.published ?? ""}` };
    }, { merge: true });
  }

  function requestChanges(id: string, actor: Actor, comment: string | undefined): Promise<ActionOutcome> {
    return serial(id, async () => {
      const text = cleanComment(comment, "Write a comment: tell the contributor what to change.");
      const { proposal, number } = await resolve(id);
      requireOpenProposal(proposal);
      await acting(actor).requestChanges(number, text);
      await record(proposal, "changes_requested", decisionText.changesRequested(who(actor), text));
      return { action: "request-changes", message: `Changes requested on #${number}.` };
    });
  }

  function close(id: string, actor: Actor, comment: string | undefined): Promise<ActionOutcome> {
    return serial(id, async () => {
      const text = cleanComment(comment, "Write a comment: tell the contributor why the change is closed without merging.");
      const { proposal, number } = await resolve(id);
      requireOpenProposal(proposal);
      await acting(actor).close(number, text);
      await record(proposal, "closed", decisionText.closed(who(actor), text));
      return { action: "close", message: `Closed #${number}.` };
    });
  }

  return { queue, detail, merge, requestChanges, close };
}

export type ReviewService = ReturnType<typeof createReviewService>;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
