/**
 * Turns listings of Django's documentation source (`docs/**\/*.txt` paths,
 * one listing per documentation version) into the data the content check
 * reads (`app/modules/validation/data/django-docs.json`). Pure: the CLI
 * (`scripts/django-docs-pages.ts`) gets the listings from a Django checkout
 * or from saved listing files and writes the result.
 */
import type { DjangoDocsData } from "../../app/modules/validation/django-docs";
import { compareVersions } from "../../app/modules/validation/django-docs";

export interface Listing {
  /** `4.2` … `6.0`, `dev`, or `any` for a listing that is not one branch's tree. */
  version: string;
  /** Where it came from, e.g. `stable/5.2.x at 1a2b3c…` or a listing file's path. */
  from: string;
  /** Repository paths, e.g. `docs/ref/models/querysets.txt`. */
  paths: string[];
}

/**
 * The documentation page a source file becomes, or null when it is no page:
 * `docs/ref/models/querysets.txt` → `ref/models/querysets`,
 * `docs/ref/models/index.txt` → `ref/models`, `docs/index.txt` → ``.
 * Files outside docs/, other than `.txt`, or under a folder starting with
 * `_` (Sphinx extensions and theme) are no pages.
 */
export function pageOf(path: string): string | null {
  const m = /^docs\/(.+)\.txt$/.exec(path.trim());
  if (!m) return null;
  const parts = m[1]!.split("/");
  if (parts.some((p) => p === "" || p.startsWith("_") || p.startsWith("."))) return null;
  if (parts.at(-1) === "index") parts.pop();
  return parts.join("/");
}

/**
 * Reads a saved listing: `# version: X` and the other `#` lines are its
 * header (where it came from), every other non-blank line a path.
 */
export function parseListing(text: string, from: string): Listing {
  let version: string | undefined;
  const paths: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const v = /^#\s*version:\s*(\S+)\s*$/.exec(line);
      if (v) version = v[1];
      continue;
    }
    paths.push(line);
  }
  if (!version) throw new Error(`${from}: the listing has no "# version: …" line`);
  return { version, from, paths };
}

/** `releases/5.2.1` → ["5.2", true]; `releases/6.0` → ["6.0", false]; other pages → null. */
function releaseOf(page: string): [series: string, patch: boolean] | null {
  const m = /^releases\/(\d+\.\d+)(\.\d+)?$/.exec(page);
  return m ? [m[1]!, m[2] !== undefined] : null;
}

/**
 * Builds the data. Versions come from the release notes in the listings: a
 * feature version is released once its first patch release has notes
 * (`releases/X.Y.1`); the newest released one is `stable`, and a newer one
 * with notes is the version under development (`dev`).
 */
export function buildDocsData(listings: Listing[], generatedBy = "scripts/django-docs-pages.ts"): DjangoDocsData {
  if (listings.length === 0) throw new Error("no listing to build from");
  const pages = new Map<string, Set<string>>();
  const series = new Set<string>();
  const released = new Set<string>();
  const sources: DjangoDocsData["sources"] = [];
  const seen = new Set<string>();
  for (const listing of listings) {
    if (seen.has(listing.version)) throw new Error(`two listings for version ${listing.version}`);
    seen.add(listing.version);
    let files = 0;
    for (const path of listing.paths) {
      const page = pageOf(path);
      if (page === null) continue;
      files++;
      if (!pages.has(page)) pages.set(page, new Set());
      pages.get(page)!.add(listing.version);
      const release = releaseOf(page);
      if (release) {
        series.add(release[0]);
        if (release[1]) released.add(release[0]);
      }
    }
    sources.push({ version: listing.version, from: listing.from, files });
  }
  const releases = [...released].sort(compareVersions);
  const stable = releases.at(-1);
  if (!stable) throw new Error("the listings hold no release notes of a released version (docs/releases/X.Y.1.txt)");
  const newest = [...series].sort(compareVersions).at(-1)!;
  const order = (v: string) => (v === "any" ? "" : v === "dev" ? "999" : v);
  const sorted = [...pages.keys()].sort();
  const data: DjangoDocsData = {
    generatedBy,
    sources: sources.sort((a, b) => compareVersions(order(a.version), order(b.version))),
    stable,
    ...(compareVersions(newest, stable) > 0 ? { dev: newest } : {}),
    releases,
    pages: Object.fromEntries(
      sorted.map((p) => [p, [...pages.get(p)!].sort((a, b) => compareVersions(order(a), order(b)))]),
    ),
  };
  return data;
}

/** The data as the committed file holds it: stable key order, one page per line. */
export function formatDocsData(data: DjangoDocsData): string {
  const head = JSON.stringify({ ...data, pages: undefined }, null, 2).replace(/\n}$/, "");
  const pages = Object.entries(data.pages)
    .map(([page, versions]) => `    ${JSON.stringify(page)}: ${JSON.stringify(versions)}`)
    .join(",\n");
  return `${head},\n  "pages": {\n${pages}\n  }\n}\n`;
}
