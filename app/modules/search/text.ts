import lunr from "lunr";

/**
 * Text preparation shared by indexing and querying.
 *
 * lunr's tokenizer only splits on whitespace and hyphens, so `request.user`,
 * `save()` or `"QuerySets` would be indexed as one odd token. We replace every
 * character that is not a letter, mark, digit, underscore, whitespace or hyphen
 * by spaces of the same UTF-16 length before handing text to lunr: tokens split
 * sensibly and lunr's position metadata still points at the right place in the
 * ORIGINAL text (needed for highlighting).
 */
const NON_WORD = /[^\p{L}\p{M}\p{N}_\s-]+/gu;
/** Same, but keeps lunr's query syntax characters `+ : * ~ ^ \`. */
const NON_WORD_KEEP_SYNTAX = /[^\p{L}\p{M}\p{N}_\s\-+:*~^\\]+/gu;

const blank = (match: string) => " ".repeat(match.length);

/** Length-preserving normalisation of document text (see above). */
export function normalizeForIndex(text: string): string {
  return text.replace(NON_WORD, blank);
}

/** Length-preserving normalisation of a query that keeps lunr syntax characters. */
export function normalizeQuerySyntax(query: string): string {
  return query.replace(NON_WORD_KEEP_SYNTAX, blank);
}

const LEADING = /^[^\p{L}\p{N}]+/u;
const TRAILING = /[^\p{L}\p{M}\p{N}]+$/u;

/** Unicode-aware trim of a token; `""` when nothing searchable is left or only a single letter remains. */
export function trimTerm(term: string): string {
  const trimmed = term.replace(LEADING, "").replace(TRAILING, "");
  // Single letters ("s" from "Django's", "t" from "don't") are noise; single digits are kept.
  if (trimmed.length === 1 && !/\p{N}/u.test(trimmed)) return "";
  return trimmed;
}

/**
 * Pipeline function replacing `lunr.trimmer` (whose `\W` strips accented and
 * non-Latin letters, e.g. "café" -> "caf"). Used in both the indexing and the
 * search pipeline so that query terms and indexed terms are processed alike.
 */
export const unicodeTrimmer: lunr.PipelineFunction = (token) => {
  let empty = false;
  token.update((s) => {
    const t = trimTerm(s);
    empty = t === "";
    return t;
  });
  return empty ? (undefined as unknown as lunr.Token) : token;
};

const TRIMMER_LABEL = "djangoQuestionsUnicodeTrimmer";
const registered = (lunr.Pipeline as unknown as { registeredFunctions: Record<string, unknown> })
  .registeredFunctions;
if (!registered[TRIMMER_LABEL]) lunr.Pipeline.registerFunction(unicodeTrimmer, TRIMMER_LABEL);

/** True for lunr's English stop words ("the", "what", "is"...), which are never indexed. */
export function isStopWord(term: string): boolean {
  const t = term.toLowerCase();
  return (lunr.stopWordFilter as unknown as (s: string) => string | undefined)(t) === undefined;
}

/** Lower-cased, trimmed words of free text, in order (duplicates and stop words kept). */
export function plainWords(text: string): string[] {
  return normalizeForIndex(text)
    .toLowerCase()
    .split(/[\s-]+/)
    .map(trimTerm)
    .filter((t) => t !== "");
}

/** The stemmed form lunr stores for a (lower-cased, trimmed) word. */
export function stem(word: string): string {
  return lunr.stemmer(new lunr.Token(word, {})).toString();
}
