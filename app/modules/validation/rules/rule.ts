import type { ContentContext, MarkdownEntry } from "../context";
import { walk, type MdNode } from "../markdown";
import type { Severity } from "../types";

/** What a rule reports; the registry adds the rule's id and severity. */
export interface Hit {
  path: string;
  line: number;
  column: number;
  message: string;
  /** Another file the finding is about, e.g. the older question of a possible duplicate. */
  related?: string;
}

/** A field of the contribution forms (`app/components/proposal-form.tsx`). */
export type FormField = "title" | "tags" | "credit" | "name" | "github" | "body";

/**
 * Where the contribution form shows a rule's findings, per kind of file: a form field,
 * or `null` for a value the site makes itself (number, dates; shown above the form).
 * Absent: found by the finding's line (a body line → `body`, a front-matter line → that
 * field), else above the form.
 */
export type RuleField = Partial<Record<"question" | "answer", FormField | null>>;

export interface Rule {
  /** Stable, kebab-case; printed with every finding and documented in README.md. */
  id: string;
  severity: Severity;
  /** One line for contributors. */
  summary: string;
  /** The contribution form's field the findings belong to (see {@link RuleField}). */
  field?: RuleField;
  check(ctx: ContentContext): Hit[];
}

export function markdownEntries(ctx: ContentContext): MarkdownEntry[] {
  return [...ctx.questions, ...ctx.answers];
}

/** Visits every node of every question and answer body that parses (each body is parsed once, cached). */
export function walkBodies(ctx: ContentContext, visit: (entry: MarkdownEntry & { body: string }, node: MdNode, parent: MdNode | null) => void): void {
  for (const entry of markdownEntries(ctx)) {
    const tree = entry.markdown();
    if (!tree || entry.body === null) continue;
    const withBody = entry as MarkdownEntry & { body: string };
    walk(tree, (node, parent) => visit(withBody, node, parent));
  }
}

/** Reports the problems of one front-matter field of questions or answers; `formField`: where the form shows them. */
export function fieldRule(id: string, kind: "question" | "answer", field: string, formField: FormField | null, summary: string): Rule {
  return {
    id,
    severity: "error",
    summary,
    field: { [kind]: formField },
    check(ctx) {
      const hits: Hit[] = [];
      for (const entry of kind === "question" ? ctx.questions : ctx.answers) {
        const state = entry.fields.get(field);
        if (state?.result && !state.result.ok) {
          hits.push({ path: entry.path, ...state.position, message: state.result.message });
        }
      }
      return hits;
    },
  };
}

/** "a, b and c" */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Levenshtein distance, for "did you mean …?" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** 20000 → "20,000" (locale-independent). */
export function formatBytes(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
