import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateScaleContent } from "../../../scripts/bench/scale-content";
import { checkProposal } from "~/modules/contributions/check";
import { searchQuestions } from "~/modules/search";
import { ContentState } from "./state.server";
import { ContentStore, gitBlobHash } from "./store.server";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** A store loaded from a generated folder of `count` questions × 3 answers (removed after the test). */
async function loadedStore(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-store-"));
  dirs.push(dir);
  const made = generateScaleContent(path.join(ROOT, "content"), dir, count);
  vi.spyOn(console, "info").mockImplementation(() => {});
  const store = new ContentStore(dir);
  await store.load();
  return { dir, made, store };
}

describe("ContentStore with an analyser elsewhere (helper processes)", () => {
  it("still loads every question, parsing here, when the helpers fail", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-store-"));
    dirs.push(dir);
    const made = generateScaleContent(path.join(ROOT, "content"), dir, 55); // 222 files: enough to ask the helpers
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    let asked = 0;
    const store = new ContentStore(dir, {
      analyse: async () => {
        asked++;
        throw new Error("spawn EAGAIN");
      },
    });
    const content = await store.load();
    expect(asked).toBe(1);
    expect(content.questions).toHaveLength(55);
    expect(content.bySlug.get(made[7]!.slug)?.body).toContain(`This is variant`);
    expect(warn.mock.calls.flat().join(" ")).toContain("helper processes failed (spawn EAGAIN); parsing here instead");
  });
});

describe("ContentStore's file watcher", () => {
  it("survives the watcher failing (the system's limit of watched folders) and says what to do, once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { made, store } = await loadedStore(3);
    store.watch();
    try {
      const watcher = (store as unknown as { watcher: import("node:events").EventEmitter }).watcher;
      const limit = Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" });
      expect(() => watcher.emit("error", limit)).not.toThrow();
      watcher.emit("error", limit);
      const warnings = warn.mock.calls.flat().join("\n");
      expect(warnings).toContain("fs.inotify.max_user_watches");
      expect(warnings.match(/file watcher failed/g)).toHaveLength(1);
      // The site still serves what it loaded.
      expect(store.content.bySlug.get(made[1]!.slug)?.title).toBe(made[1]!.title);
    } finally {
      await store.close();
    }
  });
});

describe("ContentStore.withCheck (the live check a proposal is checked against)", () => {
  it("waits for a change being applied: a proposal sent meanwhile is checked against the new content, whole", async () => {
    const { dir, made, store } = await loadedStore(5);

    // Another question takes number 6 on disk; a proposal with number 6 is sent while the store applies that change.
    const taken = path.join(dir, "questions", "number-six", "question.md");
    fs.mkdirSync(path.dirname(taken), { recursive: true });
    fs.writeFileSync(taken, `---\nnumber: 6\ntitle: What does number six ask?\ntags: [orm]\nadded: 2026-12-04\n---\nSix.\n`);
    const proposal = [{ path: "content/questions/a-proposal/question.md", content: `---\nnumber: 6\ntitle: Why propose a sixth question?\ntags: [orm]\nadded: 2026-12-04\n---\nA proposal.\n` }];
    const apply = ContentState.prototype.apply;
    let during: Promise<{ questions: number; ok: boolean }> | undefined;
    vi.spyOn(ContentState.prototype, "apply").mockImplementation(function (this: ContentState, ...args: Parameters<ContentState["apply"]>) {
      const applying = apply.apply(this, args); // the check's first slice is in already; the snapshot is not
      during = store.withCheck((check) => ({ questions: store.content.questions.length, ok: checkProposal(check, proposal, "question").ok }));
      return applying;
    });
    await store.reload(["questions/number-six/question.md"]);
    expect(during).toBeDefined();
    // Run once the change was whole: the snapshot has the new question, and the check sees its number taken.
    expect(await during).toEqual({ questions: made.length + 1, ok: false });
  });
});

describe("ContentStore's files (read from disk, not held)", () => {
  it("lists the snapshot's files once per version, with their analysed blob, and reads their bytes when asked", async () => {
    const { dir, made, store } = await loadedStore(3);
    const rel = `questions/${made[0]!.slug}/question.md`;
    const file = store.contentFiles.find((f) => f.path === rel)!;
    const onDisk = fs.readFileSync(path.join(dir, rel));
    expect(Buffer.from(file.bytes).equals(onDisk)).toBe(true);
    expect(file.hash).toBe(gitBlobHash(onDisk));
    expect(store.contentFiles).toBe(store.contentFiles); // made once for this version
    expect(store.content.bySlug.get(made[0]!.slug)?.body).toContain("This is variant");

    // After a change and its reload: the new text, a new blob and a new list.
    const before = store.contentFiles;
    fs.appendFileSync(path.join(dir, rel), "\nA sentence added on disk.\n");
    await store.reload([rel]);
    const after = store.contentFiles.find((f) => f.path === rel)!;
    expect(store.contentFiles).not.toBe(before);
    expect(new TextDecoder().decode(after.bytes)).toContain("A sentence added on disk.");
    expect(after.hash).toBe(gitBlobHash(fs.readFileSync(path.join(dir, rel))));
    expect(store.content.bySlug.get(made[0]!.slug)?.body).toContain("A sentence added on disk.");

    // Written but not reloaded yet, with a longer front matter: the body read now is cut where the new front matter
    // ends (never front matter shown as text), and it is the new text.
    const text = fs.readFileSync(path.join(dir, rel), "utf8").replace(/^---\n/, "---\ncredit: Somebody who asked first\n");
    fs.writeFileSync(path.join(dir, rel), `${text}\nWritten, not reloaded yet.\n`);
    const body = store.content.bySlug.get(made[0]!.slug)!.body;
    expect(body).toContain("Written, not reloaded yet.");
    expect(body).not.toMatch(/^(---|number:|title:|tags:|added:)/m);
  });
});

describe("ContentStore's start on many files (a front-matter first pass, the bodies in the background: decisions/034)", () => {
  const searchSlugs = (store: ContentStore, query: string) => searchQuestions(store.content.search, query).results.map((r) => r.slug);

  /** A generated folder with a word only one answer's body has, and a question whose Python block does not parse. */
  function folder(count: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-store-"));
    dirs.push(dir);
    const made = generateScaleContent(path.join(ROOT, "content"), dir, count);
    const answer = path.join(made[4]!.dir, "answers", "answer-1.md");
    fs.appendFileSync(answer, "\nA sentence about the axolotl.\n");
    const broken = path.join(made[6]!.dir, "question.md");
    fs.appendFileSync(broken, "\n```python\ndef broken(:\n```\n");
    vi.spyOn(console, "info").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    return { dir, made, answer };
  }

  it("serves the questions from their front matter first, then the same content, findings and search as a full start", async () => {
    const { dir, made } = folder(30);
    const store = new ContentStore(dir, { deferFrom: 0 });
    const first = await store.load();
    expect(store.checked).toBe(false);
    // Served before the bodies are parsed: every question (the broken one too, whose error needs its body parsed),
    // a page's body read from disk, search by title but not yet by a body's words.
    expect(first.questions).toHaveLength(30);
    expect(first.bySlug.get(made[3]!.slug)?.body).toContain("This is variant");
    expect(first.findings.some((f) => f.rule === "python-syntax")).toBe(false);
    expect(searchSlugs(store, made[8]!.title)[0]).toBe(made[8]!.slug);
    expect(searchSlugs(store, "axolotl")).toEqual([]);
    // Its own version: nothing cached from the first pass (a search page) is served after the full one.
    expect(first.version).toMatch(/-front-matter$/);

    await store.whenChecked();
    expect(store.checked).toBe(true);
    expect(store.version).not.toBe(first.version);
    const full = new ContentStore(dir);
    await full.load();
    expect(store.version).toBe(full.version);
    expect(store.content.questions.map((q) => q.slug)).toEqual(full.content.questions.map((q) => q.slug));
    expect(store.content.questions).toHaveLength(29); // the broken question is left out, as a full start leaves it out
    expect(store.content.findings).toEqual(full.content.findings);
    expect(store.content.findings.some((f) => f.rule === "python-syntax" && f.path.startsWith(`questions/${made[6]!.slug}/`))).toBe(true);
    for (const query of ["axolotl", "migrations", "csrf token", made[12]!.title]) expect(searchSlugs(store, query)).toEqual(searchSlugs(full, query));
    expect(searchSlugs(store, "axolotl")).toEqual([made[4]!.slug]);
  });

  it("keeps an edit made while the bodies are parsed: the end is the folder as it is now", async () => {
    const { dir, made, answer } = folder(20);
    const store = new ContentStore(dir, { deferFrom: 0 });
    await store.load();
    fs.writeFileSync(answer, fs.readFileSync(answer, "utf8").replace("axolotl", "pangolin"));
    await store.reload([path.relative(dir, answer)]);
    await store.whenChecked();
    const full = new ContentStore(dir);
    await full.load();
    expect(store.version).toBe(full.version);
    expect(store.content.findings).toEqual(full.content.findings);
    expect(searchSlugs(store, "pangolin")).toEqual([made[4]!.slug]);
    expect(searchSlugs(store, "axolotl")).toEqual([]);
    expect(store.content.bySlug.get(made[4]!.slug)?.answers[0]?.body).toContain("pangolin");
  });

  it("parses everything before serving below the threshold", async () => {
    const { dir } = folder(8);
    const store = new ContentStore(dir, { deferFrom: 1000 });
    await store.load();
    expect(store.checked).toBe(true);
    expect(searchSlugs(store, "axolotl")).toHaveLength(1);
  });
});

describe("ContentStore watching from before its first load", () => {
  it("reloads a change reported while the folder was being read, once the load is done", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-store-"));
    dirs.push(dir);
    const made = generateScaleContent(path.join(ROOT, "content"), dir, 6);
    vi.spyOn(console, "info").mockImplementation(() => {});
    const store = new ContentStore(dir);
    store.watch();
    await store.whenWatching();
    try {
      // The file changes after the load has read it and before the load is done; the watcher reports it meanwhile.
      const answer = path.join(made[2]!.dir, "answers", "answer-1.md");
      const apply = ContentState.prototype.apply;
      vi.spyOn(ContentState.prototype, "apply").mockImplementationOnce(async function (this: ContentState, ...args: Parameters<ContentState["apply"]>) {
        fs.appendFileSync(answer, "\nA sentence about the okapi.\n");
        await new Promise((r) => setTimeout(r, 400)); // the watcher settles (100 ms) and reports before the load ends
        return apply.apply(this, args);
      });
      await store.load();
      expect(store.content.bySlug.get(made[2]!.slug)?.answers.some((a) => a.body.includes("okapi"))).toBe(true); // a body is read from disk
      expect(searchQuestions(store.content.search, "okapi").results).toEqual([]); // the load's own analysis predates the change
      // Reloaded once the load is done: search has the change too.
      const deadline = Date.now() + 5000;
      while (searchQuestions(store.content.search, "okapi").results.length === 0) {
        if (Date.now() > deadline) throw new Error("the change made during the load was never reloaded");
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(searchQuestions(store.content.search, "okapi").results.map((r) => r.slug)).toEqual([made[2]!.slug]);
    } finally {
      await store.close();
    }
  });
});
