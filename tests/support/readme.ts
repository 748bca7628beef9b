import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The variable names in the first column of README's "## Configuration" tables (empty when there is no such section). */
export function readmeVariables(): Set<string> {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n## Configuration\n");
  const names = new Set<string>();
  if (start < 0) return names;
  const end = readme.indexOf("\n## ", start + 1);
  for (const line of readme.slice(start, end).split("\n")) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? "";
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!);
  }
  return names;
}
