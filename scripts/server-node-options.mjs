// The server process's V8 settings that only work on its command line or in NODE_OPTIONS
// (docs/decisions/033-server-memory.md). Every launcher of server.mjs passes them: `npm start`
// (scripts/start.mjs), the container image (its ENV NODE_OPTIONS, checked by a test) and the
// tests' and benchmark's server (tests/support/app-server.ts).
//
// --max-semi-space-size=16: a young generation of 2 × 16 MB. V8 sizes it from the machine's
// memory (2 × 64 MB on a 24 GiB machine), memory the server keeps resident for no benefit: its
// requests allocate little that lives, and a smaller young generation costs no measurable latency.
export const SERVER_NODE_OPTIONS = ["--max-semi-space-size=16"];

/** `env` with SERVER_NODE_OPTIONS added to its NODE_OPTIONS (an option already set there wins). */
export function withServerNodeOptions(env) {
  const current = (env.NODE_OPTIONS ?? "").trim();
  const names = new Set(current.split(/\s+/).filter(Boolean).map((o) => o.split("=")[0]));
  const added = SERVER_NODE_OPTIONS.filter((o) => !names.has(o.split("=")[0]));
  return { ...env, NODE_OPTIONS: [current, ...added].filter(Boolean).join(" ") };
}
