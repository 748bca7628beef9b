/**
 * The Dockerfile, compose.yaml and the Caddyfile agree with the app. No
 * Docker engine runs here, so what can be checked without one is checked:
 * every variable they set is one the app reads (README's table), the health
 * paths exist, ports match from the image to the proxy, the runtime runs as
 * an unprivileged user with production dependencies only, and every file the
 * image needs is copied (and not excluded from the build context).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HEALTH_PATHS } from "~/modules/server/http.server";
import { readmeVariables } from "../support/readme";
import { SERVER_NODE_OPTIONS } from "../../scripts/server-node-options.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function dockerStages(): { name: string; from: string; instructions: Instruction[] }[] {
  const text = read("Dockerfile").replace(/\\\n/g, " ");
  const args = new Map<string, string>();
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, op = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { op: op.toUpperCase(), args: rest.replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? `\${${n}}`) };
    if (instruction.op === "ARG" && stages.length === 0) {
      const [name, value = ""] = instruction.args.split("=");
      args.set(name!, value);
    } else if (instruction.op === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args)!;
      stages.push({ from: m[1]!, name: m[2] ?? String(stages.length), instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

function envOfDockerfile(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.op === "ENV")) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  }
  return env;
}

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  depends_on?: unknown;
}

const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
const caddyfile = read("deploy/Caddyfile");

describe("the Dockerfile", () => {
  const stages = dockerStages();
  const runtime = stages.at(-1)!;

  it("builds in one stage and runs a Debian slim Node 24 image with production dependencies only", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // Every stage is Node 24 on Debian slim, directly or through an earlier stage.
    const names = new Set(stages.map((s) => s.name));
    for (const s of stages) expect(names.has(s.from) || s.from === "node:24-bookworm-slim", `stage ${s.name} FROM ${s.from}`).toBe(true);
    expect(runtime.from).toBe("node:24-bookworm-slim");
    const build = stages.find((s) => s.instructions.some((i) => i.op === "RUN" && /npm run build/.test(i.args)));
    expect(build, "a stage runs npm run build").toBeDefined();
    const deps = stages.find((s) => s.instructions.some((i) => i.op === "RUN" && /npm ci --omit=dev/.test(i.args)));
    expect(deps, "a stage installs the production dependencies").toBeDefined();
    const copies = runtime.instructions.filter((i) => i.op === "COPY");
    expect(copies.some((c) => c.args.includes(`--from=${deps!.name} /app/node_modules`))).toBe(true);
    expect(copies.some((c) => c.args.includes(`--from=${build!.name} /app/build`))).toBe(true);
    // No full `npm ci` (dev dependencies) in the runtime stage.
    expect(runtime.instructions.filter((i) => i.op === "RUN" && /npm (ci|install)/.test(i.args))).toEqual([]);
  });

  it("runs as the unprivileged node user, not root", () => {
    const users = runtime.instructions.filter((i) => i.op === "USER").map((i) => i.args.trim());
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(users.at(-1)).toBe("node");
  });

  it("sets only variables the app reads (README's table), and its port is the one it exposes", () => {
    const env = envOfDockerfile(runtime.instructions);
    const listed = readmeVariables();
    expect(Object.keys(env).filter((k) => !listed.has(k))).toEqual([]);
    const exposed = runtime.instructions.filter((i) => i.op === "EXPOSE").map((i) => i.args.trim());
    expect(exposed).toEqual([env.PORT]);
    expect(env.NODE_ENV).toBe("production");
  });

  it("gives the server the V8 options npm start gives it (a small young generation)", () => {
    const options = (envOfDockerfile(runtime.instructions).NODE_OPTIONS ?? "").split(/\s+/);
    expect(options).toEqual(expect.arrayContaining(SERVER_NODE_OPTIONS));
  });

  it("checks its health at a path the server answers", () => {
    const check = runtime.instructions.find((i) => i.op === "HEALTHCHECK")!;
    const used = /\/healthz[\w/]*/.exec(check.args)?.[0];
    expect(used && HEALTH_PATHS.has(used), `${used} is one of ${[...HEALTH_PATHS].join(", ")}`).toBe(true);
  });

  it("copies every file the server needs, none of them excluded from the build context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    const sources = runtime.instructions
      .filter((i) => i.op === "COPY" && !i.args.includes("--from="))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const source of sources) {
      expect(fs.existsSync(path.join(ROOT, source)), source).toBe(true);
      expect(ignored.some((p) => source === p || source.startsWith(`${p}/`)), `${source} is not in .dockerignore`).toBe(false);
    }
    // The server's own imports of repository files, the command and the pull request template are among them.
    const local = [...read("server.mjs").matchAll(/^import\s+(?:[^"']*from\s+)?["'](\.\/[^"']+)["']/gm)].map((m) => m[1]!.slice(2));
    const cmd = runtime.instructions.find((i) => i.op === "CMD")!.args;
    const script = /"(scripts\/[^"]+)"/.exec(cmd)?.[1];
    for (const needed of [...local, script!, "server.mjs", ".github/proposal-template.md", "content"]) {
      expect(sources.some((s) => needed === s || needed.startsWith(`${s}/`) || sources.includes(needed)), needed).toBe(true);
    }
  });
});

describe("compose.yaml", () => {
  it("runs PostgreSQL and two app instances from this Dockerfile behind a proxy", () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:\d+/);
    expect(appServices.map(([name]) => name)).toEqual(["app-1", "app-2"]);
    expect(compose.services.proxy?.image).toMatch(/^caddy:/);
  });

  it("sets only variables the app reads (README's table)", () => {
    const listed = readmeVariables();
    for (const [name, service] of appServices) {
      const unknown = Object.keys(service.environment ?? {}).filter((k) => !listed.has(k));
      expect(unknown, name).toEqual([]);
    }
  });

  it("gives every instance the same PostgreSQL and secrets, and a volume of its own for DATA_DIR", () => {
    const envs = appServices.map(([, s]) => s.environment!);
    for (const key of ["DATABASE_URL", "SESSION_SECRET", "MAINTAINER_TOKEN"]) {
      expect(new Set(envs.map((e) => e[key])).size, key).toBe(1);
    }
    expect(envs[0]!.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    const volumes = appServices.map(([, s]) => (s.volumes ?? []).find((v) => v.endsWith(":/data")));
    expect(volumes.every(Boolean)).toBe(true);
    expect(new Set(volumes).size).toBe(appServices.length);
    for (const v of volumes) expect(Object.keys(compose.volumes)).toContain(v!.split(":")[0]);
  });

  it("gives an instance longer to stop than its own shutdown deadline", () => {
    for (const [name, s] of appServices) {
      const grace = Number(/^(\d+)s$/.exec(s.stop_grace_period ?? "10s")![1]);
      expect(Number(s.environment!.SHUTDOWN_TIMEOUT), name).toBeLessThan(grace);
    }
  });

  it("the proxy sends to each instance's port, checks readiness at a path the server answers, and listens where compose publishes", () => {
    const upstreams = /reverse_proxy\s+([^{]+)\{/.exec(caddyfile)![1]!.trim().split(/\s+/);
    expect(upstreams).toEqual(appServices.map(([name, s]) => `${name}:${s.environment!.PORT}`));
    for (const [, s] of appServices) expect(s.expose).toEqual([s.environment!.PORT]);
    const health = /health_uri\s+(\S+)/.exec(caddyfile)![1]!;
    expect(HEALTH_PATHS.has(health)).toBe(true);
    expect(health).toBe("/healthz/ready");
    const listen = /^:(\d+)\s*\{/m.exec(caddyfile)![1];
    expect(compose.services.proxy!.ports!.map((p) => p.split(":").at(-1))).toEqual([listen]);
    // Behind the proxy the client address comes from X-Forwarded-For.
    for (const [, s] of appServices) expect(s.environment!.TRUST_PROXY).toBe("1");
  });
});
