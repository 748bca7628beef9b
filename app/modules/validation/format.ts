/** Output formats of the content check (CLI, CI, job summary). Pure. */
import type { Finding } from "./types";

export type OutputFormat = "text" | "github" | "json";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "github", "json"];

export interface FormatOptions {
  /**
   * Printed before each path so that paths read relative to the folder's
   * parent (usually the repository root), e.g. "content". Empty for none.
   */
  prefix: string;
  /** How many files were checked (for the summary). */
  files: number;
  /**
   * Summary only: base URL that a repository path is appended to, to link a
   * file, e.g. "https://github.com/owner/repo/blob/<sha>" (the pull request's
   * head). With it, `prefix` must make paths relative to the repository root.
   * Without it, paths are shown as code, unlinked.
   */
  linkBase?: string;
}

export function joinPath(prefix: string, path: string): string {
  const p = prefix.replace(/\\/g, "/").replace(/\/+$/, "");
  return p === "" || p === "." ? path : `${p}/${path}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function countFindings(findings: Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const f of findings) if (f.severity === "error") errors++;
  return { errors, warnings: findings.length - errors };
}

/** "2 errors, 1 warning in 71 files" or "No problems in 71 files". */
export function summaryLine(findings: Finding[], files: number): string {
  const { errors, warnings } = countFindings(findings);
  if (errors === 0 && warnings === 0) return `No problems in ${plural(files, "file")}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${plural(files, "file")}`;
}

/** Escaping of workflow command data (the message). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of workflow command property values (file, title, …). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `base` + the path, each path segment URL-encoded. */
export function fileUrl(base: string, repoPath: string): string {
  return `${base.replace(/\/+$/, "")}/${repoPath.split("/").map(encodeURIComponent).join("/")}`;
}

/** A repository path as Markdown: a link to the file when there is a base URL, else code. */
function fileRef(repoPath: string, linkBase: string | undefined): string {
  const code = `\`${cell(repoPath).replace(/`/g, "'")}\``;
  if (!linkBase) return code;
  return `[${code}](${fileUrl(linkBase, repoPath).replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)})`;
}

export function formatFindings(findings: Finding[], format: OutputFormat, options: FormatOptions): string {
  const { errors, warnings } = countFindings(findings);
  switch (format) {
    case "text": {
      const lines = findings.map(
        (f) => `${joinPath(options.prefix, f.path)}:${f.line}:${f.column}: ${f.severity}: ${f.message} (${f.rule})`,
      );
      lines.push(summaryLine(findings, options.files));
      return lines.join("\n") + "\n";
    }
    case "github": {
      const lines = findings.map((f) => {
        const props = [
          `file=${escapeProperty(joinPath(options.prefix, f.path))}`,
          `line=${f.line}`,
          `col=${f.column}`,
          `title=${escapeProperty(f.rule)}`,
        ].join(",");
        return `::${f.severity} ${props}::${escapeData(f.message)}`;
      });
      lines.push(summaryLine(findings, options.files));
      return lines.join("\n") + "\n";
    }
    case "json": {
      const doc = {
        files: options.files,
        errors,
        warnings,
        findings: findings.map((f) => ({
          file: joinPath(options.prefix, f.path),
          path: f.path,
          line: f.line,
          column: f.column,
          severity: f.severity,
          rule: f.rule,
          message: f.message,
        })),
      };
      return JSON.stringify(doc, null, 2) + "\n";
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/**
 * Markdown for a job summary ($GITHUB_STEP_SUMMARY): counts, a table of the
 * findings and a list of possible duplicate questions, each naming both
 * questions' files (links when `options.linkBase` is given).
 */
export function formatMarkdownSummary(findings: Finding[], options: FormatOptions & { title?: string }): string {
  const { errors, warnings } = countFindings(findings);
  const out: string[] = [];
  out.push(`## ${options.title ?? "Content check"}`, "");
  const status = errors > 0 ? "❌ failed" : warnings > 0 ? "⚠️ passed with warnings" : "✅ passed";
  out.push(`**${status}** — ${summaryLine(findings, options.files)}.`, "");
  out.push("| Files checked | Errors | Warnings |", "| ---: | ---: | ---: |", `| ${options.files} | ${errors} | ${warnings} |`, "");
  if (findings.length > 0) {
    out.push("### Findings", "", "| File | Line | Severity | Rule | Message |", "| --- | ---: | --- | --- | --- |");
    for (const f of findings) {
      out.push(
        `| \`${cell(joinPath(options.prefix, f.path))}\` | ${f.line}:${f.column} | ${f.severity} | \`${cell(f.rule)}\` | ${cell(f.message)} |`,
      );
    }
    out.push("");
  }
  const duplicates = findings.filter((f) => f.rule === "possible-duplicate");
  if (duplicates.length > 0) {
    out.push("### Possible duplicate questions", "");
    for (const f of duplicates) {
      const newer = fileRef(joinPath(options.prefix, f.path), options.linkBase);
      const older = f.related ? ` is very close to ${fileRef(joinPath(options.prefix, f.related), options.linkBase)}` : "";
      out.push(`- ${newer}${older}: ${cell(f.message)}`);
    }
    out.push("");
  }
  return out.join("\n") + "\n";
}
