/**
 * Fixture tests, unified style: every folder in __fixtures__ holds an
 * `input.md`, optionally `options.json` (RenderOptions), and the expected
 * `output.html`. Run with UPDATE_FIXTURES=1 to rewrite the expected outputs
 * (then READ the diff before accepting it).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { unsafeParts } from "./html-safety";
import { createMarkdownRenderer } from "./render";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "__fixtures__");
const update = process.env.UPDATE_FIXTURES === "1";
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("markdown fixtures", () => {
  it("has fixture folders", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of cases) {
    it(name, () => {
      const folder = path.join(root, name);
      const input = readFileSync(path.join(folder, "input.md"), "utf8");
      const optionsFile = path.join(folder, "options.json");
      const options = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, "utf8")) : undefined;
      // A fresh renderer per case: the fixture checks the pipeline, not the cache.
      const actual = createMarkdownRenderer({ cacheSize: 1 }).render(input, options);
      const expectedFile = path.join(folder, "output.html");

      expect(unsafeParts(actual)).toEqual([]);

      if (update || !existsSync(expectedFile)) {
        if (!update) throw new Error(`${name}: missing output.html (run with UPDATE_FIXTURES=1, then review it)`);
        writeFileSync(expectedFile, actual.endsWith("\n") ? actual : `${actual}\n`);
        return;
      }
      expect(`${actual}\n`.replace(/\n\n$/, "\n")).toBe(readFileSync(expectedFile, "utf8"));
    });
  }
});
