/**
 * Generates the list of Django documentation pages the content check knows
 * (app/modules/validation/data/django-docs.json) from Django's documentation
 * source. Decision 021.
 *
 *   npm run docs:django -- --checkout DIR [--versions 4.2,5.1,5.2,6.0,dev] [--save-listings DIR]
 *   npm run docs:django -- --listing FILE [--listing FILE …]
 *
 * --checkout reads a clone of github.com/django/django: `git ls-tree` of
 * docs/ on stable/X.Y.x for each version (dev: main), local or
 * origin/… branches. --listing reads saved listings instead (a `# version:`
 * line, `#` lines saying where the listing came from, then one
 * docs/…/*.txt path per line), e.g. scripts/django-docs/listings/*.txt.
 * --out FILE writes elsewhere; --check only compares and exits 1 when the
 * committed file differs from what the sources give.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildDocsData, formatDocsData, parseListing, type Listing } from "./django-docs/build";

const ROOT = path.resolve(import.meta.dirname, "..");
const DEFAULT_OUT = path.join(ROOT, "app/modules/validation/data/django-docs.json");
const DEFAULT_VERSIONS = ["4.2", "5.1", "5.2", "6.0", "dev"];

const USAGE = `Usage: npm run docs:django -- (--checkout DIR [--versions LIST] [--save-listings DIR] | --listing FILE…) [--out FILE] [--check]`;

class UsageError extends Error {}

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

/** The branch that holds a version's documentation in a checkout, or null. */
function branchOf(dir: string, version: string): { ref: string; commit: string } | null {
  const names = version === "dev" ? ["main", "master"] : [`stable/${version}.x`];
  for (const name of names) {
    for (const ref of [`refs/remotes/origin/${name}`, `refs/heads/${name}`]) {
      try {
        const commit = git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).trim();
        if (commit) return { ref, commit };
      } catch {
        // not this one
      }
    }
  }
  return null;
}

function listingsFromCheckout(dir: string, versions: string[]): Listing[] {
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
  return versions.map((version) => {
    const branch = branchOf(dir, version);
    if (!branch) {
      const wanted = version === "dev" ? "main" : `stable/${version}.x`;
      throw new UsageError(`${dir} has no branch ${wanted} (local or origin/); fetch it first`);
    }
    const paths = git(dir, ["ls-tree", "-r", "--name-only", branch.ref, "--", "docs"]).split("\n").filter(Boolean);
    return { version, from: `${branch.ref.replace(/^refs\/(remotes\/|heads\/)/, "")} at ${branch.commit}`, paths };
  });
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      checkout: { type: "string" },
      versions: { type: "string" },
      listing: { type: "string", multiple: true },
      "save-listings": { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (Boolean(values.checkout) === Boolean(values.listing?.length)) throw new UsageError("give either --checkout DIR or --listing FILE");

  let listings: Listing[];
  if (values.checkout) {
    const versions = (values.versions ?? DEFAULT_VERSIONS.join(",")).split(",").map((v) => v.trim()).filter(Boolean);
    for (const v of versions) if (v !== "dev" && !/^\d+\.\d+$/.test(v)) throw new UsageError(`--versions: "${v}" is not X.Y or dev`);
    listings = listingsFromCheckout(path.resolve(values.checkout), versions);
    if (values["save-listings"]) {
      const dir = path.resolve(values["save-listings"]);
      mkdirSync(dir, { recursive: true });
      for (const l of listings) {
        const header = `# Django documentation source listing\n# version: ${l.version}\n# source: git ls-tree -r --name-only of docs/ on ${l.from}\n`;
        writeFileSync(path.join(dir, `${l.version}.txt`), `${header}${l.paths.join("\n")}\n`);
      }
    }
  } else {
    listings = values.listing!.map((file) => {
      const full = path.resolve(file);
      if (!existsSync(full)) throw new UsageError(`${file} does not exist`);
      return parseListing(readFileSync(full, "utf8"), path.relative(ROOT, full).split(path.sep).join("/"));
    });
  }

  const text = formatDocsData(buildDocsData(listings));
  const out = path.resolve(values.out ?? DEFAULT_OUT);
  const data = JSON.parse(text) as { stable: string; dev?: string; pages: object };
  const summary = `${Object.keys(data.pages).length} pages; stable ${data.stable}${data.dev ? `, dev ${data.dev}` : ""}; from ${listings.map((l) => `${l.version} (${l.paths.length} files)`).join(", ")}`;
  if (values.check) {
    const current = existsSync(out) ? readFileSync(out, "utf8") : "";
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), out)} is not what the sources give (${summary}); run the command without --check`);
      return 1;
    }
    console.log(`${path.relative(process.cwd(), out)} is up to date: ${summary}`);
    return 0;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`Wrote ${path.relative(process.cwd(), out)}: ${summary}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`error: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
