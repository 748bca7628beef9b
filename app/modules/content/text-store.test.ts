import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TextStore } from "./text-store.server";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-texts-"));
  dirs.push(dir);
  return dir;
}

describe("TextStore", () => {
  it("keeps texts in a file no one can see, and reads each back as it was, old ones after new ones", () => {
    const dir = tempDir();
    const store = TextStore.open(dir);
    expect(store.onDisk).toBe(true);
    // The file is unlinked at once: nothing is left behind, whatever happens to the process.
    expect(fs.readdirSync(dir)).toEqual([]);
    const texts = ["Plain ASCII.", "Typographic ‘quotes’ — and an emoji 🦄, in UTF-8.", "", "x".repeat(100_000), "עברית and العربية"];
    const refs = texts.map((t) => store.put(t));
    expect(refs.map((r) => store.get(r))).toEqual(texts);
    // A later text never overwrites an earlier one (an older snapshot still reads its own).
    const replaced = store.put("A replacement.");
    expect(store.get(refs[1]!)).toBe(texts[1]);
    expect(store.get(replaced)).toBe("A replacement.");
    expect(store.fileBytes).toBe(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) + Buffer.byteLength("A replacement."));
    store.close();
    expect(store.get(refs[0]!)).toBe("");
  });

  it("keeps the texts in memory where no file can be made, and says so", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const file = path.join(tempDir(), "a-file");
    fs.writeFileSync(file, "");
    const store = TextStore.open(path.join(file, "below-a-file")); // a folder cannot be made under a file
    expect(store.onDisk).toBe(false);
    expect(warn.mock.calls.flat().join(" ")).toContain("texts kept in memory");
    const ref = store.put("Still here — in memory.");
    expect(store.get(ref)).toBe("Still here — in memory.");
  });
});
