/** A file handed to the content check. Pure data: no file-system assumptions. */
export interface ContentFile {
  /**
   * Path relative to the content folder, with forward slashes,
   * e.g. `questions/what-is-wsgi/question.md`, `tags.yml`, `LICENSE`.
   */
  path: string;
  /** Raw bytes (so BOM / invalid UTF-8 can be detected). */
  bytes: Uint8Array;
}

export type Severity = "error" | "warning";

export interface Finding {
  /** Path relative to the content folder, as in ContentFile.path. */
  path: string;
  /** 1-based; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  message: string;
  /** Stable rule id, kebab-case, e.g. `front-matter-yaml`. */
  rule: string;
  /** Another file the finding is about (same form as `path`), e.g. the older question of a possible duplicate. */
  related?: string;
}
