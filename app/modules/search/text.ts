import { stemmer } from "stemmer";

/**
 * Text preparation shared by indexing and querying.
 *
 * Words split on whitespace and hyphens only, so `request.user`, `save()` or
 * `"QuerySets` would be odd tokens. Every character that is not a letter,
 * mark, digit, underscore, whitespace or hyphen is replaced by spaces of the
 * same UTF-16 length first: tokens split sensibly, and a token's offset in the
 * normalised text is its offset in the ORIGINAL text (needed for highlighting).
 */
const NON_WORD = /[^\p{L}\p{M}\p{N}_\s-]+/gu;
/** Same, but keeps the query syntax characters `+ : * ~ ^ \`. */
const NON_WORD_KEEP_SYNTAX = /[^\p{L}\p{M}\p{N}_\s\-+:*~^\\]+/gu;

const blank = (match: string) => " ".repeat(match.length);

/** Length-preserving normalisation of document text (see above). */
export function normalizeForIndex(text: string): string {
  return text.replace(NON_WORD, blank);
}

/** Length-preserving normalisation of a query that keeps the syntax characters. */
export function normalizeQuerySyntax(query: string): string {
  return query.replace(NON_WORD_KEEP_SYNTAX, blank);
}

const LEADING = /^[^\p{L}\p{N}]+/u;
const TRAILING = /[^\p{L}\p{M}\p{N}]+$/u;

/**
 * Unicode-aware trim of a token (a `\W` trim would turn "café" into "caf" and
 * drop "日本語"); `""` when nothing searchable is left or only a single letter
 * remains ("s" from "Django's", "t" from "don't"). Single digits are kept.
 */
export function trimTerm(term: string): string {
  const trimmed = term.replace(LEADING, "").replace(TRAILING, "");
  if (trimmed.length === 1 && !/\p{N}/u.test(trimmed)) return "";
  return trimmed;
}

/** English stop words: never indexed (the list lunr 2.3 used, so results stay as they were). */
const STOP_WORDS = new Set(
  (
    "a able about across after all almost also am among an and any are as at be because been but by can cannot " +
    "could dear did do does either else ever every for from get got had has have he her hers him his how however i " +
    "if in into is it its just least let like likely may me might most must my neither no nor not of off often on " +
    "only or other our own rather said say says she should since so some than that the their them then there these " +
    "they this tis to too twas us wants was we were what when where which while who whom why will with would yet you your"
  ).split(" "),
);

/** True for the English stop words ("the", "what", "is"...), which are never indexed. */
export function isStopWord(term: string): boolean {
  return STOP_WORDS.has(term.toLowerCase());
}

/** Lower-cased, trimmed words of free text, in order (duplicates and stop words kept). */
export function plainWords(text: string): string[] {
  return normalizeForIndex(text)
    .toLowerCase()
    .split(/[\s-]+/)
    .map(trimTerm)
    .filter((t) => t !== "");
}

/** The stemmed form the index stores for a (lower-cased, trimmed) word: Porter's English stemmer. */
export function stem(word: string): string {
  return stemmer(word);
}

const termMemo = new Map<string, string | null>();
const TERM_MEMO_MAX = 200_000;

/**
 * What the index stores for a raw token: trimmed, lower-cased, not a stop
 * word, stemmed; `null` for nothing. Memoised (bounded): a corpus repeats its
 * words, and stemming is most of the cost of indexing.
 */
export function indexTerm(raw: string): string | null {
  let term = termMemo.get(raw);
  if (term === undefined) {
    const t = trimTerm(raw.toLowerCase());
    term = t === "" || STOP_WORDS.has(t) ? null : stem(t);
    if (termMemo.size >= TERM_MEMO_MAX) termMemo.clear();
    termMemo.set(raw, term);
  }
  return term;
}

/** Raw tokens of a text as the index splits it (whitespace and hyphens after normalisation). */
export function tokenize(text: string): string[] {
  return normalizeForIndex(text).split(/[\s-]+/).filter((t) => t !== "");
}

/** Tokens with their UTF-16 `[start, length]` in the original text, for highlighting. */
export function tokensWithOffsets(text: string): Array<{ token: string; start: number; length: number }> {
  const out: Array<{ token: string; start: number; length: number }> = [];
  const re = /[^\s-]+/g;
  const normalised = normalizeForIndex(text);
  for (let m = re.exec(normalised); m; m = re.exec(normalised)) {
    out.push({ token: m[0], start: m.index, length: m[0].length });
  }
  return out;
}
