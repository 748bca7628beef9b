import type { ContentContext, MarkdownEntry } from "../context";
import { contextIndex, type FolderIndex } from "../folder-index";
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

/**
 * A rule of the content check. By default a rule is a FILE rule: what it
 * reports on a file depends on that file alone, so the incremental check
 * re-runs it on changed files only, and a new rule of this kind needs nothing
 * else. A rule that compares files is a {@link FolderRule}.
 */
export interface Rule {
  /** Stable, kebab-case; printed with every finding and documented in README.md. */
  id: string;
  severity: Severity;
  /** One line for contributors. */
  summary: string;
  /** The contribution form's field the findings belong to (see {@link RuleField}). */
  field?: RuleField;
  /** Every finding of the rule in a whole folder. */
  check(ctx: ContentContext): Hit[];
  scope?: "file" | "folder";
}

/**
 * A rule whose findings on a file depend on other files (duplicate numbers,
 * clashing slugs, possible duplicate titles …). It reads the folder index
 * (folder-index.ts), never the files, and says which files a change can touch.
 */
export interface FolderRule extends Rule {
  scope: "folder";
  /**
   * The files whose findings of this rule may change when the file at `path`
   * changes. The incremental check asks before and after the change, so it is
   * enough to answer for the index as it is.
   */
  affected(index: FolderIndex, path: string): Iterable<string>;
  /** This rule's findings on the given files (and only on them). */
  checkFiles(index: FolderIndex, paths: ReadonlySet<string>): Hit[];
}

export function isFolderRule(rule: Rule): rule is FolderRule {
  return rule.scope === "folder";
}

/** Makes a folder rule; its whole-folder `check` is `checkFiles` over every path. */
export function folderRule(def: Omit<FolderRule, "check" | "scope">): FolderRule {
  return {
    ...def,
    scope: "folder",
    check(ctx) {
      const index = contextIndex(ctx);
      return def.checkFiles(index, index.reportPaths());
    },
  };
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

export { closest, editDistance } from "../text";

/** 20000 → "20,000" (locale-independent). */
export function formatBytes(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
