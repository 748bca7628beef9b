import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FolderWatcher } from "./folder-watcher.server";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A folder with two questions, watched; `next()` resolves with the next burst of reported paths. */
async function watched() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dq-watch-"));
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const slug of ["first", "second"]) {
    fs.mkdirSync(path.join(root, "questions", slug, "answers"), { recursive: true });
    fs.writeFileSync(path.join(root, "questions", slug, "question.md"), "q\n");
    fs.writeFileSync(path.join(root, "questions", slug, "answers", "a.md"), "a\n");
  }
  fs.mkdirSync(path.join(root, ".git", "objects"), { recursive: true });
  const watcher = new FolderWatcher(root, { ignore: (rel) => rel.split("/").includes(".git"), settleMs: 50 });
  cleanup.push(() => watcher.close());
  const bursts: string[][] = [];
  let wake: (() => void) | undefined;
  watcher.on("paths", (paths) => {
    bursts.push([...paths].sort());
    wake?.();
  });
  await watcher.start();
  const next = async (): Promise<string[]> => {
    const deadline = Date.now() + 5000;
    while (bursts.length === 0) {
      if (Date.now() > deadline) throw new Error("no change reported within 5 s");
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return bursts.shift()!;
  };
  return { root, watcher, next, bursts };
}

describe("FolderWatcher", () => {
  it("watches every folder but .git, and reports a changed file once for a burst of writes", async () => {
    const { root, watcher, next } = await watched();
    expect(watcher.size).toBe(6); // the root, questions/, two question folders and their answers/ folders; not .git
    const file = path.join(root, "questions", "first", "answers", "a.md");
    fs.writeFileSync(file, "a, rewritten\n");
    fs.appendFileSync(file, "and more\n");
    expect(await next()).toEqual(["questions/first/answers/a.md"]);
  });

  it("reports every file of a folder that appears, even files written before its watch existed", async () => {
    const { root, next } = await watched();
    // Made elsewhere and moved in whole, as git or a copy does.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "dq-watch-new-"));
    cleanup.push(() => fs.rmSync(outside, { recursive: true, force: true }));
    fs.mkdirSync(path.join(outside, "answers"));
    fs.writeFileSync(path.join(outside, "question.md"), "q3\n");
    fs.writeFileSync(path.join(outside, "answers", "b.md"), "b\n");
    fs.renameSync(outside, path.join(root, "questions", "third"));
    let seen: string[] = [];
    while (!seen.includes("questions/third/answers/b.md")) seen = [...seen, ...(await next())];
    expect(seen).toEqual(expect.arrayContaining(["questions/third/question.md", "questions/third/answers/b.md"]));
    // And the new folder is watched from then on.
    fs.writeFileSync(path.join(root, "questions", "third", "answers", "b.md"), "b, edited\n");
    let later: string[] = [];
    while (!later.includes("questions/third/answers/b.md")) later = await next();
  });

  it("reports a removed folder by its path, and ignores changes under .git", async () => {
    const { root, next, bursts } = await watched();
    fs.writeFileSync(path.join(root, ".git", "objects", "x"), "blob\n");
    fs.rmSync(path.join(root, "questions", "second"), { recursive: true });
    let seen: string[] = [];
    while (!seen.includes("questions/second")) seen = [...seen, ...(await next())];
    expect(seen.some((p) => p.startsWith(".git"))).toBe(false);
    expect(bursts.flat().some((p) => p.startsWith(".git"))).toBe(false);
  });
});
