/**
 * The content check: pure (no file system, no Remix), shared by the CLI
 * (scripts/validate-content.ts), the web form, the site's content loader and
 * the tests. See README.md for the rules.
 */
export { checkContent, parseContent, sortFindings, type CheckOptions, type ParsedContent } from "./check";
export { DEFAULT_MAX_FILE_BYTES } from "./context";
export { parseFrontMatter, parseYaml, type FrontMatter, type FrontMatterError, type FrontMatterResult } from "./front-matter";
export {
  countFindings,
  formatFindings,
  formatMarkdownSummary,
  summaryLine,
  OUTPUT_FORMATS,
  type FormatOptions,
  type OutputFormat,
} from "./format";
export { DUPLICATE_TITLE_THRESHOLD, titleSimilarity, titleWords } from "./similarity";
export { ANSWER_FIELDS, QUESTION_FIELDS, TITLE_MAX, AUTHOR_MAX, TAGS_MIN, TAGS_MAX, isGithubUsername, isIsoDate } from "./fields";
export { findInvisibleCharacter, invisibleCharacterMessage, type InvisibleCharacter } from "./invisible";
export { classifyPath, type FileRole } from "../contract";
export { RULES, RULES_BY_ID, type Rule } from "./rules";
export type { ContentFile, Finding, Severity } from "./types";
