import type { Query } from "minisearch";
import { highlight, snippet, type MatchRange } from "./highlight";
import { parseQuery, QuerySyntaxError, type Clause } from "./query";
import { indexTerm, isStopWord, normalizeQuerySyntax, plainWords, stem, tokensWithOffsets, trimTerm } from "./text";
import type {
  SearchDocument,
  SearchField,
  SearchIndex,
  SearchOptions,
  SearchResponse,
  SearchResult,
} from "./types";

export const MAX_QUERY_CHARS = 256;
export const MAX_QUERY_TERMS = 32;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const SNIPPET_LENGTH = 200;
const FIELDS: readonly SearchField[] = ["title", "body", "answers", "tags"];
const FIELD_ALIASES: Record<string, SearchField> = {
  title: "title",
  body: "body",
  answer: "answers",
  answers: "answers",
  tag: "tags",
  tags: "tags",
};

type Mode = "syntax" | "plain" | "fuzzy";

interface TextOutcome {
  hits: Hit[];
  mode: Mode;
  /** Why the query looked like syntax but could not be parsed. */
  parseError?: string;
  /** Every word of the query is a stop word (which is never indexed). */
  onlyStopWords: boolean;
  /** The query contained a bare wildcard (`*`, `title:*`) that was ignored. */
  droppedWildcard: boolean;
}

/**
 * Full-text search. Never throws: any input yields results or a `message`.
 *
 * - the query syntax (`title:wsgi`, `orm*`, `+csrf -breach`, `migrat~1`, `tags:security`) is honoured when it parses;
 * - otherwise (or for plain words) a term query is built from the words, with a trailing wildcard on the last
 *   word for search-as-you-type, and, if nothing matches, a typo-tolerant (edit distance 1) retry;
 * - `42`, `#42` or `q42` puts question 42 first;
 * - results whose title matched more query terms come first, then by score (BM25 with the field boosts).
 */
export function searchQuestions(
  index: SearchIndex,
  rawQuery: string,
  options: SearchOptions = {},
): SearchResponse {
  try {
    return search(index, rawQuery, options);
  } catch (error) {
    // Last-resort guard: a bug or an engine edge case must not break the page.
    const query = typeof rawQuery === "string" ? rawQuery.trim().slice(0, MAX_QUERY_CHARS) : "";
    return {
      query,
      results: [],
      total: 0,
      message: `Search failed for "${quote(query)}": ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function search(index: SearchIndex, rawQuery: string, options: SearchOptions): SearchResponse {
  const raw = typeof rawQuery === "string" ? rawQuery.replace(/[\u0000-\u001f\u007f]/g, " ") : "";
  let endsWithSpace = /\s$/.test(raw);
  let query = raw.trim();
  if (query === "") {
    return { query: "", results: [], total: 0, message: "Type something to search the questions." };
  }

  const messages: string[] = [];
  const capped = capQuery(query);
  if (capped.shortened) {
    query = capped.query;
    endsWithSpace = false;
    messages.push(
      capped.byWords
        ? `Your search was too long, so only its first ${MAX_QUERY_TERMS} words were used.`
        : `Your search was too long, so only its first ${MAX_QUERY_CHARS} characters were used.`,
    );
  }

  const limit = clampLimit(options.limit);
  const tag = options.tag?.trim().toLowerCase() || undefined;
  const hasTag = (doc: SearchDocument) => !tag || doc.tags.some((t) => t.toLowerCase() === tag);

  // A question number: "42", "#42", "q42".
  const numberMatch = /^(?:#|q\s*)?(\d{1,9})$/i.exec(query);
  const wantedNumber = numberMatch ? Number(numberMatch[1]) : undefined;
  const numberDoc = wantedNumber !== undefined ? index.byNumber.get(wantedNumber) : undefined;

  const outcome = runTextQuery(index, numberMatch ? numberMatch[1]! : query, endsWithSpace);

  const scored: Array<{ doc: SearchDocument; hit: Hit; fields: Set<SearchField>; titleTerms: number }> = [];
  let unfilteredCount = 0;
  for (const hit of outcome.hits) {
    const doc = index.docs.get(hit.id);
    if (!doc) continue;
    unfilteredCount++;
    if (!hasTag(doc)) continue;
    scored.push({ doc, hit, ...matchSummary(hit) });
  }
  scored.sort((a, b) => b.titleTerms - a.titleTerms || b.hit.score - a.hit.score || a.doc.number - b.doc.number);
  let ranked: Array<{ doc: SearchDocument; hit?: Hit; fields?: Set<SearchField> }> = scored;

  if (numberDoc) {
    if (hasTag(numberDoc)) {
      const existing = scored.find((r) => r.doc.slug === numberDoc.slug);
      ranked = [existing ?? { doc: numberDoc }, ...scored.filter((r) => r.doc.slug !== numberDoc.slug)];
    } else {
      messages.push(`Question #${numberDoc.number} is not tagged "${tag}".`);
    }
  } else if (wantedNumber !== undefined) {
    messages.push(`There is no question #${wantedNumber}.`);
  }
  const missingNumber = wantedNumber !== undefined && !numberDoc;

  const total = ranked.length;
  // Highlighting reads the documents' text: only for the results shown.
  const results = ranked.slice(0, limit).map((r) => (r.hit && r.fields ? toResult(r.doc, r.hit, r.fields) : plainResult(r.doc)));

  if (total === 0 && missingNumber) {
    // "There is no question #N." already says it all.
  } else if (total === 0) {
    if (outcome.onlyStopWords) {
      messages.push(
        `"${quote(query)}" only contains very common words, which are not indexed; try more specific ones.`,
      );
    } else if (tag && unfilteredCount > 0) {
      messages.push(`No questions tagged "${tag}" match "${quote(query)}".`);
    } else {
      messages.push(`No questions match "${quote(query)}".`);
    }
    if (outcome.droppedWildcard) {
      messages.push("A wildcard needs a few letters before it, e.g. orm*.");
    }
  } else if (outcome.parseError) {
    messages.push(
      `The search syntax could not be read (${outcome.parseError}), so the words were searched for instead.`,
    );
  } else if (outcome.mode === "fuzzy") {
    messages.push(`Nothing matched "${quote(query)}" exactly; showing similar spellings.`);
  }

  return { query, results, total, ...(messages.length ? { message: messages.join(" ") } : {}) };
}

/** Keeps the first MAX_QUERY_CHARS characters (cut at a word boundary) and MAX_QUERY_TERMS words. */
function capQuery(query: string): { query: string; shortened: boolean; byWords: boolean } {
  let q = query;
  let shortened = false;
  if (q.length > MAX_QUERY_CHARS) {
    shortened = true;
    q = q.slice(0, MAX_QUERY_CHARS);
    const lastSpace = q.search(/\s\S*$/);
    if (lastSpace > MAX_QUERY_CHARS / 2) q = q.slice(0, lastSpace);
    // Never leave half a surrogate pair.
    if (/[\ud800-\udbff]$/.test(q)) q = q.slice(0, -1);
    q = q.trim();
  }
  const words = q.split(/\s+/);
  const byWords = words.length > MAX_QUERY_TERMS;
  if (byWords) {
    shortened = true;
    q = words.slice(0, MAX_QUERY_TERMS).join(" ");
  }
  return { query: q, shortened, byWords };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** The query shortened for quoting in a message. */
function quote(query: string): string {
  return query.length > 60 ? `${query.slice(0, 60)}…` : query;
}

/** Does the query use the search syntax on purpose? (`+x`, `-x`, `field:x`, `x*`, `x~1`, `x^2`, `\`) */
function usesSyntax(query: string): boolean {
  return /(?:^|\s)[+-](?=[^\s+-])|[:*~^\\]/.test(query);
}

/**
 * Makes a syntax query safe to run: canonical field names (`Tag:` -> `tags:`), bare wildcards dropped
 * (they would match and highlight every word), edit distances capped (fuzzy matching grows
 * exponentially: `csrf~99` would exhaust memory).
 */
function sanitizeSyntax(query: string): { query: string; droppedWildcard: boolean } {
  let droppedWildcard = false;
  const tokens: string[] = [];
  for (const token of normalizeQuerySyntax(query).split(/\s+/)) {
    if (token === "") continue;
    let t = token.replace(/^([+-]?)([a-z]+):/i, (whole, presence: string, field: string) => {
      const canonical = FIELD_ALIASES[field.toLowerCase()];
      return canonical ? `${presence}${canonical}:` : whole;
    });
    if (/^[+-]?(?:[^\s:]*:)?\*+(?:[~^]\d*)*$/.test(t)) {
      droppedWildcard = true;
      continue;
    }
    const termLength = t.replace(/^[+-]?(?:[^\s:]*:)?/, "").replace(/[~^].*$/, "").length;
    const maxDistance = termLength <= 12 ? 2 : termLength <= 30 ? 1 : 0;
    t = t.replace(/~(\d*)/g, (_whole, digits: string) => {
      const wanted = digits === "" ? 1 : Number(digits);
      const distance = Math.min(wanted, maxDistance);
      return distance > 0 ? `~${distance}` : "";
    });
    tokens.push(t);
  }
  return { query: tokens.join(" "), droppedWildcard };
}

/** A hit of the engine: MiniSearch's result (id = slug, matched terms per field, score). */
interface Hit {
  id: string;
  score: number;
  terms: string[];
  match: Record<string, string[]>;
}

/** Query-side processing of a word typed with a wildcard: lower-cased and trimmed, never stemmed. */
const rawTerm = (t: string) => trimTerm(t.toLowerCase()) || null;
const single = (t: string) => [t];

function clauseQuery(c: Clause): Query {
  return {
    queries: [c.term],
    ...(c.field ? { fields: [c.field] } : {}),
    prefix: c.prefix,
    fuzzy: c.editDistance > 0 ? c.editDistance : false,
    ...(c.boost !== 1 ? { boostTerm: () => c.boost } : {}),
    tokenize: single,
    ...(c.prefix ? { processTerm: rawTerm } : {}),
  };
}

/**
 * The clauses as the engine runs them: required clauses must all match (the
 * optional ones only add to the score), excluded ones remove documents, and a
 * query of exclusions only starts from every document.
 */
function runClauses(index: SearchIndex, clauses: Clause[]): Hit[] {
  const must = clauses.filter((c) => c.presence === "must");
  const should = clauses.filter((c) => c.presence === "should");
  const not = clauses.filter((c) => c.presence === "not");
  let hits: Hit[];
  if (must.length === 0 && should.length === 0) {
    hits = [...index.docs.keys()].map((id) => ({ id, score: 0, terms: [], match: {} }));
  } else {
    hits = index.engine.search({ combineWith: "OR", queries: [...must, ...should].map(clauseQuery) }) as Hit[];
    if (must.length > 0) {
      const required = new Set(index.engine.search({ combineWith: "AND", queries: must.map(clauseQuery) }).map((r) => r.id as string));
      hits = hits.filter((h) => required.has(h.id));
    }
  }
  if (not.length > 0) {
    const excluded = new Set(index.engine.search({ combineWith: "OR", queries: not.map(clauseQuery) }).map((r) => r.id as string));
    hits = hits.filter((h) => !excluded.has(h.id));
  }
  return hits;
}

function runTextQuery(index: SearchIndex, text: string, endsWithSpace: boolean): TextOutcome {
  let parseError: string | undefined;
  let droppedWildcard = false;

  if (usesSyntax(text)) {
    const sanitized = sanitizeSyntax(text);
    droppedWildcard = sanitized.droppedWildcard;
    const contentWords = plainWords(text.replace(/(^|[\s+-])[a-z]+:/gi, "$1 "));
    const onlyStopWords = contentWords.length > 0 && contentWords.every(isStopWord);
    if (sanitized.query !== "") {
      try {
        const clauses = parseQuery(sanitized.query);
        if (clauses.length > 0) return { hits: runClauses(index, clauses), mode: "syntax", onlyStopWords, droppedWildcard };
      } catch (error) {
        if (!(error instanceof QuerySyntaxError)) throw error;
        parseError = error.message;
      }
    }
  }

  // Plain words: every non-stop word as an exact (stemmed) term, the last one also as a word start.
  const words = plainWords(text).slice(0, MAX_QUERY_TERMS);
  const terms = [...new Set(words.filter((w) => !isStopWord(w)))];
  const onlyStopWords = words.length > 0 && terms.length === 0;
  if (terms.length === 0) {
    return { hits: [], mode: "plain", parseError, onlyStopWords, droppedWildcard };
  }
  const last = words[words.length - 1]!;
  const prefix = !endsWithSpace && last.length >= 2 && !isStopWord(last) ? last : undefined;

  const queries: Query[] = [{ queries: terms, tokenize: single }];
  if (prefix) queries.push({ queries: [prefix], prefix: true, tokenize: single, processTerm: rawTerm, boostTerm: () => 0.5 });
  const hits = index.engine.search({ combineWith: "OR", queries }) as Hit[];
  if (hits.length > 0) return { hits, mode: "plain", parseError, onlyStopWords, droppedWildcard };

  // Typo tolerance: one edit on words long enough for it to be meaningful ("word" must not find "work").
  const fuzzyTerms = terms.filter((t) => {
    const stemmed = stem(t);
    return stemmed.length >= 5 && stemmed.length <= 30;
  });
  if (fuzzyTerms.length === 0) return { hits: [], mode: "plain", parseError, onlyStopWords, droppedWildcard };
  const fuzzyHits = index.engine.search({ queries: fuzzyTerms, tokenize: single, fuzzy: 1 }) as Hit[];
  return { hits: fuzzyHits, mode: "fuzzy", parseError, onlyStopWords, droppedWildcard };
}

type Positions = Record<SearchField, MatchRange[]>;

/** The fields a hit matched in, and how many distinct terms matched its title (the first ranking key). */
function matchSummary(hit: Hit): { fields: Set<SearchField>; titleTerms: number } {
  const fields = new Set<SearchField>();
  let titleTerms = 0;
  for (const term of hit.terms) {
    for (const field of hit.match[term] ?? []) {
      if (!isField(field)) continue;
      fields.add(field);
      if (field === "title") titleTerms++;
    }
  }
  return { fields, titleTerms };
}

/** Where the hit's matched terms occur in one field's original text. */
function positionsIn(text: string, field: SearchField, hit: Hit): MatchRange[] {
  const wanted = new Set(hit.terms.filter((t) => hit.match[t]?.includes(field)));
  if (wanted.size === 0) return [];
  const ranges: MatchRange[] = [];
  for (const { token, start, length } of tokensWithOffsets(text)) {
    const term = indexTerm(token);
    if (term !== null && wanted.has(term)) ranges.push([start, length]);
  }
  return ranges;
}

function toResult(doc: SearchDocument, hit: Hit, matched: Set<SearchField>): SearchResult {
  const positions: Positions = { title: [], body: [], answers: [], tags: [] };
  positions.title = positionsIn(doc.title, "title", hit);
  positions.body = positionsIn(doc.body, "body", hit);
  if (positions.body.length === 0) positions.answers = positionsIn(doc.answers, "answers", hit);
  return {
    slug: doc.slug,
    number: doc.number,
    title: doc.title,
    tags: [...doc.tags],
    score: hit.score,
    titleHtml: highlight(doc.title, positions.title),
    snippetHtml: bestSnippet(doc, positions),
    matchedIn: FIELDS.filter((f) => matched.has(f)),
  };
}
function isField(field: string): field is SearchField {
  return (FIELDS as readonly string[]).includes(field);
}

/** Body around its first match, else answers around theirs, else the start of the body (or answers). */
function bestSnippet(doc: SearchDocument, positions: Positions): string {
  if (positions.body.length > 0) return snippet(doc.body, positions.body, SNIPPET_LENGTH);
  if (positions.answers.length > 0) return snippet(doc.answers, positions.answers, SNIPPET_LENGTH);
  return snippet(doc.body.trim() !== "" ? doc.body : doc.answers, [], SNIPPET_LENGTH);
}

/** A result for a question found by its number only. */
function plainResult(doc: SearchDocument): SearchResult {
  return {
    slug: doc.slug,
    number: doc.number,
    title: doc.title,
    tags: [...doc.tags],
    score: 0,
    titleHtml: highlight(doc.title, []),
    snippetHtml: bestSnippet(doc, { title: [], body: [], answers: [], tags: [] }),
    matchedIn: [],
  };
}
