/**
 * Title similarity for spotting questions that ask the same thing.
 *
 * Method: both titles are lower-cased and split into words (identifiers such
 * as `select_related` stay one word); stop-words, question framing words
 * ("what", "explain", "describe", …) and "django" — which nearly every title
 * mentions — are dropped; simple plurals are folded ("models" → "model",
 * "queries" → "query"). The score is the Jaccard index of the two word sets:
 * |A ∩ B| / |A ∪ B|, from 0 (no word in common) to 1 (same words).
 *
 * Pure: used by the `possible-duplicate` rule and by the web form.
 */

/** Titles scoring at or above this are reported by `possible-duplicate`. */
export const DUPLICATE_TITLE_THRESHOLD = 0.8;

const STOP_WORDS = new Set(
  (
    // English function words
    "a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its " +
    "me my not of on or our should so than that the their them then there these they this those to us was we were what " +
    "when where which while who whom whose why will with would you your yours about vs versus between " +
    // question framing words
    "explain describe give name list compare show write discuss outline define summarise summarize tell walk through " +
    "difference differences different mean meaning example examples use used using purpose role work works " +
    // the subject of every question
    "django"
  ).split(" "),
);

/** The significant words of a title, as used by {@link titleSimilarity}. */
export function titleWords(title: string): Set<string> {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .match(/[a-z0-9_]+(?:[.'][a-z0-9_]+)*/g);
  const out = new Set<string>();
  for (const raw of words ?? []) {
    const word = raw.replace(/'s$/, "").replace(/^_+|_+$/g, "") || raw;
    if (STOP_WORDS.has(word)) continue;
    out.add(fold(word));
  }
  return out;
}

function fold(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is")) {
    return word.slice(0, -1);
  }
  return word;
}

/** A title's text as compared when it has no significant words: lower-cased, non-alphanumerics as single spaces. */
export function normalisedTitle(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/**
 * {@link titleSimilarity} of two titles already split into their significant
 * words and normalised text; `shared` is |A ∩ B| when the caller counted it.
 */
export function similarityOf(
  a: { words: ReadonlySet<string>; normalised: string },
  b: { words: ReadonlySet<string>; normalised: string },
  shared?: number,
): number {
  if (a.words.size === 0 || b.words.size === 0) return a.normalised !== "" && a.normalised === b.normalised ? 1 : 0;
  let common = shared;
  if (common === undefined) {
    common = 0;
    for (const w of a.words) if (b.words.has(w)) common++;
  }
  return common / (a.words.size + b.words.size - common);
}

/**
 * Similarity of two titles between 0 and 1 (see the module comment).
 * Titles made only of stop-words compare by their normalised text.
 */
export function titleSimilarity(a: string, b: string): number {
  return similarityOf(
    { words: titleWords(a), normalised: normalisedTitle(a) },
    { words: titleWords(b), normalised: normalisedTitle(b) },
  );
}
