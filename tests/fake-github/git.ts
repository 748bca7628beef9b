/**
 * A tiny content-addressed git object store: blobs, trees and commits hashed
 * exactly as git does (sha1 of `"<type> <size>\0<body>"`), so identical content
 * always gets the identical 40-hex SHA, as on GitHub.
 */
import { createHash } from "node:crypto";

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601, second precision, UTC (`2024-01-02T03:04:05Z`). */
  date: string;
}

export interface TreeEntry {
  name: string;
  /** As the REST API shows it: `100644`, `100755`, `040000`, `160000`, `120000`. */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
}

export interface BlobObject {
  type: "blob";
  sha: string;
  content: Buffer;
}
export interface TreeObject {
  type: "tree";
  sha: string;
  entries: TreeEntry[];
}
export interface CommitObject {
  type: "commit";
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}
export type GitObject = BlobObject | TreeObject | CommitObject;

/** A file in a flattened tree. */
export interface FlatEntry {
  mode: string;
  type: "blob" | "commit";
  sha: string;
}

export interface FileChange {
  path: string;
  status: "added" | "modified" | "removed";
  oldSha?: string;
  newSha?: string;
}

export const EMPTY_TREE_SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export function isSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

export function nowIso(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function hashObject(type: string, body: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest("hex");
}

function gitMode(mode: string): string {
  return mode === "040000" ? "40000" : mode;
}

/** Git's tree order: byte order of names, with subtrees compared as `name/`. */
function treeSortKey(entry: TreeEntry): string {
  return entry.type === "tree" ? `${entry.name}/` : entry.name;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function identityLine(kind: string, who: GitIdentity): string {
  const seconds = Math.floor(Date.parse(who.date) / 1000);
  return `${kind} ${who.name} <${who.email}> ${seconds} +0000`;
}

export class ObjectStore {
  readonly objects = new Map<string, GitObject>();

  has(sha: string): boolean {
    return this.objects.has(sha);
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }

  blob(sha: string): BlobObject | undefined {
    const o = this.objects.get(sha);
    return o?.type === "blob" ? o : undefined;
  }

  tree(sha: string): TreeObject | undefined {
    if (sha === EMPTY_TREE_SHA && !this.objects.has(sha)) this.putTree([]);
    const o = this.objects.get(sha);
    return o?.type === "tree" ? o : undefined;
  }

  commit(sha: string): CommitObject | undefined {
    const o = this.objects.get(sha);
    return o?.type === "commit" ? o : undefined;
  }

  putBlob(content: Buffer | string): string {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const sha = hashObject("blob", buf);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: "blob", sha, content: buf });
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => compareBytes(treeSortKey(a), treeSortKey(b)));
    const body = Buffer.concat(
      sorted.map((e) => Buffer.concat([Buffer.from(`${gitMode(e.mode)} ${e.name}\0`), Buffer.from(e.sha, "hex")])),
    );
    const sha = hashObject("tree", body);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: "tree", sha, entries: sorted });
    return sha;
  }

  putCommit(input: Omit<CommitObject, "type" | "sha">): string {
    const lines = [`tree ${input.tree}`, ...input.parents.map((p) => `parent ${p}`)];
    lines.push(identityLine("author", input.author), identityLine("committer", input.committer));
    const body = Buffer.from(`${lines.join("\n")}\n\n${input.message}`, "utf8");
    const sha = hashObject("commit", body);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: "commit", sha, ...input, parents: [...input.parents] });
    return sha;
  }

  /** All files of a tree, keyed by full path. */
  flatten(treeSha: string, prefix = "", into = new Map<string, FlatEntry>()): Map<string, FlatEntry> {
    const tree = this.tree(treeSha);
    if (!tree) throw new Error(`not a tree: ${treeSha}`);
    for (const e of tree.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.type === "tree") this.flatten(e.sha, path, into);
      else into.set(path, { mode: e.mode, type: e.type, sha: e.sha });
    }
    return into;
  }

  /** Builds (and stores) nested trees from a flat path → entry map; returns the root tree SHA. */
  buildTree(flat: Map<string, FlatEntry>): string {
    interface Dir {
      files: TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: [], dirs: new Map() };
    for (const [path, entry] of flat) {
      const parts = path.split("/");
      const name = parts.pop()!;
      let dir = root;
      for (const part of parts) {
        let next = dir.dirs.get(part);
        if (!next) dir.dirs.set(part, (next = { files: [], dirs: new Map() }));
        dir = next;
      }
      dir.files.push({ name, mode: entry.mode, type: entry.type, sha: entry.sha });
    }
    const write = (dir: Dir): string => {
      const entries = [...dir.files];
      for (const [name, sub] of dir.dirs) entries.push({ name, mode: "040000", type: "tree", sha: write(sub) });
      return this.putTree(entries);
    };
    return write(root);
  }

  /** Commits reachable from `sha` (including it), breadth-first. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      const commit = this.commit(current);
      if (!commit) continue;
      seen.add(current);
      queue.push(...commit.parents);
    }
    return seen;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  /** Nearest common ancestor (first found walking `b` breadth-first). */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const seen = new Set<string>();
    const queue = [b];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      if (fromA.has(current)) return current;
      const commit = this.commit(current);
      if (commit) queue.push(...commit.parents);
    }
    return undefined;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsBetween(base: string | undefined, head: string): CommitObject[] {
    const exclude = base ? this.ancestors(base) : new Set<string>();
    const out: CommitObject[] = [];
    for (const sha of this.ancestors(head)) {
      if (exclude.has(sha)) continue;
      const commit = this.commit(sha);
      if (commit) out.push(commit);
    }
    // Parents before children; ties by committer date.
    const order = new Map<string, number>();
    const depth = (sha: string): number => {
      if (order.has(sha)) return order.get(sha)!;
      const commit = this.commit(sha);
      const d = !commit || exclude.has(sha) ? 0 : 1 + Math.max(0, ...commit.parents.map(depth));
      order.set(sha, d);
      return d;
    };
    return out.sort((x, y) => depth(x.sha) - depth(y.sha) || x.committer.date.localeCompare(y.committer.date));
  }

  /** File-level changes from one tree to another (`undefined` = empty tree). */
  diffTrees(fromTree: string | undefined, toTree: string): FileChange[] {
    const before = fromTree ? this.flatten(fromTree) : new Map<string, FlatEntry>();
    const after = this.flatten(toTree);
    const changes: FileChange[] = [];
    for (const [path, entry] of after) {
      const old = before.get(path);
      if (!old) changes.push({ path, status: "added", newSha: entry.sha });
      else if (old.sha !== entry.sha || old.mode !== entry.mode) changes.push({ path, status: "modified", oldSha: old.sha, newSha: entry.sha });
    }
    for (const [path, entry] of before) if (!after.has(path)) changes.push({ path, status: "removed", oldSha: entry.sha });
    return changes.sort((x, y) => compareBytes(x.path, y.path));
  }

  /**
   * Three-way merge at file level: applies the changes `base → theirs` onto `ours`.
   * Returns the merged flat tree, or the conflicting paths when both sides changed a file differently.
   */
  mergeTrees(baseTree: string | undefined, oursTree: string, theirsTree: string): { flat: Map<string, FlatEntry> } | { conflicts: string[] } {
    const base = baseTree ? this.flatten(baseTree) : new Map<string, FlatEntry>();
    const ours = this.flatten(oursTree);
    const theirs = this.flatten(theirsTree);
    const merged = new Map(ours);
    const conflicts: string[] = [];
    const paths = new Set([...base.keys(), ...theirs.keys()]);
    for (const path of paths) {
      const b = base.get(path)?.sha;
      const t = theirs.get(path);
      const o = ours.get(path);
      if (b === t?.sha) continue; // theirs did not touch it
      if (o?.sha === t?.sha) continue; // both made the same change
      if (o?.sha !== b) {
        conflicts.push(path);
        continue;
      }
      if (t) merged.set(path, t);
      else merged.delete(path);
    }
    return conflicts.length > 0 ? { conflicts: conflicts.sort() } : { flat: merged };
  }
}

// ---------------------------------------------------------------------------
// Line diffs (for `additions`, `deletions` and `patch` of diff entries)

export interface LineDiff {
  additions: number;
  deletions: number;
  patch: string;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A unified diff (3 lines of context), as GitHub shows in `patch`, with the line counts. */
export function lineDiff(before: string, after: string): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  type Op = { kind: " " | "-" | "+"; line: string };
  let ops: Op[];
  if (a.length * b.length > 4_000_000) {
    ops = [...a.map((line) => ({ kind: "-" as const, line })), ...b.map((line) => ({ kind: "+" as const, line }))];
  } else {
    // Longest common subsequence table, then walk it.
    const n = a.length;
    const m = b.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    ops = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) {
        ops.push({ kind: " ", line: a[i]! });
        i++;
        j++;
      } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: "-", line: a[i++]! });
      else ops.push({ kind: "+", line: b[j++]! });
    }
    while (i < n) ops.push({ kind: "-", line: a[i++]! });
    while (j < m) ops.push({ kind: "+", line: b[j++]! });
  }

  const additions = ops.filter((o) => o.kind === "+").length;
  const deletions = ops.filter((o) => o.kind === "-").length;
  const context = 3;
  const hunks: string[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context unchanged lines.
    while (end < ops.length) {
      if (ops[end]!.kind !== " ") {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run]!.kind === " ") run++;
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    let oldStart = 1;
    let newStart = 1;
    for (let x = 0; x < start; x++) {
      if (ops[x]!.kind !== "+") oldStart++;
      if (ops[x]!.kind !== "-") newStart++;
    }
    const slice = ops.slice(start, end);
    const oldLen = slice.filter((o) => o.kind !== "+").length;
    const newLen = slice.filter((o) => o.kind !== "-").length;
    hunks.push(
      `@@ -${oldLen === 0 ? oldStart - 1 : oldStart},${oldLen} +${newLen === 0 ? newStart - 1 : newStart},${newLen} @@\n` +
        slice.map((o) => `${o.kind}${o.line}`).join("\n"),
    );
    k = end;
    start = end;
  }
  return { additions, deletions, patch: hunks.join("\n") };
}
