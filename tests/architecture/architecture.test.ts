/**
 * The architecture the guide asks for, checked on the sources (see
 * docs/decisions/014-forge-carries-review.md and 015-one-content-contract.md):
 * no import cycle between files or between modules, only forge files import
 * Octokit, nothing outside forge/ asks which forge it is, and modules reach
 * the services through the load context rather than a global getter.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cycles, importGraph, moduleOf } from "./import-graph";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { files, edges } = importGraph(ROOT);
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join("/");
const isTest = (f: string) => /\.test\.tsx?$/.test(f);
const sources = files.filter((f) => !isTest(f));

describe("the import graph of app/", () => {
  it("reads the sources it is about", () => {
    // A broken reader would find no cycle in nothing: it must see the known edges.
    expect(sources.length).toBeGreaterThan(100);
    const route = edges.find((e) => rel(e.from) === "app/routes/review.$id.tsx" && rel(e.to) === "app/modules/review/web.server.ts");
    expect(route, "app/routes/review.$id.tsx imports the review module").toBeDefined();
  });

  it("finds a cycle when there is one", () => {
    expect(cycles(["a", "b", "c"], [["a", "b"], ["b", "c"], ["c", "a"]])).toEqual([["a", "b", "c"]]);
    expect(cycles(["a", "b"], [["a", "b"]])).toEqual([]);
  });

  it("has no import cycle between files", () => {
    const found = cycles(
      files.map(rel),
      edges.map((e) => [rel(e.from), rel(e.to)] as [string, string]),
    );
    expect(found).toEqual([]);
  });

  it("has no import cycle between modules (app/modules/<name>, routes, components), type imports included", () => {
    const between = edges
      .filter((e) => !isTest(e.from))
      .map((e) => ({ ...e, a: moduleOf(ROOT, e.from), b: moduleOf(ROOT, e.to) }))
      .filter((e) => e.a !== e.b);
    const found = cycles(new Set(between.flatMap((e) => [e.a, e.b])), between.map((e) => [e.a, e.b] as [string, string]));
    // Name the imports that close each cycle, so the failure says where to look.
    const explained = found.map((group) => ({
      modules: group,
      imports: between.filter((e) => group.includes(e.a) && group.includes(e.b)).map((e) => `${rel(e.from)} → ${rel(e.to)}`),
    }));
    expect(explained).toEqual([]);
  });
});

describe("what lives where", () => {
  const text = (f: string) => fs.readFileSync(f, "utf8");

  it("only forge files import Octokit", () => {
    const importers = sources.filter((f) => /from\s+["'](?:octokit|@octokit\/[^"']+)["']/.test(text(f))).map(rel);
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith("app/modules/forge/"))).toEqual([]);
  });

  it("nothing outside forge/ asks which forge it is", () => {
    const asks = /\b(?:kind|name|forge)\s*[!=]==?\s*["'](?:github|local)["']|["'](?:github|local)["']\s*[!=]==?\s*\w*(?:kind|name|forge)\b/;
    const offenders = sources
      .filter((f) => !rel(f).startsWith("app/modules/forge/"))
      .flatMap((f) =>
        text(f)
          .split("\n")
          .map((line, i) => ({ line, at: `${rel(f)}:${i + 1}` }))
          .filter(({ line }) => asks.test(line)),
      )
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it("modules and routes get the services from the load context, not a global getter", () => {
    const callers = (getter: RegExp) => sources.filter((f) => getter.test(text(f))).map(rel);
    // The composition root makes them; the server entry (server.mjs's side) asks them for /healthz and loads the
    // content before the first request.
    expect(callers(/\bgetServices\s*\(/).filter((f) => f !== "app/modules/server/services.server.ts")).toEqual(["app/entry.server.tsx"]);
    expect(callers(/\b(?:getStore|getContentStore|loadContent)\s*\(/).filter((f) => !f.startsWith("app/modules/content/"))).toEqual([
      "app/entry.server.tsx",
      "app/modules/server/services.server.ts",
    ]);
    // Every route that reads content or uses a service gets it from its context.
    const routes = sources.filter((f) => rel(f).startsWith("app/routes/") && /\bservices\b/.test(text(f))).map(rel);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) expect(text(path.join(ROOT, route)), route).toMatch(/context\.services|context\b[^]*services/);
  });
});
