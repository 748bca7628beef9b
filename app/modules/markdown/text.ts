/**
 * Plain text of Markdown, for the search index and meta descriptions.
 *
 * Pure (no Remix, no node:*): parses with remark-parse + remark-gfm and walks
 * the syntax tree. Code (inline and fenced) is kept, raw HTML is dropped (the
 * text between tags stays, as on the rendered page), images contribute their
 * alt text, link definitions and footnote markers contribute nothing (the
 * footnote text itself is kept), and all whitespace is collapsed to single
 * spaces.
 */
import { checkMarkdownLimits, MARKDOWN_LIMITS } from "./limits";
import { parseMarkdown } from "./parse";


/**
 * The slice of an mdast node this walker reads. (The top-level
 * node_modules/@types/mdast is v3 while remark-parse 11 produces v4 trees,
 * so a structural type avoids importing the wrong version.)
 */
interface MdNode {
  type: string;
  value?: string;
  alt?: string | null;
  children?: MdNode[];
}

/** Inline content: joined without separator ("**Dj**ango" → "Django"). */
const PHRASING = new Set([
  "text",
  "emphasis",
  "strong",
  "delete",
  "link",
  "linkReference",
  "inlineCode",
  "break",
  "image",
  "imageReference",
  "html",
  "footnoteReference",
]);

/** Stands for a code block in prose text (see `markdownToProse`). */
const CODE_GAP = "\u0000";

function collect(node: MdNode, out: string[], codeBlocks: "keep" | "gap" = "keep"): void {
  switch (node.type) {
    case "text":
    case "inlineCode":
      out.push(node.value ?? "");
      return;
    case "code":
      out.push(codeBlocks === "keep" ? (node.value ?? "") : ` ${CODE_GAP} `);
      return;
    case "image":
    case "imageReference":
      if (node.alt) out.push(node.alt);
      return;
    case "break":
      out.push(" ");
      return;
    case "html":
    case "definition":
    case "footnoteReference":
    case "thematicBreak":
    case "yaml":
      return;
    default:
      break;
  }
  const children = node.children ?? [];
  const blockContainer = children.some((child) => !PHRASING.has(child.type));
  for (const child of children) {
    collect(child, out, codeBlocks);
    // Separate blocks (paragraphs, list items, table cells, …) by a space.
    if (blockContainer) out.push(" ");
  }
}

/** Plain text of a Markdown document, whitespace collapsed. */
export function markdownToText(markdown: string): string {
  // Input the parser would choke on (see limits.ts) is used as it is.
  if (checkMarkdownLimits(markdown)) return collapse(markdown.slice(0, MARKDOWN_LIMITS.maxChars));
  const out: string[] = [];
  try {
    collect(parseMarkdown(markdown), out);
  } catch (error) {
    if (error instanceof RangeError) return collapse(markdown);
    throw error;
  }
  return collapse(out.join(""));
}

/**
 * Plain text of an already parsed document (`parseMarkdown`'s tree, e.g. the
 * content check's): the same as `markdownToText` without parsing again.
 */
export function treeToText(tree: MdNode): string {
  const out: string[] = [];
  collect(tree, out);
  return collapse(out.join(""));
}

/**
 * The prose of a Markdown document: like `markdownToText`, but a code block is
 * not flattened into the sentence around it (its lines would read as words);
 * it leaves a "…" where it was. Inline code stays (it is part of a sentence).
 * A document that is only code has no prose: "".
 */
export function markdownToProse(markdown: string): string {
  if (checkMarkdownLimits(markdown)) return collapse(markdown.slice(0, MARKDOWN_LIMITS.maxChars));
  try {
    return treeToProse(parseMarkdown(markdown));
  } catch (error) {
    if (error instanceof RangeError) return collapse(markdown);
    throw error;
  }
}

/** `markdownToProse` of an already parsed document (the content check's tree: no second parse). */
export function treeToProse(tree: MdNode): string {
  const out: string[] = [];
  collect(tree, out, "gap");
  return collapse(out.join(""))
    .replace(/\u0000(?:[\s\u0000]*\u0000)?/g, "…")
    .replace(/^[\s…]+|[\s…]+$/g, "")
    .replace(/([:.?!])\s*…/g, "$1 …");
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** How much of a document's prose is enough for any excerpt up to this many characters minus one. */
export const PROSE_KEPT = 401;

const TRAILING_PUNCTUATION = /[\s,;:.!?\-–—(\[{'"`]+$/u;

/**
 * At most `maxChars` characters of the Markdown's prose (`markdownToProse`:
 * code blocks are left out, marked "…"), cut at a word boundary with an
 * ellipsis ("…", counted in `maxChars`) when shortened. A single word longer
 * than the limit is cut hard.
 */
export function excerpt(markdown: string, maxChars: number): string {
  if (!Number.isFinite(maxChars) || maxChars < 1) return "";
  return proseExcerpt(markdownToProse(markdown), maxChars);
}

/**
 * `excerpt` of prose already extracted (`markdownToProse`, `treeToProse`).
 * Only the first `maxChars + 1` characters of the prose are read, so a
 * caller may keep just the start of it (`PROSE_KEPT`).
 */
export function proseExcerpt(prose: string, maxChars: number): string {
  if (!Number.isFinite(maxChars) || maxChars < 1) return "";
  const limit = Math.floor(maxChars);
  const text = prose;
  if (text.length <= limit) return text;
  const room = limit - 1; // leave space for the ellipsis
  let cut: string;
  if (text[room] === " ") {
    cut = text.slice(0, room);
  } else {
    const lastSpace = text.lastIndexOf(" ", room);
    if (lastSpace > 0) {
      cut = text.slice(0, lastSpace);
    } else {
      let end = room;
      // Do not split a surrogate pair (emoji, rare CJK) in half.
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end -= 1;
      cut = text.slice(0, end);
    }
  }
  const trimmed = cut.replace(TRAILING_PUNCTUATION, "");
  return `${trimmed || cut.trimEnd()}…`;
}
