import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateScaleContent } from "../../../scripts/bench/scale-content";
import { ContentStore } from "./store.server";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-store-"));
    dirs.push(dir);
    const made = generateScaleContent(path.join(ROOT, "content"), dir, 3);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    const store = new ContentStore(dir);
    await store.load();
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
