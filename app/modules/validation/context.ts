/**
 * The ONE parser of a content folder. `checkContent` runs the rules over the
 * context built here and `parseContent` builds the site's model from the same
 * context, so the site and the check always read content the same way. Pure.
 */
import type { Tag } from "../contract";
import { ANSWER_FIELDS, QUESTION_FIELDS, describeValue, type FieldCheck, type FieldSpec } from "./fields";
import { parseFrontMatter, parseYaml, type FrontMatterResult } from "./front-matter";
import { checkMarkdownLimits } from "../markdown/limits";
import { parseMarkdown, type MdNode } from "./markdown";
import { classifyPath, normalisePath, type FileRole } from "../contract";
import { charLength, decodeUtf8, isKebabCase, toKebabCase, type DecodeResult, type Position } from "./text";
import type { ContentFile } from "./types";

export interface CheckOptions {
  /** Files larger than this many bytes are errors (`file-size`). Default 20 000. */
  maxFileBytes?: number;
  /**
   * Front matter only: bodies are not parsed as Markdown, so the rules that read a body's syntax tree
   * find nothing. A first, fast pass over a whole folder at start (content/analyse.ts, decisions/034);
   * never the check of record.
   */
  frontMatterOnly?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 20_000;

/** A problem found while parsing, reported by the rule named in `rule`. */
export interface Problem extends Position {
  message: string;
}

export interface FieldState {
  spec: FieldSpec<unknown>;
  /** `null` when an optional field is absent. */
  result: FieldCheck<unknown> | null;
  position: Position;
}

export interface MarkdownEntry {
  kind: "question" | "answer";
  path: string;
  /** The question folder name. */
  slug: string;
  /** Answer id (file name without `.md`); empty for questions. */
  id: string;
  file: ContentFile;
  decoded: DecodeResult;
  /** `null` when the file is not valid UTF-8. */
  frontMatter: FrontMatterResult | null;
  /** Valid YAML that is not a mapping of fields. */
  notMapping: (Problem & { found: string }) | null;
  /** The front matter fields, when the front matter is a mapping (empty front matter counts as `{}`). */
  data: Record<string, unknown> | null;
  fields: Map<string, FieldState>;
  unknownFields: Array<{ name: string; position: Position; known: string[] }>;
  /** Markdown after the front matter (`null` without usable front matter). */
  body: string | null;
  bodyLine: number;
  /** The body parsed with remark (cached; `null` when there is no body). */
  markdown(): MdNode | null;
}

export interface TagsEntry {
  path: string;
  file: ContentFile;
  decoded: DecodeResult;
  /** Valid tag entries, in file order (duplicates dropped). */
  tags: Tag[];
  /** Every well-formed tag id, even of entries with other problems (so questions are not blamed for them). */
  ids: Set<string>;
  /** `tags-file` problems. */
  problems: Problem[];
  /** `unknown-field` warnings for keys other than id, label, description. */
  unknownKeys: Array<{ name: string; position: Position; known: string[] }>;
}

export interface ContentContext {
  options: Required<CheckOptions>;
  /** All files, paths normalised, sorted by path. */
  files: ContentFile[];
  roles: Map<string, FileRole>;
  /** `question.md` files, sorted by path. */
  questions: MarkdownEntry[];
  /** Answer files, sorted by path. */
  answers: MarkdownEntry[];
  tagsFile: TagsEntry | null;
  licenseFiles: Array<{ path: string; file: ContentFile; decoded: DecodeResult }>;
  /** Ids of the valid tags; `null` when tags.yml is missing or unreadable (then tags are not checked). */
  vocabulary: Set<string> | null;
}

export function buildContext(input: ContentFile[], options: CheckOptions = {}): ContentContext {
  const files = input
    .map((f) => ({ path: normalisePath(f.path), bytes: f.bytes }))
    .sort((a, b) => compareStrings(a.path, b.path));
  const ctx: ContentContext = {
    options: { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, frontMatterOnly: options.frontMatterOnly === true },
    files,
    roles: new Map(),
    questions: [],
    answers: [],
    tagsFile: null,
    licenseFiles: [],
    vocabulary: null,
  };
  for (const file of files) {
    const role = classifyPath(file.path);
    ctx.roles.set(file.path, role);
    switch (role.kind) {
      case "question":
        ctx.questions.push(markdownEntry(file, "question", role.slug, "", QUESTION_FIELDS, ctx.options.frontMatterOnly));
        break;
      case "answer":
        ctx.answers.push(markdownEntry(file, "answer", role.slug, role.id, ANSWER_FIELDS, ctx.options.frontMatterOnly));
        break;
      case "tags":
        ctx.tagsFile = tagsEntry(file);
        ctx.vocabulary = ctx.tagsFile.ids.size > 0 ? ctx.tagsFile.ids : null;
        break;
      case "license":
        ctx.licenseFiles.push({ path: file.path, file, decoded: decodeUtf8(file.bytes) });
        break;
      case "stray":
        break;
    }
  }
  return ctx;
}

function markdownEntry(
  file: ContentFile,
  kind: "question" | "answer",
  slug: string,
  id: string,
  specs: Record<string, FieldSpec<unknown>>,
  frontMatterOnly = false,
): MarkdownEntry {
  const decoded = decodeUtf8(file.bytes);
  const entry: MarkdownEntry = {
    kind,
    path: file.path,
    slug,
    id,
    file,
    decoded,
    frontMatter: null,
    notMapping: null,
    data: null,
    fields: new Map(),
    unknownFields: [],
    body: null,
    bodyLine: 1,
    markdown: () => null,
  };
  if (!decoded.ok) return entry;

  const fm = parseFrontMatter(decoded.text);
  entry.frontMatter = fm;
  if ("error" in fm) return entry;

  entry.body = fm.body;
  entry.bodyLine = fm.bodyLine;
  let tree: MdNode | undefined;
  // A body over the renderer's limits is never parsed (it could take minutes):
  // the markdown-limits rule reports it instead.
  const overLimits = checkMarkdownLimits(fm.body) !== undefined;
  if (!frontMatterOnly) entry.markdown = () => (overLimits ? null : (tree ??= parseMarkdown(fm.body)));

  const raw = fm.data ?? {};
  if (typeof raw !== "object" || Array.isArray(raw) || raw instanceof Date) {
    entry.notMapping = { ...fm.locate([]), message: "", found: describeValue(raw) };
    return entry;
  }
  const data = raw as Record<string, unknown>;
  entry.data = data;

  const known = Object.keys(specs);
  for (const spec of Object.values(specs)) {
    const present = Object.prototype.hasOwnProperty.call(data, spec.name);
    let result: FieldCheck<unknown> | null;
    if (!present) {
      result = spec.required ? { ok: false, message: spec.missing } : null;
    } else if (data[spec.name] === null && !spec.required) {
      result = { ok: false, message: `"${spec.name}" is empty; fill it in or remove the line` };
    } else {
      result = spec.check(data[spec.name]);
    }
    const position =
      !present ? { line: 1, column: 1 }
      : result && !result.ok && result.item !== undefined ? fm.locate([spec.name, result.item])
      : fm.locate([spec.name]);
    entry.fields.set(spec.name, { spec, result, position });
  }
  for (const name of Object.keys(data)) {
    if (!known.includes(name)) entry.unknownFields.push({ name, position: fm.locate([name]), known });
  }
  return entry;
}

const TAG_KEYS = ["id", "label", "description"];
export const TAG_LABEL_MAX = 60;
export const TAG_DESCRIPTION_MAX = 300;

function tagsEntry(file: ContentFile): TagsEntry {
  const decoded = decodeUtf8(file.bytes);
  const entry: TagsEntry = { path: file.path, file, decoded, tags: [], ids: new Set(), problems: [], unknownKeys: [] };
  if (!decoded.ok) return entry;

  const parsed = parseYaml(decoded.text, 0);
  if ("error" in parsed) {
    entry.problems.push({ ...parsed.error, message: `tags.yml is not valid YAML: ${parsed.error.message}` });
    return entry;
  }
  const { data, locate } = parsed;
  const shape = "a YAML list of tags, each with id, label and description";
  if (!Array.isArray(data)) {
    entry.problems.push({ ...locate([]), message: `tags.yml must be ${shape}; found ${describeValue(data)}` });
    return entry;
  }
  if (data.length === 0) {
    entry.problems.push({ ...locate([]), message: `tags.yml lists no tags; add at least one, as ${shape}` });
    return entry;
  }
  const seen = new Map<string, number>();
  data.forEach((item: unknown, i) => {
    const n = i + 1;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      entry.problems.push({ ...locate([i]), message: `tag ${n} must be a mapping with id, label and description; found ${describeValue(item)}` });
      return;
    }
    const rec = item as Record<string, unknown>;
    let ok = true;
    const problem = (key: string, message: string) => {
      ok = false;
      entry.problems.push({ ...locate(Object.prototype.hasOwnProperty.call(rec, key) ? [i, key] : [i]), message });
    };

    const id = rec.id;
    if (id === undefined) problem("id", `tag ${n} has no "id"; add a kebab-case id, e.g. "id: orm"`);
    else if (typeof id !== "string") problem("id", `tag ${n}: "id" must be a kebab-case text id; found ${describeValue(id)}`);
    else if (!isKebabCase(id)) {
      problem("id", `tag id "${id}" must be kebab-case (lowercase letters, digits and single hyphens), e.g. "${toKebabCase(id)}"`);
    } else if (seen.has(id)) {
      problem("id", `tag id "${id}" is already defined on line ${seen.get(id)}; tag ids must be unique`);
    } else {
      seen.set(id, locate([i]).line);
      entry.ids.add(id);
    }

    const label = rec.label;
    if (label === undefined) problem("label", `tag ${n} has no "label"; add the name readers see, e.g. "label: ORM"`);
    else if (typeof label !== "string" || label.trim() === "") problem("label", `tag ${n}: "label" must be non-empty text; found ${describeValue(label)}`);
    else if (/\n/.test(label.trim())) problem("label", `tag ${n}: "label" must fit on one line`);
    else if (charLength(label.trim()) > TAG_LABEL_MAX) problem("label", `tag ${n}: label is ${charLength(label.trim())} characters; the limit is ${TAG_LABEL_MAX}`);

    const description = rec.description;
    if (description === undefined) problem("description", `tag ${n} has no "description"; add a sentence saying what the tag covers`);
    else if (typeof description !== "string" || description.trim() === "") {
      problem("description", `tag ${n}: "description" must be non-empty text; found ${describeValue(description)}`);
    } else if (charLength(description.trim()) > TAG_DESCRIPTION_MAX) {
      problem("description", `tag ${n}: description is ${charLength(description.trim())} characters; the limit is ${TAG_DESCRIPTION_MAX}`);
    }

    for (const key of Object.keys(rec)) {
      if (!TAG_KEYS.includes(key)) entry.unknownKeys.push({ name: key, position: locate([i, key]), known: TAG_KEYS });
    }
    if (ok) {
      entry.tags.push({ id: id as string, label: (label as string).trim(), description: (description as string).trim() });
    }
  });
  return entry;
}

/** Code-unit order (stable across locales). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
