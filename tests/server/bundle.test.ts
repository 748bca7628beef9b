/**
 * Code is highlighted on the server (docs/decisions/003-markdown-pipeline.md):
 * no highlighting library may reach the browser. Scans the production build's
 * client assets (the browser config builds before the tests).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/app-server";

const CLIENT = path.join(ROOT, "build/client");

/** Strings that only highlight.js / lowlight code carries (their APIs and options). */
const SIGNATURES = [/registerLanguage/, /highlightAuto/, /createLowlight/, /classPrefix/, /lowlight/];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const found = (text: string) => SIGNATURES.filter((s) => s.test(text)).map(String);

describe("the client bundle", () => {
  it("the signatures recognise highlight.js and lowlight themselves", () => {
    for (const lib of ["highlight.js/lib/core.js", "lowlight/lib/index.js"]) {
      expect(found(fs.readFileSync(path.join(ROOT, "node_modules", lib), "utf8")), lib).not.toEqual([]);
    }
  });

  it("ships no syntax-highlighting code to the browser", () => {
    const scripts = files(CLIENT).filter((f) => /\.(m?js|map)$/.test(f));
    // the scan really covers the app: its entry and route chunks are there
    expect(scripts.filter((f) => /\.m?js$/.test(f)).length).toBeGreaterThan(5);
    expect(scripts.some((f) => /manifest-[\w-]+\.js$/.test(f))).toBe(true);
    const offenders = scripts.map((f) => ({ file: path.relative(CLIENT, f), hits: found(fs.readFileSync(f, "utf8")) })).filter((o) => o.hits.length);
    expect(offenders).toEqual([]);
  });
});
