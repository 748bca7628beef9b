/**
 * The site on a generated content folder of 120 questions × 3 answers (made
 * from the real content by the benchmark's generator, so the counts here are
 * the fixture's): pages of 50, sorting, a page cache that an edit to one
 * question does not empty, and a start that parses the files in helper
 * processes, then a restart that takes analyses and search index from disk;
 * and a start that serves its first pass while the bodies are parsed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateScaleContent, type ScaleQuestion } from "../../scripts/bench/scale-content";
import { ROOT, startAppServer, type AppServer } from "../support/app-server";

let server: AppServer;
let made: ScaleQuestion[];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-scale-test-"));
  made = generateScaleContent(path.join(ROOT, "content"), dir, 120);
  server = await startAppServer({ CONTENT_DIR: dir });
});
afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.contentDir, { recursive: true, force: true });
});

const numbersOn = (html: string) => [...html.matchAll(/data-number="(\d+)"/g)].map((m) => Number(m[1]));

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out; server output:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("pages of questions", () => {
  it("shows 50 questions a page with rel=prev/next links, and the last page for a page past the end", async () => {
    const first = await (await fetch(server.url + "/")).text();
    expect(numbersOn(first)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(first.replaceAll("<!-- -->", "")).toContain("120 questions · page 1 of 3");
    expect(first).toContain('<link rel="next" href="/?page=2"/>');
    expect(first).not.toContain('rel="prev"');
    const third = await (await fetch(server.url + "/?page=3")).text();
    expect(numbersOn(third)).toEqual(Array.from({ length: 20 }, (_, i) => i + 101));
    expect(third).toContain('<link rel="prev" href="/?page=2"/>');
    expect(third).not.toContain('<link rel="next"');
    expect(numbersOn(await (await fetch(server.url + "/?page=99")).text())).toEqual(numbersOn(third));
    expect(numbersOn(await (await fetch(server.url + "/?page=banana")).text())).toEqual(numbersOn(first));
  });

  it("sorts by newest and keeps the sort in the page links", async () => {
    const html = await (await fetch(server.url + "/?sort=newest")).text();
    expect(html).toContain('<link rel="next" href="/?sort=newest&amp;page=2"/>');
    expect(numbersOn(html)).toHaveLength(50);
  });

  it("pages a tag's questions too", async () => {
    const tag = /href="\/tags\/([a-z0-9-]+)"/.exec(await (await fetch(server.url + "/q/1")).text())![1]!;
    const html = await (await fetch(server.url + `/tags/${tag}`)).text();
    const total = Number(/(\d+) questions?/.exec(html)![1]);
    expect(numbersOn(html)).toHaveLength(Math.min(50, total));
    if (total > 50) expect(html).toContain(`<link rel="next" href="/tags/${tag}?page=2"/>`);
  });
});

describe("page cache by what a page shows", () => {
  it("keeps other pages cached when one answer changes, and shows the change on its page and in search", async () => {
    const [a, b] = [made[10]!, made[11]!];
    const get = (p: string) => fetch(server.url + p);
    for (const p of [`/q/${a.slug}`, `/q/${b.slug}`, "/"]) await (await get(p)).text(); // fill the cache
    expect((await get(`/q/${b.slug}`)).headers.get("x-page-cache")).toBe("hit");

    const answer = path.join(a.dir, "answers", "answer-1.md");
    fs.writeFileSync(answer, `${fs.readFileSync(answer, "utf8")}\nA sentence about the quetzalcoatlus.\n`);
    await waitFor(async () => ((await (await get(`/q/${a.slug}`)).text()).includes("quetzalcoatlus") ? true : undefined));
    const search = await (await get("/search?q=quetzalcoatlus")).text();
    expect(search).toContain(`/q/${a.slug}`);

    expect((await get(`/q/${b.slug}`)).headers.get("x-page-cache")).toBe("hit");
    // The list shows no answer text: still the cached copy.
    expect((await get("/")).headers.get("x-page-cache")).toBe("hit");
    // The question's neighbours show its title, which did not change.
    expect((await get(`/q/${made[9]!.slug}`)).headers.get("x-page-cache")).not.toBe("off");
  });

  it("re-renders the lists and the neighbours when a title changes", async () => {
    const a = made[20]!;
    const get = (p: string) => fetch(server.url + p);
    for (const p of ["/", `/q/${made[21]!.slug}`, `/q/${made[40]!.slug}`]) await (await get(p)).text();
    const file = path.join(a.dir, "question.md");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^title: .*$/m, 'title: "A brand new okapi title?"'));
    await waitFor(async () => ((await (await get("/")).text()).includes("A brand new okapi title?") ? true : undefined));
    expect(await (await get(`/q/${made[21]!.slug}`)).text()).toContain("A brand new okapi title?");
    expect((await get(`/q/${made[40]!.slug}`)).headers.get("x-page-cache")).toBe("hit");
  });
});

describe("start and restart", () => {
  it("parses a folder in helper processes, then restarts from the analyses and search index kept in DATA_DIR, serving the same pages and search", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-scale-restart-"));
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "dq-scale-data-"));
    const few = generateScaleContent(path.join(ROOT, "content"), dir, 70); // 282 files: enough for the helpers
    const look = async (app: AppServer) => {
      const health = (await (await fetch(app.url + "/healthz")).json()) as { questions: number; contentVersion: string; lastLoad: { files: number; fromCache: number } };
      const pages = await Promise.all(["/", "/?page=2", `/q/${few[5]!.slug}`, `/q/${few[69]!.slug}`, "/search?q=migrations", "/search?q=csrf%20token"].map(async (p) => {
        // The CSP nonce differs per response, the port per server.
        return (await (await fetch(app.url + p)).text()).replace(/nonce="[^"]*"/g, "").replaceAll(app.url, "http://server");
      }));
      return { health, pages };
    };
    let app = await startAppServer({ CONTENT_DIR: dir, DATA_DIR: data }, { timeoutMs: 120_000 });
    try {
      const cold = await look(app);
      expect(cold.health.questions).toBe(70);
      expect(cold.health.lastLoad.fromCache).toBe(0);
      expect(app.output()).toMatch(/0 analyses from the cache, 282 files parsed in helper processes; search index built/);
      expect(cold.pages[2]).toContain(few[5]!.title.replaceAll('"', "&quot;"));
      expect(cold.pages[4]).toMatch(/href="\/q\//);
      // The analyses are written after the server is ready.
      await waitFor(async () => (fs.existsSync(path.join(data, "content-cache", "analyses.jsonl")) ? true : undefined));
      expect(fs.existsSync(path.join(data, "content-cache", "search-index.json"))).toBe(true);
      await app.stop();

      app = await startAppServer({ CONTENT_DIR: dir, DATA_DIR: data }, { timeoutMs: 120_000 });
      const warm = await look(app);
      expect(warm.health.lastLoad.fromCache).toBe(warm.health.lastLoad.files);
      expect(app.output()).toContain("search index from the cache (0 questions indexed again)");
      expect(warm.health.contentVersion).toBe(cold.health.contentVersion);
      expect(warm.pages).toEqual(cold.pages);
    } finally {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

describe("a start on many files (decisions/034)", () => {
  it("serves after the front matter, parses the bodies in the background, then restarts from what it kept, serving the same", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-scale-defer-"));
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "dq-scale-data-"));
    const few = generateScaleContent(path.join(ROOT, "content"), dir, 70); // 282 files: the helpers parse them
    const answer = path.join(few[9]!.dir, "answers", "answer-2.md");
    fs.appendFileSync(answer, "\nA sentence about the capybara.\n");
    type Facts = { questions: number; contentVersion: string; contentChecked: boolean; lastLoad: { files: number; fromCache: number } };
    const facts = async (app: AppServer) => (await (await fetch(app.url + "/healthz")).json()) as Facts;
    const look = async (app: AppServer) =>
      Promise.all(["/", `/q/${few[9]!.slug}`, "/search?q=capybara", "/search?q=migrations"].map(async (p) => {
        return (await (await fetch(app.url + p)).text()).replace(/nonce="[^"]*"/g, "").replaceAll(app.url, "http://server");
      }));
    // CONTENT_DEFER_FROM=0: every start that has files to parse serves its first pass (default: from 1,000 files).
    const env = { CONTENT_DIR: dir, DATA_DIR: data, CONTENT_DEFER_FROM: "0" };
    let app = await startAppServer(env, { timeoutMs: 120_000 });
    try {
      expect(app.output()).toMatch(/282 files read to their front matter \(their bodies are parsed in the background\)/);
      // The search page says what it searches while the bodies are indexed, and stops saying it once they are.
      const notice = "search finds\ntitles and tags only";
      const during = [await (await fetch(app.url + "/search?q=capybara")).text(), (await facts(app)).contentChecked] as const;
      if (!during[1]) expect(during[0].replace(/\s+/g, " ")).toContain(notice.replace(/\s+/g, " "));
      // Checked within a few seconds; until then every question is served and /healthz says so.
      const checked = await waitFor(async () => {
        const f = await facts(app);
        expect(f.questions).toBe(70);
        return f.contentChecked ? f : undefined;
      }, 60_000);
      expect(app.output()).toMatch(/content checked in the background \d+ ms after the start began: 282 files parsed/);
      const pages = await look(app);
      expect(pages[2]!.replace(/\s+/g, " ")).not.toContain(notice.replace(/\s+/g, " "));
      expect(pages[1]).toContain("capybara");
      expect(pages[2]).toContain(`/q/${few[9]!.slug}`);
      // The analyses are cached once checked; the search index as the server stops.
      await waitFor(async () => (fs.existsSync(path.join(data, "content-cache", "analyses.jsonl")) ? true : undefined));
      await app.stop();
      expect(fs.existsSync(path.join(data, "content-cache", "search-index.json"))).toBe(true);

      app = await startAppServer(env, { timeoutMs: 120_000 });
      const warm = await facts(app);
      expect(warm.contentChecked).toBe(true);
      expect(warm.lastLoad.fromCache).toBe(warm.lastLoad.files);
      expect(app.output()).toContain("search index from the cache (0 questions indexed again)");
      expect(warm.contentVersion).toBe(checked.contentVersion);
      expect(await look(app)).toEqual(pages);
    } finally {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

describe("the server's memory settings", () => {
  it("a HEAP_GROWING_PERCENT that is not a whole number stops the server with a message naming it", async () => {
    const started = startAppServer({ HEAP_GROWING_PERCENT: "lots" });
    await expect(started).rejects.toThrow(/HEAP_GROWING_PERCENT must be a whole number/);
  });

  it("an OPTIMIZE_FOR_SIZE other than 0 or 1 stops the server with a message naming it", async () => {
    const started = startAppServer({ OPTIMIZE_FOR_SIZE: "yes" });
    await expect(started).rejects.toThrow(/OPTIMIZE_FOR_SIZE must be 0 or 1/);
  });

  it("runs the server with the young-generation size npm start and the container give it", async () => {
    // What the process was started with, as the system sees it (Linux).
    const environ = fs.readFileSync(`/proc/${server.pid}/environ`, "utf8").split("\0");
    const options = environ.find((v) => v.startsWith("NODE_OPTIONS="))?.slice("NODE_OPTIONS=".length).split(/\s+/) ?? [];
    expect(options).toContain("--max-semi-space-size=16");
  });
});
