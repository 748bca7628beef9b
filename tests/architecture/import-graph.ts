/**
 * The import graph of the app's TypeScript sources, read as text (no build): every
 * `import … from`, `export … from`, `import("…")` and `import "…"` of a file under app/,
 * resolved (`~/…` and relative paths) to the file it names. Used by the architecture test.
 */
import fs from "node:fs";
import path from "node:path";

export const EXTENSIONS = [".ts", ".tsx"];

export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: no runtime dependency, but a dependency of the design all the same. */
  typeOnly: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "__fixtures__") walk(full, out);
    } else if (EXTENSIONS.some((e) => entry.name.endsWith(e)) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const SPECIFIER = /(?:^|[\s;}])(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolve(root: string, fromFile: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith("~/")) base = path.join(root, "app", spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(fromFile), spec);
  else return undefined; // a package
  base = base.replace(/\?.*$/, "");
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Source files under `app/` (tests included) and their imports of other files under `app/`. */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = walk(path.join(root, "app"));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    // Comments may quote imports; strip them first (roughly: good enough for our own sources).
    const text = fs.readFileSync(file, "utf8").replace(/\/\*[^]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2] ?? m[3];
      if (!spec) continue;
      const to = resolve(root, file, spec);
      if (to) edges.push({ from: file, to, typeOnly: Boolean(m[1]) });
    }
  }
  return { files, edges };
}

/** The module a file belongs to: `modules/<name>` for app/modules/<name>/…, else its top folder under app/ (`routes`, `components`) or the file itself. */
export function moduleOf(root: string, file: string): string {
  const rel = path.relative(path.join(root, "app"), file).split(path.sep);
  if (rel[0] === "modules" && rel.length > 2) return `modules/${rel[1]}`;
  if (rel.length > 1) return rel[0]!;
  return rel[0]!;
}

/** Strongly connected components with more than one node (or a self-loop): the import cycles. */
export function cycles(nodes: Iterable<string>, edges: Iterable<[string, string]>): string[][] {
  const next = new Map<string, Set<string>>();
  for (const n of nodes) next.set(n, new Set());
  for (const [a, b] of edges) {
    if (!next.has(a)) next.set(a, new Set());
    if (!next.has(b)) next.set(b, new Set());
    next.get(a)!.add(b);
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  // Iterative Tarjan (the graph has a few hundred nodes, but recursion depth is not ours to choose).
  for (const start of next.keys()) {
    if (indices.has(start)) continue;
    const work: { node: string; it: Iterator<string> }[] = [{ node: start, it: next.get(start)!.values() }];
    indices.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!indices.has(w)) {
          indices.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, it: next.get(w)!.values() });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, indices.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === indices.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1 || next.get(top.node)!.has(top.node)) out.push(component.sort());
      }
    }
  }
  return out;
}
