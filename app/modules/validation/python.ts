/**
 * Does a piece of Python 3 code parse? Pure, synchronous, no WebAssembly:
 * the grammar is @lezer/python (an LR grammar of Python 3, error-tolerant),
 * plus the few checks it leaves out because it recovers silently (decision
 * 020): unterminated string literals, indentation (an unexpected indent, a
 * dedent to no outer level, a block opener without its block) and the
 * Python 2 `print x` statement. One known gap of the grammar is mended:
 * parenthesised context managers (`with (a as b, c as d):`, Python 3.10+).
 *
 * Used by the `python-syntax` rule; server-side only (the web form checks
 * on the server), so it never reaches the browser bundle.
 */
import type { SyntaxNode, Tree } from "@lezer/common";
import { parser } from "@lezer/python";

export interface PythonSyntaxError {
  /** 1-based line inside the code. */
  line: number;
  /** 1-based column inside that line. */
  column: number;
  /** What is wrong, for a person: "unexpected `=`", "unterminated string". */
  message: string;
}

interface Issue {
  at: number;
  message: string;
}

/** The first syntax error of `code`, or null when it parses as Python 3. */
export function pythonSyntaxError(code: string): PythonSyntaxError | null {
  const tree = parser.parse(code);
  // On a tie the more specific message wins: strings and indentation before the grammar's "unexpected …".
  const issues = [...stringErrors(code, tree), ...indentationErrors(code, tree), ...grammarErrors(code, tree)];
  if (issues.length === 0) return null;
  const first = issues.reduce((a, b) => (b.at < a.at ? b : a));
  return { ...position(code, first.at), message: first.message };
}

function position(code: string, at: number): { line: number; column: number } {
  const before = code.slice(0, at);
  const line = before.split("\n").length;
  const column = at - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

/** The text a reader would look at next to `at` (for "unexpected …"). */
function tokenAt(code: string, at: number): string {
  const rest = code.slice(at);
  const sameLine = /^[ \t]*/.exec(rest)![0].length;
  const next = rest.slice(sameLine);
  if (next === "" || /^\s*$/.test(next)) return "end of code";
  if (next.startsWith("\n")) return "end of line";
  const word = /^(?:[\p{L}\p{N}_]+|\S)/u.exec(next)![0];
  return `\`${word}\``;
}

/** A line that opens a block, and its keyword. */
const COMPOUND = /^\s*(?:async\s+)?(def|class|if|elif|else|for|while|with|try|except|finally|match|case)\b/;

function grammarErrors(code: string, tree: Tree): Issue[] {
  const issues: Issue[] = [];
  const forgiven = parenthesisedWithHeaders(code, tree);
  tree.iterate({
    enter(node) {
      if (node.name === "PrintStatement") {
        issues.push({ at: node.from, message: "`print x` is Python 2; call the function: `print(x)`" });
        return false;
      }
      if (!node.type.isError) return undefined;
      if (forgiven.some(([from, to]) => node.from >= from && node.to <= to)) return false;
      const text = code.slice(node.from, node.to).trim();
      const what = text && !text.includes("\n") && text.length <= 20 ? `\`${text}\`` : tokenAt(code, node.from);
      const lineStart = code.lastIndexOf("\n", node.from - 1) + 1;
      const opener = COMPOUND.exec(code.slice(lineStart, node.from));
      const message =
        what === "end of line" && opener && !code.slice(lineStart, node.from).trimEnd().endsWith(":")
          ? `expected \`:\` at the end of this \`${opener[1]}\` line`
          : `unexpected ${what}`;
      issues.push({ at: node.from, message });
      return false;
    },
  });
  return issues;
}

/**
 * Headers of `with (item as name, …):` statements that @lezer/python cannot
 * parse (it predates Python 3.10's parenthesised context managers) but that
 * parse once the parentheses are dropped.
 */
function parenthesisedWithHeaders(code: string, tree: Tree): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  tree.iterate({
    enter(node) {
      if (node.name !== "WithStatement") return undefined;
      const body = node.node.getChild("Body");
      if (!body || !hasError(node.node, body.from)) return undefined;
      const header = code.slice(node.from, body.from);
      const open = /^(?:async\s+)?with\s*\(/.exec(header);
      if (!open) return undefined;
      const close = header.trimEnd().length - 1;
      if (header[close] !== ")" || matchingParen(header, open[0].length - 1) !== close) return undefined;
      const items = header.slice(open[0].length, close).replace(/\s+/g, " ").replace(/,\s*$/, "");
      const again = parser.parse(`with ${items}:\n    pass\n`);
      let clean = true;
      again.iterate({ enter: (n) => void (n.type.isError && (clean = false)) });
      if (clean) ranges.push([node.from, body.from]);
      return undefined;
    },
  });
  return ranges;
}

function hasError(node: SyntaxNode, before: number): boolean {
  let found = false;
  node.cursor().iterate((n) => {
    if (n.type.isError && n.from <= before) found = true;
    return !found;
  });
  return found;
}

/** Index of the bracket closing the one at `open` (quotes skipped), or -1. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote = "";
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const STRING_NODES = new Set(["String", "FormatString"]);

/** String literals the grammar ran to the end of a line or of the code without a closing quote. */
function stringErrors(code: string, tree: Tree): Issue[] {
  const issues: Issue[] = [];
  tree.iterate({
    enter(node) {
      if (!STRING_NODES.has(node.name)) return undefined;
      const text = code.slice(node.from, node.to);
      const prefix = /^[rRbBuUfFtT]{0,2}/.exec(text)![0];
      const literal = text.slice(prefix.length);
      const quote = literal[0];
      if (quote !== '"' && quote !== "'") return false;
      const triple = literal.startsWith(quote.repeat(3));
      const closer = triple ? quote.repeat(3) : quote;
      const body = literal.slice(closer.length);
      const closed = body.length >= closer.length && body.endsWith(closer) && !escaped(body, body.length - closer.length);
      if (!closed) issues.push({ at: node.from, message: triple ? "unterminated triple-quoted string" : "unterminated string literal" });
      return false;
    },
  });
  return issues;
}

/** Whether the character at `index` is preceded by an odd number of backslashes. */
function escaped(text: string, index: number): boolean {
  let n = 0;
  for (let i = index - 1; i >= 0 && text[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

/**
 * Python's INDENT/DEDENT rules on logical lines (brackets, strings and
 * comments taken from the parse tree): the first statement starts at column
 * 1, a deeper line must follow a line ending in `:`, a shallower one must
 * return to an enclosing level, and a line ending in `:` needs a deeper one.
 */
function indentationErrors(code: string, tree: Tree): Issue[] {
  const skip: Array<[number, number]> = [];
  tree.iterate({
    enter(node) {
      if (STRING_NODES.has(node.name) || node.name === "Comment") {
        skip.push([node.from, node.to]);
        return false;
      }
      return undefined;
    },
  });
  let s = 0;
  const inSkip = (i: number): [number, number] | undefined => {
    while (s < skip.length && skip[s]![1] <= i) s++;
    const range = skip[s];
    return range && range[0] <= i ? range : undefined;
  };

  const issues: Issue[] = [];
  const stack = [0];
  const open: number[] = []; // positions of the open brackets
  let opener = false; // the last logical line ended with ":"
  let lastCode = ""; // last significant character of the current logical line
  let lineStart = true; // at the start of a logical line
  let pos = 0;
  while (pos < code.length) {
    if (lineStart) {
      const lineEnd = code.indexOf("\n", pos) === -1 ? code.length : code.indexOf("\n", pos);
      const indentText = /^[ \t\f]*/.exec(code.slice(pos, lineEnd))![0];
      const first = pos + indentText.length;
      if (first >= lineEnd || (code[first] === "#" && inSkip(first))) {
        pos = lineEnd + 1; // blank or comment-only line
        continue;
      }
      const width = indentWidth(indentText);
      if (width > stack[stack.length - 1]!) {
        if (!opener) issues.push({ at: first, message: "unexpected indent" });
        stack.push(width);
      } else {
        if (opener) issues.push({ at: first, message: "expected an indented block after the line ending in `:`" });
        while (width < stack[stack.length - 1]!) stack.pop();
        if (width !== stack[stack.length - 1]!) {
          issues.push({ at: first, message: "this line's indentation matches no outer block" });
          stack.push(width);
        }
      }
      lastCode = "";
      lineStart = false;
      pos = first;
      continue;
    }
    const range = inSkip(pos);
    if (range) {
      if (code[pos] !== "#") lastCode = "string";
      pos = Math.max(range[1], pos + 1);
      continue;
    }
    const ch = code[pos]!;
    if (ch === "\n") {
      if (open.length === 0 && lastCode !== "\\") {
        opener = lastCode === ":";
        lineStart = true;
      }
      if (lastCode === "\\") lastCode = "";
    } else {
      if (ch === "(" || ch === "[" || ch === "{") open.push(pos);
      else if (ch === ")" || ch === "]" || ch === "}") open.pop();
      if (!/\s/.test(ch)) lastCode = ch;
    }
    pos++;
  }
  if (!lineStart && open.length === 0) opener = lastCode === ":";
  if (open.length > 0) issues.push({ at: open[0]!, message: `\`${code[open[0]!]}\` is never closed` });
  if (opener) issues.push({ at: code.trimEnd().length, message: "expected an indented block after the line ending in `:`" });
  return issues;
}

function indentWidth(text: string): number {
  let width = 0;
  for (const ch of text) width = ch === "\t" ? (Math.floor(width / 8) + 1) * 8 : width + 1;
  return width;
}
