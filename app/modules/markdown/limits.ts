/**
 * Safety limits for untrusted Markdown.
 *
 * The Markdown parser (micromark) is slow on some shapes of input: deeply
 * nested link brackets and very many footnote references or table columns
 * take time quadratic in their length (10 KB of nested `[…](y)` ≈ 1–2 s,
 * 40 KB ≈ 9 s; 12 KB of nested `*_*_…_*_*` ≈ 7 s), and very deep block
 * nesting (`>>>>…`, `- - - …`) overflows the stack. Measured on 20 KB
 * (the proposal form's limit): thousands of setext headings (`a\n=\n`) ≈ 7 s,
 * thousands of block quotes or lazy quote lines ≈ 3–7 s, 10,000 `~` in one
 * paragraph (strikethrough) ≈ 2 s, thousands of `[a](<` on one line ≈ 0.5 s
 * (quadratic: 4× for twice the text). Rendering is synchronous on the server, so one such
 * body in a preview would stall every request. The checks below are linear
 * scans that reject those shapes before parsing; real questions and
 * answers are far inside them.
 *
 * Pure (no node:*), so the content validator and the web form can report
 * the same problem before anything is rendered.
 */

export const MARKDOWN_LIMITS = {
  /** Characters of Markdown per document. */
  maxChars: 65_536,
  /** Unclosed `[` within one paragraph (nested link text). */
  maxBracketDepth: 32,
  /** `*` and `_` within one paragraph, outside fenced code (nested emphasis). */
  maxEmphasisMarks: 512,
  /** Footnote references `[^…]` per document. */
  maxFootnoteReferences: 256,
  /** `|` characters on one line (table columns). */
  maxPipesPerLine: 128,
  /** Width of the quote/list/indent prefix of one line (block nesting depth). */
  maxLinePrefix: 64,
  /** Setext heading underlines (a line of `=` or `-` right under text) per document. */
  maxSetextUnderlines: 32,
  /** Block quotes opened plus lazy quote continuation lines per document. */
  maxQuoteWork: 256,
  /** List items opened per document. */
  maxListItems: 1_000,
  /** Closing brackets `]` (links, images, references) within one paragraph. */
  maxLinksPerParagraph: 256,
} as const;

export interface MarkdownLimitProblem {
  /** Stable id, e.g. for a validation Finding's rule. */
  rule:
    | "markdown-too-long"
    | "markdown-nesting"
    | "markdown-bracket-depth"
    | "markdown-emphasis"
    | "markdown-footnotes"
    | "markdown-table-width"
    | "markdown-headings"
    | "markdown-quotes"
    | "markdown-lists"
    | "markdown-links";
  message: string;
  /** 1-based line of the first offending place (1 for whole-document problems). */
  line: number;
}

const FENCE = /^(`{3,}|~{3,})/;
const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*$/;

/** The first limit the Markdown exceeds, or undefined when it is fine to render. */
export function checkMarkdownLimits(markdown: string): MarkdownLimitProblem | undefined {
  const limits = MARKDOWN_LIMITS;
  if (markdown.length > limits.maxChars) {
    return {
      rule: "markdown-too-long",
      message: `The text is ${markdown.length} characters long; the limit is ${limits.maxChars}.`,
      line: 1,
    };
  }
  const problem = (rule: MarkdownLimitProblem["rule"], line: number, message: string) => ({ rule, line, message });
  let fence: string | undefined; // the open code fence, e.g. "```"
  let depth = 0;
  let emphasis = 0;
  let footnotes = 0;
  let links = 0;
  let setext = 0;
  let quoteWork = 0;
  let listItems = 0;
  /** `>` markers of the previous line of the current paragraph (0 after a blank line). */
  let previousQuotes = 0;
  /** The current paragraph is inside a block quote (so a line without `>` is a lazy continuation). */
  let inQuote = false;
  let previousBlank = true;
  const lines = markdown.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index]!;
    const line = index + 1;

    let start = 0;
    let prefix = 0;
    let quotes = 0;
    let newQuotes = 0;
    let listMarkers = 0;
    for (let marker = blockMarkerLength(text, start); marker > 0; marker = blockMarkerLength(text, start)) {
      const ch = text.charCodeAt(start);
      prefix += ch === 9 ? 4 : marker;
      if (ch === 62 /* > */) {
        quotes += 1;
        // After a list marker every quote is a new one (the marker starts a new item).
        if (listMarkers > 0) newQuotes += 1;
      } else if (ch !== 32 && ch !== 9) listMarkers += 1;
      start += marker;
      if (prefix > limits.maxLinePrefix) {
        return problem("markdown-nesting", line, `Line ${line} is nested too deeply (quotes, lists or indentation).`);
      }
    }
    const rest = text.slice(start);

    const fenceMatch = FENCE.exec(rest);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && rest.slice(fenceMatch[1]!.length).trim() === "") {
        fence = undefined;
      }
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      depth = 0;
      emphasis = 0;
      links = 0;
      previousQuotes = 0;
      inQuote = false;
      previousBlank = true;
      continue;
    }
    if (rest.trim() === "") {
      // A blank line ends the paragraph: links and emphasis cannot span it.
      depth = 0;
      emphasis = 0;
      links = 0;
      // `>` alone keeps the quote open; a truly blank line closes it.
      previousQuotes = quotes;
      inQuote = false;
      previousBlank = true;
      continue;
    }

    // Block structure the parser pays for per document (each costs time in proportion to the document).
    if (!previousBlank && SETEXT_UNDERLINE.test(rest) && ++setext > limits.maxSetextUnderlines) {
      return problem("markdown-headings", line, `More than ${limits.maxSetextUnderlines} headings underlined with "=" or "-"; use "#" headings.`);
    }
    if ((listItems += listMarkers) > limits.maxListItems) {
      return problem("markdown-lists", line, `More than ${limits.maxListItems} list items.`);
    }
    const opened = listMarkers > 0 ? newQuotes + Math.max(0, quotes - newQuotes - previousQuotes) : Math.max(0, quotes - previousQuotes);
    const lazy = quotes === 0 && inQuote && !previousBlank ? 1 : 0;
    if ((quoteWork += opened + lazy) > limits.maxQuoteWork) {
      return problem("markdown-quotes", line, `More than ${limits.maxQuoteWork} block quotes or quote lines without ">".`);
    }
    if (quotes > 0) inQuote = true;
    previousQuotes = quotes;
    previousBlank = false;

    let pipes = 0;
    for (let i = 0; i < rest.length; i += 1) {
      const ch = rest.charCodeAt(i);
      if (ch === 92 /* \ */) {
        i += 1; // an escaped character is literal
      } else if (ch === 91 /* [ */) {
        depth += 1;
        if (depth > limits.maxBracketDepth) {
          return problem("markdown-bracket-depth", line, `Line ${line} opens more than ${limits.maxBracketDepth} nested "[".`);
        }
        if (rest.charCodeAt(i + 1) === 94 /* ^ */ && ++footnotes > limits.maxFootnoteReferences) {
          return problem("markdown-footnotes", line, `More than ${limits.maxFootnoteReferences} footnote references.`);
        }
      } else if (ch === 93 /* ] */) {
        if (depth > 0) depth -= 1;
        // Every `]` is a link attempt (inline, reference or shortcut): the parser looks back for its `[`.
        if (++links > limits.maxLinksPerParagraph) {
          return problem("markdown-links", line, `The paragraph ending at line ${line} has more than ${limits.maxLinksPerParagraph} links, images or "]".`);
        }
      } else if (ch === 42 /* * */ || ch === 95 /* _ */ || ch === 126 /* ~ */) {
        if (++emphasis > limits.maxEmphasisMarks) {
          return problem("markdown-emphasis", line, `The paragraph ending at line ${line} has more than ${limits.maxEmphasisMarks} "*", "_" or "~".`);
        }
      } else if (ch === 124 /* | */) {
        if (++pipes > limits.maxPipesPerLine) {
          return problem("markdown-table-width", line, `Line ${line} has more than ${limits.maxPipesPerLine} "|" (table columns).`);
        }
      }
    }
  }
  return undefined;
}

/**
 * Length of the block-nesting syntax at `i` (a space, tab, `>`, or a list
 * marker `-`/`*`/`+`/`1.`/`1)` followed by a space or tab), else 0.
 */
function blockMarkerLength(text: string, i: number): number {
  const ch = text.charCodeAt(i);
  if (ch === 32 || ch === 9 || ch === 62) return 1;
  const isSpace = (code: number) => code === 32 || code === 9;
  if ((ch === 45 || ch === 42 || ch === 43) && isSpace(text.charCodeAt(i + 1))) return 1;
  let j = i;
  while (j < text.length && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j += 1;
  if (j > i && (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 41) && isSpace(text.charCodeAt(j + 1))) return j - i + 1;
  return 0;
}
