/**
 * README's configuration table lists every environment variable the code
 * reads, and nothing else. The names are collected from the sources (app/,
 * scripts/, server.mjs and the test support code) in the forms they are read:
 * `process.env.X`, `env.X`, `env["X"]`, `const { X } = env`, the keys of the
 * zod environment schemas, and server.mjs's `flag("X", …)`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readmeVariables } from "../support/readme";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      // Fixtures are data; workflow tests read the workflow's own step variables.
      if (name === "node_modules" || name === "fixtures" || full === path.join(root, "tests/workflows")) continue;
      out.push(...sourceFiles(full));
    } else if (/\.(?:ts|tsx|mjs|js)$/.test(name)) {
      out.push(full);
    }
  }
  return out;
}

/** Names of the environment variables read by `source`. */
export function variablesRead(source: string): Set<string> {
  const names = new Set<string>();
  const add = (n: string | undefined) => n && names.add(n);
  for (const m of source.matchAll(/\benv(?:\.|\[\s*["'`])([A-Z][A-Z0-9_]*)\b/g)) add(m[1]);
  for (const m of source.matchAll(/\{([^{}]*)\}\s*=\s*(?:process\.)?env\b/g)) {
    for (const k of m[1]!.matchAll(/\b([A-Z][A-Z0-9_]+)\b/g)) add(k[1]);
  }
  for (const m of source.matchAll(/\bflag\(\s*["']([A-Z][A-Z0-9_]*)["']/g)) add(m[1]);
  if (/from "zod"/.test(source)) {
    // Keys of a z.object({...}) environment schema: `  NAME: z.…` or `  NAME: helper.default(…)`.
    for (const m of source.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)) add(m[1]);
  }
  return names;
}

function readVariables(): Map<string, string> {
  const where = new Map<string, string>();
  const files = [...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "scripts")), path.join(root, "server.mjs"), ...sourceFiles(path.join(root, "tests"))];
  for (const file of files) {
    if (file === fileURLToPath(import.meta.url)) continue; // this file's examples
    for (const name of variablesRead(readFileSync(file, "utf8"))) if (!where.has(name)) where.set(name, path.relative(root, file));
  }
  return where;
}

describe("README's configuration table", () => {
  it("the scan finds variables in each form they are read (so the checks below can fail)", () => {
    expect([...variablesRead('const port = Number(process.env.PORT ?? 3000); env["HOST"];')]).toEqual(["PORT", "HOST"]);
    expect([...variablesRead("const { GITHUB_SHA: sha, GITHUB_REPOSITORY } = env;")]).toEqual(["GITHUB_SHA", "GITHUB_REPOSITORY"]);
    expect([...variablesRead('import { z } from "zod";\nconst S = z.object({\n  TRUST_PROXY: boolish.default("0"),\n});')]).toEqual(["TRUST_PROXY"]);
    const read = readVariables();
    // One of each form in the real sources: schema keys, server.mjs's flag(), process.env in tests and scripts.
    for (const name of ["GITHUB_TOKEN", "TRUST_PROXY", "PAGE_CACHE", "CHROMIUM_PATH", "BENCH_BODY_B64", "GITHUB_WORKSPACE"]) {
      expect(read.has(name), `${name} is found`).toBe(true);
    }
  });

  it("lists every environment variable the code reads", () => {
    const listed = readmeVariables();
    expect(listed.size, "README has a ## Configuration section with a table").toBeGreaterThan(10);
    const missing = [...readVariables()].filter(([name]) => !listed.has(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing, "add these to README.md's configuration table, with their default").toEqual([]);
  });

  it("lists no variable that nothing reads", () => {
    const read = readVariables();
    expect([...readmeVariables()].filter((name) => !read.has(name))).toEqual([]);
  });
});
