/**
 * The review queue: what maintainers see and do.
 *
 *   queue()            open proposals (and, on GitHub, hand-made pull requests touching content/), newest first
 *   detail(id)         one change rendered as the site will show it, its diff, the content check, similar questions
 *   merge(id)          squash-merge (GitHub) or write + commit (local); renumbers a question whose number was taken
 *   requestChanges(id) with a comment (GitHub review REQUEST_CHANGES, or an event in the local queue)
 *   close(id)          with a comment
 *
 * Every action updates the proposal's status and adds an event, which is
 * what the contributor's status page (/contributions/<id>) shows. Actions run
 * one at a time.
 */
import { createHash } from "node:crypto";
import { questionPage, type LoadedContent } from "~/modules/content/index.server";
import { contentSnapshot } from "~/modules/content/snapshot";
import { checkProposal, toContentPath } from "~/modules/contributions/check";
import { parseEditPath } from "~/modules/contributions/files";
import { similarTo, type ProposalPreview } from "~/modules/contributions/preview.server";
import { addEvent, getEvents, getProposalRecord, setReviewStatus, type Proposal } from "~/modules/contributions/store.server";
import { proposalDiffs } from "~/modules/contributions/web.server";
import type { Database } from "~/modules/db/index.server";
import type { CheckRunInfo, GitHubChangedFile, GitHubReviewForge } from "~/modules/forge/github.server";
import type { LocalReviewForge } from "~/modules/forge/local.server";
import type { ProposalFile } from "~/modules/forge/types";
import { ForgeError } from "~/modules/forge/errors";
import { githubNoreplyEmail, NEUTRAL_CONTRIBUTOR_EMAIL } from "~/modules/forge/branch";
import { checkContent, parseContent, parseFrontMatter } from "~/modules/validation";
import type { ContentFile, Finding } from "~/modules/validation/types";
import { summariseCheckRuns, summariseFindings, type CheckSummary } from "./checks";
import { patchToLines } from "./patch";
import { applyRenumbering, isQuestionFile, planRenumbering, questionNumberOf, withQuestionNumber, type Renumbering } from "./renumber";
import { recordRenumbering } from "./store.server";
import type { ActionOutcome, QueueItem, ReviewDetail, ReviewFile, ReviewKind } from "./types";

/** Who acts: a maintainer signed in with the token, or with GitHub (their own token). */
export interface Actor {
  /** GitHub login, or `maintainer` after token sign-in. */
  login: string;
  kind: "token" | "github";
  /** The maintainer's GitHub token: actions on GitHub are taken as them. */
  githubToken?: string;
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

export interface ContentSource {
  readonly content: LoadedContent;
  readonly contentFiles: ContentFile[];
}

export type ReviewBackend = { kind: "local"; forge: LocalReviewForge } | { kind: "github"; forge: GitHubReviewForge };

export interface ReviewServiceDeps {
  db: Database;
  store: ContentSource;
  backend: ReviewBackend;
  /**
   * The content checkout's git sync. After a GitHub merge: fast-forward (the webhook would too).
   * Local queue, when the checkout follows a remote (`enabled`): fast-forward before a merge, push the
   * merge commit after it, so the checkout and the remote never diverge.
   */
  sync?: { sync(reason?: string): Promise<unknown>; enabled?: boolean; push?(reason?: string): Promise<{ pushed: boolean; error?: string }> };
  now?: () => number;
  log?: { warn(message: string): void };
}

const encoder = new TextEncoder();
const OPEN = new Set(["opened", "changes_requested"]);
const MAX_COMMENT = 5000;

function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function contributorText(p: Proposal): string {
  return p.contributor.github ? `${p.contributor.name} (@${p.contributor.github})` : p.contributor.name;
}

function one(v: unknown): string {
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "";
}

function slugOfPath(repoPath: string): string | undefined {
  return /^content\/questions\/([^/]+)\//.exec(repoPath)?.[1];
}

/** Renders changed files exactly as the site will: the content with the files applied, parsed like the site parses it, then the question page. */
export function previewFromFiles(content: LoadedContent, contentFiles: readonly ContentFile[], files: readonly ProposalFile[]): ProposalPreview | undefined {
  const own = new Map(files.filter((f) => f.path.startsWith("content/")).map((f) => [toContentPath(f.path), f.content]));
  const first = files.find((f) => slugOfPath(f.path));
  if (!first) return undefined;
  const slug = slugOfPath(first.path)!;
  const merged: ContentFile[] = contentFiles.filter((f) => !own.has(f.path));
  for (const [p, text] of own) merged.push({ path: p, bytes: encoder.encode(text) });
  const parsed = parseContent(merged);
  const q = parsed.questions.find((x) => x.slug === slug);
  if (!q) return undefined;
  const view: LoadedContent = { ...content, ...contentSnapshot(content.version, parsed.questions, parsed.tags) };
  const page = questionPage(view, q);
  const answerFile = files.map((f) => /\/answers\/([^/]+)\.md$/.exec(f.path)?.[1]).find(Boolean);
  return {
    question: page.question,
    tags: page.tags,
    answers: page.answers,
    ...(answerFile ? { focusAnswerId: answerFile } : {}),
    similar: [],
  };
}

export function createReviewService(deps: ReviewServiceDeps) {
  const { db, store, backend } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? { warn: (m: string) => console.warn(`[review] ${m}`) };
  let baseline: { version: string; findings: Finding[] } | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  /** Actions run one at a time (two maintainers clicking merge together merge once). */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  function baselineFindings(): Finding[] {
    const content = store.content;
    if (baseline?.version !== content.version) baseline = { version: content.version, findings: checkContent([...store.contentFiles]) };
    return baseline.findings;
  }

  function check(files: readonly ProposalFile[], kind: Proposal["kind"]): Finding[] {
    const own = files.filter((f) => f.path.startsWith("content/"));
    if (own.length === 0) return [];
    return checkProposal(store.contentFiles, own, kind, { baseline: baselineFindings() }).findings;
  }

  function duplicates(title: string, body: string, kind: ReviewKind, excludeSlug?: string) {
    if (kind === "answer") return [];
    return similarTo(store.content, title, body, excludeSlug);
  }

  function proposalDuplicates(p: Proposal) {
    if (p.kind === "answer") return [];
    if (p.kind === "edit" && /\/answers\//.test(p.target)) return [];
    return duplicates(p.title, one(p.fields.body), p.kind, p.kind === "edit" ? p.slug : undefined);
  }

  /** Question numbers of the content folder: repository path → number. */
  function localNumbers(): Map<string, number> {
    return new Map(store.content.questions.map((q) => [`content/${q.path}`, q.number]));
  }

  /** For GitHub: the number of a file the site has locally, when the blob is the same. */
  function knownNumber(): (path: string, sha: string) => number | undefined {
    const bySha = new Map<string, number>();
    const byPath = new Map(store.content.questions.map((q) => [q.path, q.number]));
    for (const f of store.contentFiles) {
      const n = byPath.get(f.path);
      if (n !== undefined) bySha.set(`content/${f.path}\0${gitBlobSha(f.bytes)}`, n);
    }
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
   * The forge as the actor: a maintainer signed in with GitHub acts with their own token (GitHub shows
   * who did it); a maintainer signed in with the token acts as the site's GitHub identity (the review
   * page says so). A GitHub sign-in without a token never silently falls back to the site's identity.
   */
  function github(actor: Actor): GitHubReviewForge {
    if (backend.kind !== "github") throw new Error("not a GitHub backend");
    if (actor.kind === "github") {
      if (!actor.githubToken) throw new ReviewRefused("Your GitHub sign-in has no token the site can act with: sign out and sign in with GitHub again.", 403);
      return backend.forge.asUser(actor.githubToken);
    }
    return backend.forge;
  }

  /** Resolves an id to its proposal and/or pull request number. */
  function resolve(id: string): { proposal?: Proposal; number: number } {
    const pr = /^pr-(\d{1,9})$/.exec(id);
    if (pr) {
      if (backend.kind !== "github") throw new ReviewRefused("There is no such change in the review queue.", 404);
      const number = Number(pr[1]);
      // A form proposal reached by its pull request number still gets its status updated.
      const row = db.prepare("SELECT id FROM proposals WHERE forge = 'github' AND pr_number = ? ORDER BY created_at DESC LIMIT 1").get(number) as
        | { id: string }
        | undefined;
      const proposal = row ? getProposalRecord(db, row.id) : undefined;
      return proposal ? { proposal, number } : { number };
    }
    const proposal = getProposalRecord(db, id);
    if (!proposal || proposal.forge !== backend.kind || proposal.prNumber === null) {
      throw new ReviewRefused("There is no such change in the review queue.", 404);
    }
    return { proposal, number: proposal.prNumber };
  }

  // --- reading -----------------------------------------------------------

  async function queue(actor: Actor): Promise<QueueItem[]> {
    if (backend.kind === "local") {
      const open = await backend.forge.listOpen();
      return open.flatMap((change) => {
        const p = change.proposalId ? getProposalRecord(db, change.proposalId) : undefined;
        if (!p) return [];
        return [itemOfProposal(p, summariseFindings(check(p.files, p.kind)))];
      });
    }
    const gh = github(actor);
    const open = await gh.listOpen();
    const items = await mapLimit(open, 4, async (change): Promise<QueueItem> => {
      const runs = await gh.checkRuns(change.headSha).catch((error: unknown) => {
        log.warn(`check runs of #${change.number}: ${(error as Error).message}`);
        return undefined;
      });
      const summary: CheckSummary = runs ? summariseCheckRuns(runs) : { state: "none", text: "Checks could not be read" };
      const p = change.proposalId ? getProposalRecord(db, change.proposalId) : undefined;
      if (p && p.prNumber === change.number) {
        return itemOfProposal(p, summary, { number: change.number, url: change.url, status: OPEN.has(p.status) ? p.status : "opened" });
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
        url: change.url,
        check: summary,
        duplicates: /^Question:/.test(change.title) ? duplicates(title, "", "question") : [],
      };
    });
    // Newest first, by time (GitHub's seconds and the proposals' milliseconds do not compare as text); ties: higher number first.
    return items.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (b.number ?? 0) - (a.number ?? 0));
  }

  async function detail(id: string, actor: Actor): Promise<ReviewDetail> {
    const { proposal, number } = resolve(id);
    if (backend.kind === "local") return localDetail(proposal!);
    return githubDetail(id, proposal, number, actor);
  }

  function siteUrlOf(p: Proposal | undefined): string | undefined {
    return p && p.status === "merged" ? `/q/${p.slug}` : undefined;
  }

  function localDetail(p: Proposal): ReviewDetail {
    const open = OPEN.has(p.status);
    const plan = open ? planRenumbering(p.files, localNumbers()) : [];
    const files = applyRenumbering(p.files, plan);
    const findings = check(files, p.kind);
    const blocked = open ? mergeConflict(p) ?? (findings.some((f) => f.severity === "error") ? "The content check found errors: they must be fixed before a merge." : undefined) : undefined;
    const diffs = proposalDiffs(files, store.contentFiles);
    return {
      item: itemOfProposal(p, summariseFindings(findings)),
      forge: "local",
      preview: previewFromFiles(store.content, store.contentFiles, files),
      files: diffs.map((d) => ({ path: d.path, status: d.isNew ? "added" : "modified", lines: d.lines })),
      findings,
      checkRuns: [],
      similar: proposalDuplicates(p),
      events: getEvents(db, p.id),
      renumbering: plan.map(({ path, from, to }) => ({ path, from, to })),
      open,
      ...(blocked ? { mergeBlocked: blocked } : {}),
      ...(siteUrlOf(p) ? { siteUrl: siteUrlOf(p) } : {}),
    };
  }

  /** Why a local proposal can no longer be merged as it is (something changed in the content meanwhile). */
  function mergeConflict(p: Proposal): string | undefined {
    const present = new Set(store.contentFiles.map((f) => `content/${f.path}`));
    for (const f of p.files) {
      try {
        parseEditPath(f.path);
      } catch {
        return `${f.path} is not a file of the content contract.`;
      }
      if (p.kind === "question" && store.content.bySlug.has(p.slug)) {
        return `A question in the folder "${p.slug}" was merged meanwhile: close this proposal, or ask the contributor to propose it again.`;
      }
      if (p.kind === "answer" && present.has(f.path)) return `${f.path} exists already: an answer with the same name was merged meanwhile.`;
      if (p.kind === "edit" && !present.has(f.path)) return `${f.path} no longer exists: the edited file was removed meanwhile.`;
    }
    return undefined;
  }

  async function headFiles(gh: GitHubReviewForge, pull: { headSha: string; headOwner: string; headRepo: string }, changed: GitHubChangedFile[]): Promise<ProposalFile[]> {
    const wanted = changed.filter((f) => f.status !== "removed" && f.path.startsWith("content/"));
    const texts = await mapLimit(wanted, 4, (f) => gh.fileText(f.path, pull.headSha, { owner: pull.headOwner, repo: pull.headRepo }));
    return wanted.flatMap((f, i) => (texts[i] === undefined ? [] : [{ path: f.path, content: texts[i]! }]));
  }

  /**
   * Why a pull request may not be merged from the site, or undefined when it may. The page and the
   * merge itself ask the same question: files only under content/, no error from the content check
   * (run here, on the change as it will be merged), and no failed check run on GitHub.
   */
  function githubMergeBlock(changed: readonly GitHubChangedFile[], findings: readonly Finding[], runs: readonly CheckRunInfo[] | undefined): string | undefined {
    const outside = outsideContent(changed);
    if (outside) return outside;
    const errors = findings.filter((f) => f.severity === "error").length;
    if (errors > 0) return `The content check found ${errors} error${errors === 1 ? "" : "s"}: they must be fixed before a merge.`;
    if (!runs) return "GitHub's checks of this pull request could not be read, so it cannot be merged from here now. Try again in a moment.";
    const summary = summariseCheckRuns(runs);
    if (summary.state === "failure") return `A check on GitHub failed — ${summary.text}: it must pass before a merge.`;
    return undefined;
  }

  /** The site merges content only: a pull request that also changes other files is merged on GitHub, by a person. */
  function outsideContent(changed: readonly GitHubChangedFile[]): string | undefined {
    const outside = [...new Set(changed.flatMap((f) => [f.path, ...(f.previousPath ? [f.previousPath] : [])]).filter((p) => !p.startsWith("content/")))];
    if (outside.length === 0) return undefined;
    const shown = outside.slice(0, 3).join(", ") + (outside.length > 3 ? ` and ${outside.length - 3} more` : "");
    return `This pull request changes files outside content/ (${shown}): the site only merges content. Review and merge it on GitHub.`;
  }

  async function githubDetail(id: string, p: Proposal | undefined, number: number, actor: Actor): Promise<ReviewDetail> {
    const gh = github(actor);
    const pull = await gh.pull(number);
    const [changed, runs] = await Promise.all([gh.diff(number), gh.checkRuns(pull.headSha).catch(() => undefined)]);
    const files = await headFiles(gh, pull, changed);
    const open = pull.state === "open";
    let plan: Renumbering[] = [];
    const added = files.filter((f) => isQuestionFile(f.path) && changed.some((c) => c.path === f.path && c.status === "added"));
    if (open && added.length > 0) {
      const existing = await gh.questionNumbers(pull.baseRef, knownNumber()).catch(() => localNumbers());
      plan = planRenumbering(added, existing);
    }
    const shown = applyRenumbering(files, plan);
    const kind: ReviewKind = p?.kind ?? "pull-request";
    const findings = check(shown, p?.kind ?? "edit");
    const summary: CheckSummary = runs ? summariseCheckRuns(runs) : { state: "none", text: "Checks could not be read" };
    const blocked = open ? githubMergeBlock(changed, findings, runs) : undefined;
    const item: QueueItem = p
      ? itemOfProposal(p, summary, { number, url: pull.url })
      : {
          id,
          kind,
          title: pull.title,
          contributor: pull.author ? `@${pull.author}` : "unknown",
          createdAt: pull.createdAt,
          status: pull.merged ? "merged" : open ? "opened" : "closed",
          number,
          url: pull.url,
          check: summary,
          duplicates: [],
        };
    const similar = p
      ? proposalDuplicates(p)
      : added.flatMap((f) => {
          const fm = parseFrontMatter(f.content);
          if ("error" in fm) return [];
          const title = (fm.data as { title?: unknown } | null)?.title;
          return typeof title === "string" ? duplicates(title, fm.body, "question") : [];
        });
    return {
      item: { ...item, duplicates: similar },
      forge: "github",
      preview: previewFromFiles(store.content, store.contentFiles, shown),
      files: changed.map((f) => ({ path: f.path, status: f.status, lines: patchToLines(f.patch) })),
      findings,
      checkRuns: runs ?? [],
      similar,
      events: p ? getEvents(db, p.id) : [],
      renumbering: plan.map(({ path, from, to }) => ({ path, from, to })),
      open,
      actingAs: actor.kind === "github" ? "maintainer" : "site",
      ...(blocked ? { mergeBlocked: blocked } : {}),
      ...(siteUrlOf(p) ? { siteUrl: siteUrlOf(p) } : {}),
    };
  }

  // --- acting ------------------------------------------------------------

  function who(actor: Actor): string {
    return actor.kind === "github" ? `@${actor.login}` : "a maintainer";
  }

  function record(p: Proposal | undefined, status: "merged" | "closed" | "changes_requested", detailText: string): void {
    if (!p) return;
    const changed = setReviewStatus(db, p.id, status, detailText, now());
    if (!changed) addEvent(db, p.id, status === "changes_requested" ? "changes-requested" : status, detailText, new Date(now()).toISOString());
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
    return serial(async () => {
      const { proposal, number } = resolve(id);
      requireOpenProposal(proposal);
      return backend.kind === "local" ? mergeLocal(proposal!, number, actor) : mergeGitHub(proposal, number, actor);
    });
  }

  async function mergeLocal(p: Proposal, number: number, actor: Actor): Promise<ActionOutcome> {
    if (backend.kind !== "local") throw new Error("unreachable");
    const publish = deps.sync?.enabled === true && deps.sync.push ? deps.sync : undefined;
    // Merge on top of what the remote has, so the merge commit can be pushed as a fast-forward.
    if (publish) await publish.sync("before a merge in the review queue");
    const conflict = mergeConflict(p);
    if (conflict) throw new ReviewRefused(conflict);
    const plan = planRenumbering(p.files, localNumbers());
    const files = applyRenumbering(p.files, plan);
    const errors = check(files, p.kind).filter((f) => f.severity === "error");
    if (errors.length > 0) {
      throw new ReviewRefused(`The content check found ${errors.length} error${errors.length === 1 ? "" : "s"}: ${errors.map((e) => e.message).join("; ")}`, 422);
    }
    // The local forge writes the stored files, so the renumbered ones are stored first — and put back
    // when the write or the commit fails (the proposal stays open, as it was).
    const renumbering = recordRenumbering(db, p.id, files, plan, now());
    let result: Awaited<ReturnType<LocalReviewForge["mergeLocal"]>>;
    try {
      result = await backend.forge.mergeLocal(number, { message: `${p.prTitle} (#${number})` });
    } catch (error) {
      renumbering.undo();
      throw error;
    }
    const renumbered = plan.length ? ` It was renumbered from ${plan[0]!.from} to ${plan[0]!.to}.` : "";
    const commit = result.commit ? ` Commit ${result.commit.slice(0, 7)}.` : "";
    record(p, "merged", `Merged by ${who(actor)} (#${number}): it is on the site now.${renumbered}${commit}`);
    let pushed = "";
    if (publish && result.commit) {
      const push = await publish.push!(`merged #${number} in the review queue`);
      pushed = push.pushed ? " Pushed to the content remote." : ` Not pushed to the content remote (${push.error}): push it by hand.`;
    }
    return { action: "merge", message: `Merged #${number}.${renumbered}${commit}${pushed}` };
  }

  async function mergeGitHub(p: Proposal | undefined, number: number, actor: Actor): Promise<ActionOutcome> {
    const gh = github(actor);
    const pull = await gh.pull(number);
    if (pull.state !== "open") {
      if (p) record(p, pull.merged ? "merged" : "closed", pull.merged ? `Merged as #${number}.` : `Closed without merging (#${number}).`);
      throw new ReviewRefused(`Pull request #${number} is ${pull.merged ? "merged" : "closed"} already.`);
    }
    const changed = await gh.diff(number);
    const outside = outsideContent(changed);
    if (outside) throw new ReviewRefused(outside);
    const files = await headFiles(gh, pull, changed);
    const added = files.filter((f) => isQuestionFile(f.path) && changed.some((c) => c.path === f.path && c.status === "added"));
    let plan: Renumbering[] = [];
    if (added.length > 0) plan = planRenumbering(added, await gh.questionNumbers(pull.baseRef, knownNumber()));
    // The same conditions the page shows, checked again on what is merged now (the head may have moved).
    const findings = check(applyRenumbering(files, plan), p?.kind ?? "edit");
    const runs = await gh.checkRuns(pull.headSha).catch(() => undefined);
    const blocked = githubMergeBlock(changed, findings, runs);
    if (blocked) {
      const errors = findings.filter((f) => f.severity === "error");
      const detailText = errors.length > 0 ? ` ${errors.map((e) => e.message).join("; ")}` : "";
      throw new ReviewRefused(`${blocked}${detailText}`, errors.length > 0 ? 422 : 409);
    }
    let headSha = pull.headSha;
    for (const r of plan) {
      headSha = await gh.updateFile(number, {
        path: r.path,
        content: r.content,
        sha: changed.find((f) => f.path === r.path)?.sha,
        message: `Renumber the question to ${r.to} (${r.from} was taken meanwhile)`,
      });
    }
    const title = `${pull.title} (#${number})`;
    const message = p ? squashMessage(p) : undefined;
    let merged: { sha: string } | undefined;
    for (let attempt = 1; !merged; attempt++) {
      try {
        merged = await gh.squashMerge(number, { title, sha: headSha, ...(message ? { message } : {}) });
      } catch (error) {
        // Right after the renumbering commit GitHub may not have caught up with the new head yet.
        const status = error instanceof ForgeError ? error.status : undefined;
        if (plan.length === 0 || attempt >= 4 || (status !== 405 && status !== 409)) throw error;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    if (p && plan.length) {
      // Recorded once the merge succeeded: the contributor's page shows the merged text.
      const stored = p.files.map((f) => {
        const r = plan.find((x) => x.path === f.path);
        return r && questionNumberOf(f.content) !== undefined ? { ...f, content: withQuestionNumber(f.content, r.to) } : f;
      });
      recordRenumbering(db, p.id, stored, plan, now());
    }
    const renumbered = plan.length ? ` The question was renumbered from ${plan[0]!.from} to ${plan[0]!.to}.` : "";
    record(p, "merged", `Merged by ${who(actor)} as #${number} (squashed into ${merged.sha.slice(0, 7)}).${renumbered} The site shows it as soon as it has pulled the change.`);
    deps.sync?.sync("merged in the review queue").catch(() => undefined);
    return { action: "merge", message: `Merged #${number}.${renumbered}` };
  }

  function requestChanges(id: string, actor: Actor, comment: string | undefined): Promise<ActionOutcome> {
    return serial(async () => {
      const text = cleanComment(comment, "Write a comment: tell the contributor what to change.");
      const { proposal, number } = resolve(id);
      requireOpenProposal(proposal);
      if (backend.kind === "local") await backend.forge.requestChanges(number, text);
      else await github(actor).requestChanges(number, text);
      record(proposal, "changes_requested", `${capitalise(who(actor))} asked for changes: ${text}`);
      return { action: "request-changes", message: `Changes requested on #${number}.` };
    });
  }

  function close(id: string, actor: Actor, comment: string | undefined): Promise<ActionOutcome> {
    return serial(async () => {
      const text = cleanComment(comment, "Write a comment: tell the contributor why the change is closed without merging.");
      const { proposal, number } = resolve(id);
      requireOpenProposal(proposal);
      if (backend.kind === "local") await backend.forge.close(number, text);
      else await github(actor).close(number, text);
      record(proposal, "closed", `Closed by ${who(actor)} without merging: ${text}`);
      return { action: "close", message: `Closed #${number}.` };
    });
  }

  return { queue, detail, merge, requestChanges, close };
}

export type ReviewService = ReturnType<typeof createReviewService>;

/**
 * The squash commit's message for a proposal: GitHub makes the pull request's
 * author (the site's bot) the commit author, so the contributor is credited as
 * co-author: by the e-mail they gave, or by the no-reply address of the GitHub
 * account the delivery resolved (`progress.githubUser`, `ID+login@…`, the
 * form GitHub links to the account). A username GitHub did not know credits
 * no account: the trailer then names them with a neutral address.
 */
export function squashMessage(p: Proposal, noreply = NEUTRAL_CONTRIBUTOR_EMAIL): string {
  const name = p.contributor.name.replace(/[<>\r\n]/g, "").trim();
  const account = p.progress.githubUser;
  const email = p.contributor.email ?? (account ? githubNoreplyEmail(account) : noreply);
  return [`Proposed by ${name} on the Django Questions site.`, "", `Proposal-Id: ${p.id}`, `Co-authored-by: ${name} <${email}>`].join("\n");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

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
