/**
 * The generator of data/django-docs.json: listings → data, a Django checkout
 * (a small git repository made here) → data, and the committed data is what
 * the committed listings give.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDocsData, formatDocsData, pageOf, parseListing } from "./build";

const ROOT = path.resolve(__dirname, "../..");
const LISTINGS = path.join(ROOT, "scripts/django-docs/listings");
const DATA = path.join(ROOT, "app/modules/validation/data/django-docs.json");
const temp = mkdtempSync(path.join(tmpdir(), "django-docs-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/django-docs-pages.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("pageOf", () => {
  it("maps source files to the pages Sphinx builds", () => {
    expect(pageOf("docs/ref/models/querysets.txt")).toBe("ref/models/querysets");
    expect(pageOf("docs/ref/models/index.txt")).toBe("ref/models");
    expect(pageOf("docs/index.txt")).toBe("");
    expect(pageOf("docs/_theme/djangodocs/static/fontawesome/LICENSE.txt")).toBeNull();
    expect(pageOf("docs/conf.py")).toBeNull();
    expect(pageOf("django/db/models/query.py")).toBeNull();
  });
});

describe("buildDocsData", () => {
  const listing = (version: string, paths: string[]) => ({ version, from: `test ${version}`, paths });

  it("records which version has which page, and derives stable and dev from the release notes", () => {
    const data = buildDocsData([
      listing("5.2", ["docs/index.txt", "docs/ref/models/querysets.txt", "docs/releases/5.2.txt", "docs/releases/5.2.1.txt"]),
      listing("dev", ["docs/index.txt", "docs/ref/models/querysets.txt", "docs/topics/tasks.txt", "docs/releases/5.2.txt", "docs/releases/5.2.1.txt", "docs/releases/6.0.txt"]),
    ]);
    expect(data.stable).toBe("5.2");
    expect(data.dev).toBe("6.0");
    expect(data.releases).toEqual(["5.2"]);
    expect(data.pages["topics/tasks"]).toEqual(["dev"]);
    expect(data.pages["ref/models/querysets"]).toEqual(["5.2", "dev"]);
    expect(data.sources.map((s) => [s.version, s.files])).toEqual([["5.2", 4], ["dev", 6]]);
  });

  it("refuses listings without released versions or with a version twice", () => {
    expect(() => buildDocsData([listing("dev", ["docs/releases/6.0.txt"])])).toThrow(/released version/);
    expect(() => buildDocsData([listing("5.2", ["docs/releases/5.2.1.txt"]), listing("5.2", [])])).toThrow(/two listings for version 5.2/);
  });

  it("reads a saved listing's version and paths, and needs the version", () => {
    const l = parseListing("# Django docs\n# version: any\n# source: somewhere\n\ndocs/index.txt\n", "x.txt");
    expect(l).toEqual({ version: "any", from: "x.txt", paths: ["docs/index.txt"] });
    expect(() => parseListing("docs/index.txt\n", "y.txt")).toThrow(/version/);
  });
});

describe("the committed data", () => {
  it("is exactly what the committed listings give, and every listing says where it came from", () => {
    const files = readdirSync(LISTINGS).filter((f) => f.endsWith(".txt")).sort();
    expect(files.length).toBeGreaterThan(0);
    const listings = files.map((f) => {
      const text = readFileSync(path.join(LISTINGS, f), "utf8");
      expect(text, f).toMatch(/^# source: /m);
      return parseListing(text, `scripts/django-docs/listings/${f}`);
    });
    expect(formatDocsData(buildDocsData(listings))).toBe(readFileSync(DATA, "utf8"));
  });
});

describe("scripts/django-docs-pages.ts", { timeout: 120_000 }, () => {
  it("reads the stable/X.Y.x branches and main of a Django checkout", () => {
    const repo = path.join(temp, "django");
    mkdirSync(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" });
    const write = (files: Record<string, string>) => {
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
        writeFileSync(path.join(repo, name), text);
      }
    };
    git("init", "-q", "-b", "main");
    write({ "docs/index.txt": "x", "docs/ref/settings.txt": "x", "docs/releases/5.2.txt": "x", "docs/releases/5.2.1.txt": "x", "docs/conf.py": "x" });
    git("add", "-A");
    git("commit", "-qm", "5.2");
    git("branch", "stable/5.2.x");
    write({ "docs/topics/tasks.txt": "x", "docs/releases/6.0.txt": "x" });
    git("add", "-A");
    git("commit", "-qm", "dev");

    const out = path.join(temp, "data.json");
    const saved = path.join(temp, "listings");
    const r = run(["--checkout", repo, "--versions", "5.2,dev", "--out", out, "--save-listings", saved]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*: 6 pages; stable 5\.2, dev 6\.0; from 5\.2 \(5 files\), dev \(7 files\)/);
    const data = JSON.parse(readFileSync(out, "utf8"));
    expect(data.pages["topics/tasks"]).toEqual(["dev"]);
    expect(data.pages["ref/settings"]).toEqual(["5.2", "dev"]);
    expect(data.sources[0].from).toMatch(/^stable\/5\.2\.x at [0-9a-f]{40}$/);
    expect(readFileSync(path.join(saved, "5.2.txt"), "utf8")).toMatch(/^# Django documentation source listing\n# version: 5\.2\n# source: git ls-tree/);

    // The saved listings give the same data back.
    const again = path.join(temp, "again.json");
    expect(run(["--listing", path.join(saved, "5.2.txt"), "--listing", path.join(saved, "dev.txt"), "--out", again]).code).toBe(0);
    expect(JSON.parse(readFileSync(again, "utf8")).pages).toEqual(data.pages);

    const missing = run(["--checkout", repo, "--versions", "4.2", "--out", out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("has no branch stable/4.2.x");
  });

  it("--check passes on the committed data and fails when it is stale", () => {
    const listings = readdirSync(LISTINGS).filter((f) => f.endsWith(".txt")).flatMap((f) => ["--listing", path.join(LISTINGS, f)]);
    const ok = run([...listings, "--check"]);
    expect(ok.code, ok.stderr).toBe(0);
    const stale = path.join(temp, "stale.json");
    writeFileSync(stale, "{}\n");
    const r = run([...listings, "--check", "--out", stale]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not what the sources give/);
  });
});
