/**
 * Front matter: YAML between a `---` line at the very top of a Markdown file
 * and the next `---` line. Pure: no file system, no Remix.
 */
import { isMap, isNode, isPair, isScalar, isSeq, parseDocument } from "yaml";
import { LineIndex, type Position } from "./text";

export type FrontMatterErrorKind =
  /** The file does not start with a `---` line. */
  | "missing"
  /** An opening `---` without a closing `---` line. */
  | "unclosed"
  /** The YAML between the delimiters does not parse. */
  | "yaml";

export interface FrontMatterError {
  kind: FrontMatterErrorKind;
  message: string;
  /** 1-based line in the whole file. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface FrontMatter {
  /** The parsed YAML (`null` for empty front matter). */
  data: unknown;
  /** Everything after the closing `---` line. */
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyLine: number;
  /**
   * Where something of the front matter sits in the file.
   * `["title"]` → the `title` key; `["tags", 2]` → the third item of `tags`.
   * Falls back to line 1, column 1 (the opening `---`) when not found.
   */
  locate(path: ReadonlyArray<string | number>): Position;
}

export type FrontMatterResult = FrontMatter | { error: FrontMatterError };

const DELIMITER = /^---[ \t]*$/;

export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = source.split("\n");

  if (!DELIMITER.test(lines[0] ?? "")) {
    const firstContent = lines.findIndex((l) => l.trim() !== "");
    if (firstContent > 0 && DELIMITER.test(lines[firstContent]!)) {
      return {
        error: {
          kind: "missing",
          message: `front matter must start on line 1; remove the ${firstContent === 1 ? "blank line" : `${firstContent} blank lines`} before "---"`,
          line: 1,
          column: 1,
        },
      };
    }
    return {
      error: {
        kind: "missing",
        message: 'the file has no front matter; it must start with a "---" line, then the fields, then another "---" line',
        line: 1,
        column: 1,
      },
    };
  }

  let closing = -1;
  for (let i = 1; i < lines.length; i++) {
    if (DELIMITER.test(lines[i]!)) {
      closing = i;
      break;
    }
  }
  if (closing < 0) {
    return {
      error: {
        kind: "unclosed",
        message: 'the front matter opened on line 1 is never closed; add a line with only "---" after the fields',
        line: 1,
        column: 1,
      },
    };
  }

  const yamlText = lines.slice(1, closing).join("\n") + (closing > 1 ? "\n" : "");
  const parsed = parseYaml(yamlText, 1);
  if ("error" in parsed) {
    return { error: { kind: "yaml", message: `the front matter is not valid YAML: ${parsed.error.message}`, line: parsed.error.line, column: parsed.error.column } };
  }

  const bodyLine = closing + 2;
  const body = lines.slice(closing + 1).join("\n");
  const { data, locate } = parsed;

  return { data, body, bodyLine, locate };
}

export type YamlResult =
  | { data: unknown; locate(path: ReadonlyArray<string | number>): Position }
  | { error: { message: string; line: number; column: number } };

/**
 * Parses one YAML document (YAML 1.2 core schema: unquoted dates stay text).
 * `lineOffset` is the number of file lines before the YAML text, so that
 * positions point into the whole file. Duplicate keys are errors.
 */
export function parseYaml(yamlText: string, lineOffset = 0): YamlResult {
  const index = new LineIndex(yamlText);
  const toFile = (offset: number): Position => {
    const p = index.position(Math.max(0, Math.min(offset, yamlText.length)));
    return { line: p.line + lineOffset, column: p.column };
  };

  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    return { error: { message: yamlMessage(firstError.message), ...toFile(firstError.pos[0]) } };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { error: { message: yamlMessage(e instanceof Error ? e.message : String(e)), line: lineOffset + 1, column: 1 } };
  }

  const fallback: Position = { line: Math.max(1, lineOffset), column: 1 };
  const locate = (path: ReadonlyArray<string | number>): Position => {
    if (path.length === 0) {
      return isNode(doc.contents) && doc.contents.range ? toFile(doc.contents.range[0]) : fallback;
    }
    const parentPath = path.slice(0, -1) as Array<string | number>;
    const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === last && item.key.range) {
          return toFile(item.key.range[0]);
        }
      }
    } else if (isSeq(parent) && typeof last === "number") {
      const node = parent.items[last];
      if (isNode(node) && node.range) return toFile(node.range[0]);
    }
    return locate(parentPath);
  };

  return { data, locate };
}

/** Lower-cases the first letter of a YAML library message so it reads inside a sentence. */
export function yamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  const trimmed = first.replace(/ at line \d+, column \d+:?$/, "");
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
