/**
 * The content check, kept up to date file by file. Pure.
 *
 *   const check = new IncrementalCheck();
 *   check.apply(analyseFiles(allFiles), []);          // a whole folder
 *   check.apply(analyseFiles(changedFiles), deleted); // then each change
 *   check.findings()                                  // === checkContent(the folder as it is now)
 *   check.whatIf(analyseFiles(proposed).analyses, []) // what a change would do; the check stays as it was
 *
 * File rules (every rule without `scope: "folder"`) run on the changed files
 * only: `analyseFiles` parses them and runs those rules, and nothing it
 * returns depends on another file, so it may run anywhere (a worker thread,
 * another process). Folder rules read the folder index; after a change each
 * of them re-checks just the files it says the change can affect
 * (`FolderRule.affected`, asked before and after the change).
 */
import type { Answer, Question } from "../contract";
import { entryModel, runFileRules, sortFindings } from "./check";
import { buildContext, type CheckOptions, type ContentContext, type MarkdownEntry } from "./context";
import { FolderIndex, markdownFacts, type FileFacts } from "./folder-index";
import { RULES } from "./rules";
import { isFolderRule, type FolderRule } from "./rules/rule";
import type { ContentFile, Finding } from "./types";

/** What one file contributes to the check and to the site. Plain data (structured-clone safe). */
export interface FileAnalysis {
  path: string;
  facts: FileFacts;
  /** The file rules' findings on this file. */
  findings: Finding[];
  /** The site's model of a question (without answers) or answer file, when its fields are valid. */
  model: Question | Answer | null;
}

const FOLDER_RULES: readonly FolderRule[] = RULES.filter(isFolderRule);

function safeModel(entry: MarkdownEntry): Question | Answer | null {
  try {
    return entryModel(entry);
  } catch {
    return null; // an invalid field: the file has an error finding and is left out anyway
  }
}

/**
 * Parses `files` and runs the file rules on them. Reads nothing but these
 * files. `context` gives the parsed entries (their syntax trees) to callers
 * that derive more from them in the same pass, e.g. the search text.
 */
export function analyseFiles(
  files: readonly ContentFile[],
  options: CheckOptions = {},
): { analyses: FileAnalysis[]; context: ContentContext; entries: Map<string, MarkdownEntry> } {
  const context = buildContext([...files], options);
  const byPath = new Map<string, Finding[]>();
  for (const f of runFileRules(context)) {
    let list = byPath.get(f.path);
    if (!list) byPath.set(f.path, (list = []));
    list.push(f);
  }
  const entries = new Map<string, MarkdownEntry>();
  for (const e of [...context.questions, ...context.answers]) entries.set(e.path, e);
  const analyses: FileAnalysis[] = [];
  for (const file of context.files) {
    const role = context.roles.get(file.path)!;
    const entry = entries.get(file.path);
    let facts: FileFacts;
    if (entry) facts = markdownFacts(entry);
    else if (role.kind === "tags" && context.tagsFile) {
      facts = { kind: "tags", path: file.path, ids: [...context.tagsFile.ids], problems: context.tagsFile.problems };
    } else if (role.kind === "license") {
      const decoded = context.licenseFiles.find((l) => l.path === file.path)!.decoded;
      facts = { kind: "license", path: file.path, empty: decoded.ok && decoded.text.trim() === "" };
    } else facts = { kind: "stray", path: file.path };
    analyses.push({ path: file.path, facts, findings: byPath.get(file.path) ?? [], model: entry ? safeModel(entry) : null });
  }
  return { analyses, context, entries };
}

export interface CheckChange {
  /** Every path whose findings changed (any rule). */
  findingsChanged: Set<string>;
  /** Paths whose "has an error" state changed (the site leaves such files out, or takes them back). */
  errorChanged: Set<string>;
}

function sameFindings(a: readonly Finding[] | undefined, b: readonly Finding[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  if (!a || !b) return true;
  return a.every((f, i) => {
    const g = b[i]!;
    return f.rule === g.rule && f.line === g.line && f.column === g.column && f.message === g.message && f.severity === g.severity && f.related === g.related;
  });
}

export class IncrementalCheck {
  readonly index = new FolderIndex();
  private fileFindings = new Map<string, Finding[]>();
  /** Folder rules' findings: rule id → path → findings. */
  private folderFindings = new Map<string, Map<string, Finding[]>>(FOLDER_RULES.map((r) => [r.id, new Map()]));
  private sorted: Finding[] | undefined;

  /** All findings on one path. */
  findingsOn(path: string): Finding[] {
    const out = [...(this.fileFindings.get(path) ?? [])];
    for (const byPath of this.folderFindings.values()) out.push(...(byPath.get(path) ?? []));
    return out;
  }

  hasError(path: string): boolean {
    if (this.fileFindings.get(path)?.some((f) => f.severity === "error")) return true;
    for (const byPath of this.folderFindings.values()) if (byPath.get(path)?.some((f) => f.severity === "error")) return true;
    return false;
  }

  /** Every finding, sorted as `checkContent` sorts them. */
  findings(): Finding[] {
    if (!this.sorted) {
      const all: Finding[] = [];
      for (const list of this.fileFindings.values()) all.push(...list);
      for (const byPath of this.folderFindings.values()) for (const list of byPath.values()) all.push(...list);
      this.sorted = sortFindings(all);
    }
    return this.sorted;
  }

  /** Applies analysed (new or changed) files and deleted paths. */
  apply(analyses: readonly FileAnalysis[], deleted: readonly string[]): CheckChange {
    const { candidates, errorBefore, findingsBefore } = this.change(analyses, deleted);
    const change: CheckChange = { findingsChanged: new Set(), errorChanged: new Set() };
    for (const p of candidates) {
      if ((errorBefore.get(p) ?? false) !== this.hasError(p)) change.errorChanged.add(p);
      if (!sameFindings(sortFindings(findingsBefore.get(p) ?? []), sortFindings(this.findingsOn(p)))) change.findingsChanged.add(p);
    }
    return change;
  }

  /**
   * What the change WOULD do, without keeping it: applies it, reads the
   * findings on every file it can touch, and puts everything back as it was
   * (the index, every finding, the sorted list), all in one synchronous step,
   * so no reader sees the change. Costs what `apply` costs for these files:
   * the proposal's own files are parsed by the caller (`analyseFiles`), the
   * rest of the folder is not read again.
   */
  whatIf(analyses: readonly FileAnalysis[], deleted: readonly string[]): WhatIf {
    const undo: Undo = { facts: new Map(), fileFindings: new Map(), folderFindings: new Map(), sorted: this.sorted };
    let candidates = new Set<string>();
    const after = new Map<string, Finding[]>();
    try {
      candidates = this.change(analyses, deleted, undo).candidates;
      for (const p of candidates) after.set(p, sortFindings(this.findingsOn(p)));
    } finally {
      this.revert(undo);
    }
    const before = new Map<string, Finding[]>();
    for (const p of candidates) before.set(p, sortFindings(this.findingsOn(p)));
    return { before, after };
  }

  /** Changes the check; with `undo`, records what it replaces so `revert` can put it back. */
  private change(
    analyses: readonly FileAnalysis[],
    deleted: readonly string[],
    undo?: Undo,
  ): { candidates: Set<string>; errorBefore: Map<string, boolean>; findingsBefore: Map<string, Finding[]> } {
    const touched = [...analyses.map((a) => a.path), ...deleted];
    const first = this.index.facts.size === 0;
    const affected = new Map<FolderRule, Set<string>>();
    const collect = () => {
      for (const rule of FOLDER_RULES) {
        let set = affected.get(rule);
        if (!set) affected.set(rule, (set = new Set()));
        for (const p of touched) for (const x of rule.affected(this.index, p)) set.add(x);
      }
    };
    if (!first) collect();

    const candidates = new Set<string>(touched);
    for (const set of affected.values()) for (const p of set) candidates.add(p);
    const errorBefore = new Map<string, boolean>();
    const findingsBefore = new Map<string, Finding[]>();
    if (!undo) {
      for (const p of candidates) {
        errorBefore.set(p, this.hasError(p));
        findingsBefore.set(p, this.findingsOn(p));
      }
    } else {
      for (const p of touched) {
        if (!undo.facts.has(p)) undo.facts.set(p, this.index.facts.get(p));
        if (!undo.fileFindings.has(p)) undo.fileFindings.set(p, this.fileFindings.get(p));
      }
    }

    for (const p of deleted) {
      this.index.remove(p);
      this.fileFindings.delete(p);
    }
    for (const a of analyses) {
      this.index.add(a.facts);
      if (a.findings.length > 0) this.fileFindings.set(a.path, a.findings);
      else this.fileFindings.delete(a.path);
    }
    if (first) {
      const all = this.index.reportPaths();
      for (const rule of FOLDER_RULES) affected.set(rule, all);
    } else collect();

    for (const [rule, paths] of affected) {
      const byPath = this.folderFindings.get(rule.id)!;
      let saved: Map<string, Finding[] | undefined> | undefined;
      if (undo) {
        saved = undo.folderFindings.get(rule.id);
        if (!saved) undo.folderFindings.set(rule.id, (saved = new Map()));
      }
      for (const p of paths) {
        // The list is replaced, never changed in place: the saved one stays as it was.
        if (saved && !saved.has(p)) saved.set(p, byPath.get(p));
        byPath.delete(p);
        candidates.add(p);
      }
      for (const hit of rule.checkFiles(this.index, paths)) {
        let list = byPath.get(hit.path);
        if (saved && !saved.has(hit.path)) {
          // A rule reporting outside the paths it was given: keep a copy before adding to the list.
          saved.set(hit.path, list && [...list]);
          candidates.add(hit.path);
        }
        if (!list) byPath.set(hit.path, (list = []));
        list.push({ ...hit, severity: rule.severity, rule: rule.id });
      }
    }
    this.sorted = undefined;
    return { candidates, errorBefore, findingsBefore };
  }

  /** Puts back what `change` recorded in `undo`. */
  private revert(undo: Undo): void {
    // Every touched path out of the index first, then the facts they had back in: the index's
    // sets and caches (max number, vocabulary) follow from add and remove, whatever the order.
    for (const p of undo.facts.keys()) this.index.remove(p);
    for (const facts of undo.facts.values()) if (facts) this.index.add(facts);
    for (const [p, list] of undo.fileFindings) {
      if (list) this.fileFindings.set(p, list);
      else this.fileFindings.delete(p);
    }
    for (const [rule, saved] of undo.folderFindings) {
      const byPath = this.folderFindings.get(rule)!;
      for (const [p, list] of saved) {
        if (list) byPath.set(p, list);
        else byPath.delete(p);
      }
    }
    this.sorted = undo.sorted;
  }
}

/** What a change would do to the check (`IncrementalCheck.whatIf`), on every file whose findings it can change. */
export interface WhatIf {
  /** The findings on each such file as they are now (sorted); [] for a file the change adds. */
  before: Map<string, Finding[]>;
  /** The findings on the same files after the change (sorted); [] for a file it deletes. */
  after: Map<string, Finding[]>;
}

/** A checked folder that can say what a change would do without making it (an `IncrementalCheck`). */
export interface CheckedFolder {
  whatIf(analyses: readonly FileAnalysis[], deleted: readonly string[]): WhatIf;
}

/** What `whatIf` replaced, to put it back: per path, the previous value (undefined: there was none). */
interface Undo {
  facts: Map<string, FileFacts | undefined>;
  fileFindings: Map<string, Finding[] | undefined>;
  folderFindings: Map<string, Map<string, Finding[] | undefined>>;
  sorted: Finding[] | undefined;
}
