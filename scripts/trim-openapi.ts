/**
 * Trims GitHub's published OpenAPI description (from the npm package
 * `@octokit/openapi`, file `generated/api.github.com.json`) down to the
 * operations the fake GitHub models, plus every `components` entry they
 * reference transitively. `components/examples` are dropped.
 *
 *   npx tsx scripts/trim-openapi.ts --spec /tmp/oa/package/generated/api.github.com.json \
 *     --out tests/fake-github/openapi.json
 *
 * The output is compact, deterministic JSON (paths and component names sorted).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Method + path, exactly as in the spec. */
export const KEPT_OPERATIONS: ReadonlyArray<readonly [string, string]> = [
  ["get", "/repos/{owner}/{repo}"],
  ["get", "/repos/{owner}/{repo}/git/ref/{ref}"],
  ["post", "/repos/{owner}/{repo}/git/refs"],
  ["patch", "/repos/{owner}/{repo}/git/refs/{ref}"],
  ["delete", "/repos/{owner}/{repo}/git/refs/{ref}"],
  ["get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"],
  ["post", "/repos/{owner}/{repo}/git/commits"],
  ["get", "/repos/{owner}/{repo}/git/trees/{tree_sha}"],
  ["post", "/repos/{owner}/{repo}/git/trees"],
  ["post", "/repos/{owner}/{repo}/git/blobs"],
  ["get", "/repos/{owner}/{repo}/git/blobs/{file_sha}"],
  ["get", "/repos/{owner}/{repo}/contents/{path}"],
  ["put", "/repos/{owner}/{repo}/contents/{path}"],
  ["get", "/repos/{owner}/{repo}/compare/{basehead}"],
  ["get", "/repos/{owner}/{repo}/pulls"],
  ["post", "/repos/{owner}/{repo}/pulls"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["patch", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
  ["put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["post", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"],
  ["get", "/repos/{owner}/{repo}/labels/{name}"],
  ["post", "/repos/{owner}/{repo}/labels"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["post", "/repos/{owner}/{repo}/check-runs"],
  ["get", "/repos/{owner}/{repo}/collaborators/{username}/permission"],
  ["post", "/repos/{owner}/{repo}/forks"],
  ["post", "/repos/{owner}/{repo}/merge-upstream"],
  ["get", "/user"],
  ["get", "/users/{username}"],
  ["post", "/app/installations/{installation_id}/access_tokens"],
  ["get", "/rate_limit"],
];

/** Webhook payload descriptions kept from `x-webhooks` (used to check the fake's deliveries). */
export const KEPT_WEBHOOKS: ReadonlyArray<string> = [
  "push",
  "pull-request-opened",
  "pull-request-closed",
  "pull-request-labeled",
  "pull-request-synchronize",
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const KEPT_SECTIONS = ["schemas", "parameters", "responses", "headers"] as const;

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `{ default: { $ref: "#/components/examples/x" }, ... }` — an examples map pointing into components. */
function isExampleRefMap(v: Json): boolean {
  if (!isObject(v)) return false;
  const values = Object.values(v);
  return (
    values.length > 0 &&
    values.every((e) => isObject(e) && typeof e.$ref === "string" && e.$ref.startsWith("#/components/examples/"))
  );
}

/** Deep copy without example maps that point into `components/examples`. */
function stripExampleRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripExampleRefs);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "examples" && isExampleRefMap(value)) continue;
    out[key] = stripExampleRefs(value);
  }
  return out;
}

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") into.add(value);
    else collectRefs(value, into);
  }
}

function sortKeys(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key] as Json;
  return out;
}

export interface TrimResult {
  spec: JsonObject;
  missing: string[];
}

export function trimSpec(full: JsonObject, trimmedFrom: string): TrimResult {
  const paths = isObject(full.paths) ? full.paths : {};
  const components = isObject(full.components) ? full.components : {};
  const missing: string[] = [];
  const keptPaths: JsonObject = {};
  const pending: string[] = [];
  const seen = new Set<string>();

  const enqueue = (node: Json) => {
    const refs = new Set<string>();
    collectRefs(node, refs);
    for (const ref of [...refs].sort()) {
      if (!seen.has(ref)) {
        seen.add(ref);
        pending.push(ref);
      }
    }
  };

  for (const [method, path] of KEPT_OPERATIONS) {
    const item = paths[path];
    const op = isObject(item) ? item[method] : undefined;
    if (!isObject(op)) {
      missing.push(`${method.toUpperCase()} ${path}`);
      continue;
    }
    const pathItem = (keptPaths[path] ??= {}) as JsonObject;
    const cleaned = stripExampleRefs(op);
    pathItem[method] = cleaned;
    enqueue(cleaned);
    // Path-level parameters apply to every method of the path.
    const shared = (item as JsonObject).parameters;
    if (Array.isArray(shared) && !pathItem.parameters) {
      pathItem.parameters = stripExampleRefs(shared);
      enqueue(pathItem.parameters);
    }
  }

  const webhooksIn = isObject(full["x-webhooks"]) ? full["x-webhooks"] : {};
  const keptWebhooks: JsonObject = {};
  for (const name of KEPT_WEBHOOKS) {
    const hook = webhooksIn[name];
    if (!isObject(hook)) {
      missing.push(`webhook ${name}`);
      continue;
    }
    const cleaned = stripExampleRefs(hook);
    keptWebhooks[name] = cleaned;
    enqueue(cleaned);
  }

  const keptComponents: Record<string, JsonObject> = {};
  while (pending.length > 0) {
    const ref = pending.shift()!;
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`Unsupported $ref ${ref}`);
    const [, section, name] = m as unknown as [string, string, string];
    if (section === "examples") continue;
    if (!(KEPT_SECTIONS as readonly string[]).includes(section)) throw new Error(`Unexpected component section in ${ref}`);
    const source = components[section];
    const entry = isObject(source) ? source[name] : undefined;
    if (entry === undefined) throw new Error(`Dangling $ref ${ref}`);
    const cleaned = stripExampleRefs(entry);
    (keptComponents[section] ??= {})[name] = cleaned;
    enqueue(cleaned);
  }

  const sortedPaths = sortKeys(keptPaths);
  const outComponents: JsonObject = {};
  for (const section of KEPT_SECTIONS) {
    if (keptComponents[section]) outComponents[section] = sortKeys(keptComponents[section]!);
  }
  const info: JsonObject = { ...(isObject(full.info) ? full.info : {}), "x-trimmed-from": trimmedFrom };
  const spec: JsonObject = {
    openapi: full.openapi ?? "3.0.3",
    info,
    servers: full.servers ?? [],
    paths: sortedPaths,
    "x-webhooks": keptWebhooks,
    components: outComponents,
  };
  return { spec, missing };
}

/** Package name@version, from the package.json next to `generated/`, else the spec's info.version. */
function detectSource(specPath: string, full: JsonObject): string {
  const pkgPath = join(dirname(resolve(specPath)), "..", "package.json");
  if (existsSync(pkgPath)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return `${pkg.name}@${pkg.version}`;
    } catch {
      // fall through
    }
  }
  const version = isObject(full.info) && typeof full.info.version === "string" ? full.info.version : "unknown";
  return `@octokit/openapi@${version}`;
}

const USAGE = `Usage: npx tsx scripts/trim-openapi.ts --spec <api.github.com.json> [--out tests/fake-github/openapi.json]

The full description comes from the npm package @octokit/openapi (about 385 MB unpacked);
do not add it to package.json. Fetch it into a temporary folder instead:

  mkdir -p /tmp/oa && cd /tmp/oa && npm pack @octokit/openapi@latest && tar xzf octokit-openapi-*.tgz

then run:

  npx tsx scripts/trim-openapi.ts --spec /tmp/oa/package/generated/api.github.com.json \\
    --out tests/fake-github/openapi.json
`;

function parseArgs(argv: string[]): { spec?: string; out: string; help: boolean } {
  let spec: string | undefined;
  let out = "tests/fake-github/openapi.json";
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--spec") spec = argv[++i];
    else if (arg.startsWith("--spec=")) spec = arg.slice(7);
    else if (arg === "--out") out = argv[++i] ?? out;
    else if (arg.startsWith("--out=")) out = arg.slice(6);
    else if (arg === "--help" || arg === "-h") help = true;
    else throw new Error(`Unknown argument ${arg}\n\n${USAGE}`);
  }
  return { spec, out, help };
}

function main(): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (args.help || !args.spec) {
    (args.help ? process.stdout : process.stderr).write(USAGE);
    return args.help ? 0 : 2;
  }
  if (!existsSync(args.spec)) {
    process.stderr.write(`No such file: ${args.spec}\n\n${USAGE}`);
    return 2;
  }
  const full = JSON.parse(readFileSync(args.spec, "utf8")) as JsonObject;
  const { spec, missing } = trimSpec(full, detectSource(args.spec, full));
  if (missing.length > 0) {
    process.stderr.write(`Not found in the spec:\n  ${missing.join("\n  ")}\n`);
    return 1;
  }
  const text = `${JSON.stringify(spec)}\n`;
  writeFileSync(args.out, text);
  const counts = Object.entries(spec.components as JsonObject)
    .map(([k, v]) => `${Object.keys(v as JsonObject).length} ${k}`)
    .join(", ");
  process.stdout.write(
    `Wrote ${args.out}: ${KEPT_OPERATIONS.length} operations, ${KEPT_WEBHOOKS.length} webhooks, ${counts}, ${(text.length / 1024).toFixed(0)} KiB (from ${(spec.info as JsonObject)["x-trimmed-from"]})\n`,
  );
  return 0;
}

const isEntryPoint = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) process.exitCode = main();
