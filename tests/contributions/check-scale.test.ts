/**
 * On a site with many questions, checking a proposal parses the proposal's
 * files, not the whole content folder again (the site's content check is kept
 * up to date file by file and asked what the proposal would change). Counted,
 * not timed: the files handed to the content check's parser and the Markdown
 * bodies it parses.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ContentStore } from "~/modules/content/store.server";
import { createProposal, type Proposal } from "~/modules/contributions/service.server";
import { claimProposal, getProposalRecord, markOpened, progressStore, proposalRecords, toDeliverable } from "~/modules/contributions/store.server";
import { sqliteDataLayer, type DataLayer } from "~/modules/db/data.server";
import { openDatabase, type Database } from "~/modules/db/index.server";
import { createLocalDelivery } from "~/modules/forge/local/index.server";
import { createLocalForge } from "~/modules/forge/local/index.server";
import { runGit } from "~/modules/git/run.server";
import { createReviewService } from "~/modules/review/service.server";
import { generateScaleContent, type ScaleQuestion } from "../../scripts/bench/scale-content";
import { TEMPLATE } from "./fixtures";
import { questionForm, tempDir } from "./helpers";

const parsed = vi.hoisted(() => ({ files: 0, markdown: 0 }));

vi.mock("~/modules/validation/context", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/modules/validation/context")>();
  return {
    ...original,
    buildContext: (files: Parameters<typeof original.buildContext>[0], options?: Parameters<typeof original.buildContext>[1]) => {
      parsed.files += files.length;
      return original.buildContext(files, options);
    },
  };
});
vi.mock("~/modules/markdown/parse", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/modules/markdown/parse")>();
  return {
    ...original,
    parseMarkdown: (markdown: string) => {
      parsed.markdown++;
      return original.parseMarkdown(markdown);
    },
  };
});

const QUESTIONS = 200;
let dir: string;
let store: ContentStore;
let made: ScaleQuestion[];
let db: Database;
let data: DataLayer;
let fileCount: number;

beforeAll(async () => {
  dir = tempDir();
  made = generateScaleContent(path.resolve("content"), path.join(dir, "content"), QUESTIONS);
  store = new ContentStore(path.join(dir, "content"));
  await store.load();
  fileCount = store.contentFiles.length;
  db = openDatabase(path.join(dir, "data"));
  data = sqliteDataLayer(db);
}, 120_000);

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  parsed.files = 0;
  parsed.markdown = 0;
});

const now = () => new Date("2026-12-04T10:00:00Z");

function submit(form: Record<string, unknown>) {
  return createProposal(form, { data, content: store.content, contentFiles: () => store.contentFiles, liveCheck: store, template: TEMPLATE, now });
}

describe(`a proposal on a site of ${QUESTIONS} questions × 3 answers`, () => {
  it("is checked by parsing its own file only, and still finds a possible duplicate", async () => {
    expect(fileCount).toBeGreaterThan(QUESTIONS * 4);
    const fresh = await submit({ ...questionForm, title: "Why would a context processor run on every request?", body: "What does it cost, and when is it worth it?" });
    expect(fresh.ok).toBe(true);
    expect(parsed.files).toBe(1);
    expect(parsed.markdown).toBeLessThanOrEqual(1);

    parsed.files = 0;
    const twin = made[120]!;
    const duplicate = await submit({ ...questionForm, title: twin.title, body: "Asked again, in other words." });
    expect(duplicate.ok).toBe(true);
    expect(duplicate.warnings.title?.join(" ")).toContain(`#${twin.number}`);
    expect(parsed.files).toBe(1);
  });

  it("in the review queue, each change is checked by parsing its files only", async () => {
    const proposals: Proposal[] = [];
    for (const [i, title] of ["How are signals dispatched across threads?", "When does a QuerySet hit the database twice?"].entries()) {
      const r = await submit({ ...questionForm, title, body: `Question ${i} of the queue.` });
      if (!r.ok) throw new Error(JSON.stringify(r.fieldErrors));
      const t = now().getTime() + i;
      expect(await claimProposal(data, r.proposal.id, t, t + 60_000, "local")).toBeTruthy();
      const delivered = await createLocalDelivery({ records: proposalRecords(data) }).deliver(toDeliverable(r.proposal), await progressStore(data, r.proposal.id));
      await markOpened(data, r.proposal.id, delivered, t);
      proposals.push((await getProposalRecord(data, r.proposal.id))!);
    }
    const forge = createLocalForge({ records: proposalRecords(data), contentDir: store.dir, runGit, reload: (paths) => store.reload(paths) });
    const review = createReviewService({ data, store, forge, log: { warn() {} } });

    parsed.files = 0;
    const items = await review.queue({ login: "maintainer", via: "token" });
    const mine = items.filter((item) => proposals.some((p) => p.id === item.id));
    expect(mine).toHaveLength(2);
    expect(mine.every((item) => item.check.state === "success")).toBe(true);
    // One question file per change (the queue also renders nothing else with the check's parser).
    expect(parsed.files).toBeLessThanOrEqual(items.length);
  });
});
