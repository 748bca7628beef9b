import type { Query } from "minisearch";
import { isStopWord, plainWords, stem } from "./text";
import type { SearchIndex, SimilarOptions, SimilarQuestion } from "./types";

const DEFAULT_LIMIT = 5;
const DEFAULT_MIN_RELATIVE_SCORE = 0.4;
/**
 * Minimum share (weighted by rarity) of the draft title's significant words that a question must
 * contain in its title (tags count half) — MIN_HEAD_COVERAGE — or anywhere in its title, tags and
 * body — MIN_BODY_COVERAGE. Keeps "it shares one common word" matches out.
 */
const MIN_HEAD_COVERAGE = 0.3;
const MIN_BODY_COVERAGE = 0.7;
const MAX_TITLE_CONCEPTS = 24;
const MAX_BODY_CONCEPTS = 48;
const MAX_BODY_CHARS = 4000;
/** Only questions are compared, not their answers. */
const SIMILAR_FIELDS = ["title", "tags", "body"];

/**
 * Words so common in questions about Django that sharing them says nothing
 * ("How does Django ... work", "What is the best way to ..."). Compared by stem.
 */
const GENERIC_WORDS = [
  "django", "use", "using", "used", "way", "ways", "best", "good", "better", "need", "want", "know",
  "explain", "example", "examples", "mean", "means", "difference", "differences", "vs", "versus",
  "happen", "happens", "thing", "things", "really", "actually", "common", "instead", "work", "works",
  "question", "possible", "make", "write", "project", "app", "application", "run", "running", "idea",
  "bad",
];
const GENERIC_STEMS = new Set(GENERIC_WORDS.map(stem));

interface Hit {
  id: string;
  score: number;
  terms: string[];
  match: Record<string, string[]>;
}

const single = (t: string) => [t];

/**
 * One significant word of the draft. An identifier such as `secret_key` also brings its parts
 * (`secret`, `key`) so it can meet prose; matching the whole identifier or all parts counts fully.
 */
interface Concept {
  word: string;
  stem: string;
  parts: Array<{ word: string; stem: string }>;
}

/**
 * Questions similar to a draft (for "Is it already here?" while a contributor types).
 *
 * Builds an OR query (no wildcards) from the significant words of the title (boost 3) and body
 * (boost 1) against the questions' title, tags and body, then keeps matches that
 * (a) score at least `minScore` (default 0.4) x the best score and
 * (b) contain a fair, rarity-weighted share of the title's significant words: 30 % in their title
 *     (tags count half), or 70 % anywhere.
 * Never throws; returns `[]` when nothing is similar enough.
 */
export function similarQuestions(
  index: SearchIndex,
  text: { title: string; body?: string },
  options: SimilarOptions = {},
): SimilarQuestion[] {
  try {
    return findSimilar(index, text, options);
  } catch {
    return [];
  }
}

function concepts(words: string[], max: number, skip: Set<string>): Concept[] {
  const out: Concept[] = [];
  for (const word of words) {
    if (isStopWord(word)) continue;
    const s = stem(word);
    if (GENERIC_STEMS.has(s) || skip.has(s)) continue;
    skip.add(s);
    const parts = word.includes("_")
      ? word
          .split("_")
          .filter((p) => p.length > 1 && !isStopWord(p))
          .map((p) => ({ word: p, stem: stem(p) }))
          .filter((p) => !GENERIC_STEMS.has(p.stem))
      : [];
    out.push({ word, stem: s, parts });
    if (out.length >= max) break;
  }
  return out;
}

function findSimilar(
  index: SearchIndex,
  text: { title: string; body?: string },
  options: SimilarOptions,
): SimilarQuestion[] {
  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT));
  const minRelative = Math.min(1, Math.max(0, options.minScore ?? DEFAULT_MIN_RELATIVE_SCORE));

  const seen = new Set<string>();
  const titleConcepts = concepts(plainWords(String(text.title ?? "")), MAX_TITLE_CONCEPTS, seen);
  const bodyConcepts = concepts(
    plainWords(String(text.body ?? "").slice(0, MAX_BODY_CHARS)),
    MAX_BODY_CONCEPTS,
    seen,
  );
  if (titleConcepts.length === 0 && bodyConcepts.length === 0) return [];

  const queries: Query[] = [];
  const add = (list: Concept[], boost: number) => {
    const words = list.flatMap((c) => [c.word, ...c.parts.map((p) => p.word)]);
    if (words.length > 0) queries.push({ queries: words, tokenize: single, boostTerm: () => boost });
  };
  add(titleConcepts, 3);
  add(bodyConcepts, 1);
  const hits = index.engine.search({ combineWith: "OR", queries }, { fields: SIMILAR_FIELDS, prefix: false, fuzzy: false }) as Hit[];

  // Coverage is measured against the title (what the contributor asks), or the body without a title.
  const measured = titleConcepts.length > 0 ? titleConcepts : bodyConcepts;
  const idf = makeIdf(index);
  const weights = measured.map((c) => Math.max(idf(c.stem), ...c.parts.map((p) => idf(p.stem))));
  const totalWeight = weights.reduce((a, b) => a + b, 0);

  const candidates: Array<SimilarQuestion & { head: number; any: number }> = [];
  for (const hit of hits) {
    if (hit.id === options.excludeSlug) continue;
    const doc = index.docs.get(hit.id);
    if (!doc) continue;
    // How strongly a stem counts towards "head" coverage: title 1, tags 0.5, body 0.
    const headStrength = (s: string) => {
      const fields = hit.match[s];
      return !fields ? 0 : fields.includes("title") ? 1 : fields.includes("tags") ? 0.5 : 0;
    };
    const anyStrength = (s: string) => (hit.match[s] ? 1 : 0);
    const share = (c: Concept, strength: (s: string) => number) => {
      const whole = strength(c.stem);
      if (whole === 1 || c.parts.length === 0) return whole;
      const parts = c.parts.reduce((sum, p) => sum + strength(p.stem), 0) / c.parts.length;
      return Math.max(whole, parts);
    };
    let head = 0;
    let any = 0;
    measured.forEach((c, i) => {
      head += weights[i]! * share(c, headStrength);
      any += weights[i]! * share(c, anyStrength);
    });
    candidates.push({
      slug: doc.slug,
      number: doc.number,
      title: doc.title,
      score: hit.score,
      head: totalWeight > 0 ? head / totalWeight : 0,
      any: totalWeight > 0 ? any / totalWeight : 0,
    });
  }

  const best = Math.max(0, ...candidates.map((c) => c.score));
  return candidates
    .filter((c) => (c.head >= MIN_HEAD_COVERAGE || c.any >= MIN_BODY_COVERAGE) && c.score >= minRelative * best)
    .sort((a, b) => b.score - a.score || a.number - b.number)
    .slice(0, limit)
    .map(({ slug, number, title, score }) => ({ slug, number, title, score }));
}

/** BM25 idf over the questions' title, tags and body; unknown words weigh like the rarest known. */
function makeIdf(index: SearchIndex): (stem: string) => number {
  const documentCount = Math.max(1, index.size);
  const cache = new Map<string, number>();
  return (s) => {
    const cached = cache.get(s);
    if (cached !== undefined) return cached;
    const refs = index.engine.search(s, { fields: SIMILAR_FIELDS, prefix: false, fuzzy: false, tokenize: single, processTerm: (t) => t }).length;
    // A word no question contains (a new topic, a typo, phrasing) weighs like the rarest known
    // word: a question sharing only the draft's common words is not a duplicate.
    const df = Math.max(1, refs);
    const value = Math.log(1 + Math.abs((documentCount - df + 0.5) / (df + 0.5)));
    cache.set(s, value);
    return value;
  };
}
