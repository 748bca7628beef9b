/**
 * Text helpers of the README importer: titles, slugs, dedenting and a small
 * guess of a code block's language. Pure (no node:fs, no Remix).
 */

export const TITLE_MAX = 100;
export const SLUG_MIN = 3;
export const SLUG_MAX = 60;

/** Abbreviations whose trailing dot does not end a sentence. */
const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "cf", "approx", "a.m", "p.m", "no", "mr", "mrs", "dr"]);

/** Collapses runs of white space (including line breaks) into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The first sentence of `text` (white space collapsed). A sentence ends at
 * `.`, `?` or `!` followed by white space and a capital letter, digit or
 * opening quote, or by the end of the text. Dots of common abbreviations
 * (`e.g.`, `i.e.`) and dots inside words (`manage.py`) do not end it.
 */
export function firstSentence(text: string): string {
  const plain = collapseWhitespace(text);
  // `?` and `!` end a sentence before any white space; a dot only before a
  // capital letter or digit (or the end), so "3 a.m. every" stays whole.
  const re = /[?!]+(?=\s|$)|[.…]+(?=\s+["'“‘(`]?[\p{Lu}\p{N}]|\s*$)/gu;
  for (let m = re.exec(plain); m; m = re.exec(plain)) {
    if (m[0].startsWith(".")) {
      const before = plain.slice(0, m.index);
      const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? "";
      if (ABBREVIATIONS.has(word)) continue;
    }
    return plain.slice(0, m.index + m[0].length);
  }
  return plain;
}

/**
 * Shortens `text` to at most `max` characters: on the last clause boundary
 * (`,` `;` `:` or a dash) when that keeps a reasonable part of it, else on a
 * word boundary; an ellipsis marks the cut.
 */
export function shortenOnWordBoundary(text: string, max = TITLE_MAX): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max); // keep one char for the ellipsis below
  const minClause = Math.floor(max * 0.6);
  let cut = -1;
  for (const m of room.matchAll(/[,;:]\s|\s[-–—]\s/g)) {
    if (m.index !== undefined && m.index >= minClause && m.index <= max - 1) cut = m.index;
  }
  if (cut < 0) {
    const lastSpace = room.lastIndexOf(" ", max - 1);
    cut = lastSpace > 0 ? lastSpace : max - 1;
  }
  const head = text
    .slice(0, cut)
    .replace(/[\s,;:.\-–—]+$/u, "")
    .trimEnd();
  return `${head}…`;
}

/**
 * A plain-text title for a question: its first sentence, shortened to
 * TITLE_MAX characters on a word boundary; a final full stop (or colon,
 * semicolon, comma) is dropped,
 * a question or exclamation mark is kept.
 */
export function deriveTitle(plainText: string): string {
  let sentence = firstSentence(plainText);
  // A leading list marker or heading mark would not belong in a title.
  sentence = sentence.replace(/^[#>\s]+/, "");
  sentence = sentence.replace(/(?<!\.)[.:;,]$/, "").trim();
  return shortenOnWordBoundary(sentence, TITLE_MAX);
}

/**
 * Lowercase kebab-case slug from a title: accents removed, anything that is
 * not a letter or digit becomes a hyphen, at most SLUG_MAX characters (cut on
 * a hyphen). Returns "" when fewer than SLUG_MIN characters remain.
 */
export function slugify(title: string, max = SLUG_MAX): string {
  let slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ı/g, "i")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length > max) {
    const cut = slug.lastIndexOf("-", max);
    slug = (cut >= SLUG_MIN ? slug.slice(0, cut) : slug.slice(0, max)).replace(/-+$/, "");
  }
  return slug.length >= SLUG_MIN ? slug : "";
}

/** True when `slug` satisfies the content contract. */
export function isValidSlug(slug: string): boolean {
  return slug.length >= SLUG_MIN && slug.length <= SLUG_MAX && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug);
}

/**
 * Returns `base`, or `base-2`, `base-3`, ... whichever is not yet in `taken`
 * (and stays within SLUG_MAX characters); adds the result to `taken`.
 */
export function uniqueSlug(base: string, taken: Set<string>): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `-${n}`;
    let head = base;
    if (head.length + suffix.length > SLUG_MAX) {
      head = head.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "");
    }
    candidate = `${head}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

/** Width of the leading white space of `line` in columns (tabs stop every 4). */
function leadingColumns(line: string): { columns: number; chars: number } {
  let columns = 0;
  let chars = 0;
  for (const ch of line) {
    if (ch === " ") columns += 1;
    else if (ch === "\t") columns += 4 - (columns % 4);
    else break;
    chars += 1;
  }
  return { columns, chars };
}

/**
 * Removes up to `indent` columns of leading white space from every line but
 * the first (the first line is assumed to start at the content already).
 * Lines indented less (lazy continuation lines) lose what they have.
 * A tab that straddles the limit is replaced by the spaces left over.
 */
export function dedentContinuation(text: string, indent: number): string {
  if (indent <= 0) return text;
  const lines = text.split("\n");
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      let columns = 0;
      let pos = 0;
      while (pos < line.length && columns < indent) {
        const ch = line[pos];
        if (ch === " ") columns += 1;
        else if (ch === "\t") columns += 4 - (columns % 4);
        else break;
        pos += 1;
      }
      const overshoot = columns > indent ? columns - indent : 0;
      return " ".repeat(overshoot) + line.slice(pos);
    })
    .join("\n");
}

/** Smallest indentation (columns) of the non-blank lines of `text`. */
export function minIndent(text: string): number {
  let min = Infinity;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    min = Math.min(min, leadingColumns(line).columns);
  }
  return min === Infinity ? 0 : min;
}

const PYTHON_SIGNS: RegExp[] = [
  /^\s*def\s+\w+\s*\(/m,
  /^\s*async\s+def\s+\w+\s*\(/m,
  /^\s*class\s+\w+\s*(\([^)]*\))?\s*:/m,
  /^\s*(from\s+[\w.]+\s+)?import\s+[\w.]+/m,
  /^\s*@[\w.]+(\(.*\))?\s*$/m,
  /\b\w+\.objects\.\w+\(/,
  /^\s*(for|while|if|elif|with|try|except|else)\b[^\n]*:\s*$/m,
  /^\s*return\b/m,
  /\bself\.\w+/,
  /\b(None|True|False)\b/,
  /\bprint\(/,
  /\blambda\b[^:\n]*:/,
  /^\s*[A-Za-z_][\w.]*\s*=\s*[\w"'[({]/m,
  /\b(models|forms|admin|settings|transaction|timezone)\.\w+/,
];

const NOT_PYTHON_SIGNS: RegExp[] = [
  /[;{]\s*$/m, // C-like statements and blocks, CSS
  /^\s*\$\s+\S/m, // shell prompt
  /^\s*<[a-zA-Z!/]/m, // markup
  /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER)\s/m, // SQL
  /^\s*(sudo|pip|npm|docker|git|curl|apt-get)\s/m, // shell commands
  /^\s*(function|const|let|var)\s/m, // JavaScript
];

/** `python` when the code looks like Python, else `text`. */
export function guessCodeLanguage(code: string): "python" | "text" {
  if (NOT_PYTHON_SIGNS.some((re) => re.test(code))) return "text";
  return PYTHON_SIGNS.some((re) => re.test(code)) ? "python" : "text";
}
