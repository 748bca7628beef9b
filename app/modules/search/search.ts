import lunr from "lunr";
import { highlight, snippet, type MatchRange } from "./highlight";
import { isStopWord, normalizeQuerySyntax, plainWords, stem } from "./text";
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
  hits: lunr.Index.Result[];
  mode: Mode;
  /** lunr's message when the query looked like syntax but could not be parsed. */
  parseError?: string;
  /** Every word of the query is a stop word (which lunr never indexes). */
  onlyStopWords: boolean;
  /** The query contained a bare wildcard (`*`, `title:*`) that was ignored. */
  droppedWildcard: boolean;
}

/**
 * Full-text search. Never throws: any input yields results or a `message`.
 *
 * - lunr syntax (`title:wsgi`, `orm*`, `+csrf -breach`, `migrat~1`, `tags:security`) is honoured when it parses;
 * - otherwise (or for plain words) a term query is built from the words, with a trailing wildcard on the last
 *   word for search-as-you-type, and, if nothing matches, a typo-tolerant (edit distance 1) retry;
 * - `42`, `#42` or `q42` puts question 42 first;
 * - results whose title matched more query terms come first, then by lunr score.
 */
export function searchQuestions(
  index: SearchIndex,
  rawQuery: string,
  options: SearchOptions = {},
): SearchResponse {
  try {
    return search(index, rawQuery, options);
  } catch (error) {
    // Last-resort guard: a bug or a lunr edge case must not break the page.
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

  const scored: Array<{ result: SearchResult; titleTerms: number }> = [];
  let unfilteredCount = 0;
  for (const hit of outcome.hits) {
    const doc = index.docs.get(hit.ref);
    if (!doc) continue;
    unfilteredCount++;
    if (!hasTag(doc)) continue;
    scored.push(toResult(doc, hit));
  }
  scored.sort(
    (a, b) =>
      b.titleTerms - a.titleTerms || b.result.score - a.result.score || a.result.number - b.result.number,
  );
  let results = scored.map((s) => s.result);

  if (numberDoc) {
    if (hasTag(numberDoc)) {
      const existing = results.find((r) => r.slug === numberDoc.slug);
      results = [existing ?? plainResult(numberDoc), ...results.filter((r) => r.slug !== numberDoc.slug)];
    } else {
      messages.push(`Question #${numberDoc.number} is not tagged "${tag}".`);
    }
  } else if (wantedNumber !== undefined) {
    messages.push(`There is no question #${wantedNumber}.`);
  }
  const missingNumber = wantedNumber !== undefined && !numberDoc;

  const total = results.length;
  results = results.slice(0, limit);

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

/** Does the query use lunr syntax on purpose? (`+x`, `-x`, `field:x`, `x*`, `x~1`, `x^2`, `\`) */
function usesSyntax(query: string): boolean {
  return /(?:^|\s)[+-](?=[^\s+-])|[:*~^\\]/.test(query);
}

/**
 * Makes a syntax query safe to run: canonical field names (`Tag:` -> `tags:`), bare wildcards dropped
 * (they would match and highlight every word), edit distances capped (lunr's fuzzy matching grows
 * exponentially: `csrf~99` exhausts memory).
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
        const hits = index.lunr.search(sanitized.query);
        return { hits, mode: "syntax", onlyStopWords, droppedWildcard };
      } catch (error) {
        parseError = error instanceof Error ? error.message : String(error);
      }
    }
  }

  // Plain words: every non-stop word as an exact (stemmed) term, the last one also as a prefix.
  const words = plainWords(text).slice(0, MAX_QUERY_TERMS);
  const terms = [...new Set(words.filter((w) => !isStopWord(w)))];
  const onlyStopWords = words.length > 0 && terms.length === 0;
  if (terms.length === 0) {
    return { hits: [], mode: "plain", parseError, onlyStopWords, droppedWildcard };
  }
  const last = words[words.length - 1]!;
  const prefix = !endsWithSpace && last.length >= 2 && !isStopWord(last) ? last : undefined;

  const hits = index.lunr.query((q) => {
    for (const term of terms) q.term(term, { usePipeline: true });
    if (prefix) q.term(prefix, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5 });
  });
  if (hits.length > 0) return { hits, mode: "plain", parseError, onlyStopWords, droppedWildcard };

  // Typo tolerance: one edit on words long enough for it to be meaningful ("word" must not find "work").
  const fuzzyTerms = terms.filter((t) => {
    const stemmed = stem(t);
    return stemmed.length >= 5 && stemmed.length <= 30;
  });
  if (fuzzyTerms.length === 0) return { hits: [], mode: "plain", parseError, onlyStopWords, droppedWildcard };
  const fuzzyHits = index.lunr.query((q) => {
    for (const term of fuzzyTerms) q.term(term, { usePipeline: true, editDistance: 1 });
  });
  return { hits: fuzzyHits, mode: "fuzzy", parseError, onlyStopWords, droppedWildcard };
}

type Positions = Record<SearchField, MatchRange[]>;

function toResult(doc: SearchDocument, hit: lunr.Index.Result): { result: SearchResult; titleTerms: number } {
  const positions: Positions = { title: [], body: [], answers: [], tags: [] };
  const matched = new Set<SearchField>();
  let titleTerms = 0;
  const metadata = hit.matchData.metadata as Record<string, Record<string, { position?: number[][] }>>;
  for (const fields of Object.values(metadata)) {
    for (const [field, data] of Object.entries(fields)) {
      if (!isField(field)) continue;
      matched.add(field);
      if (field === "title") titleTerms++;
      for (const p of data.position ?? []) {
        if (p.length >= 2) positions[field].push([p[0]!, p[1]!]);
      }
    }
  }
  return {
    result: {
      slug: doc.slug,
      number: doc.number,
      title: doc.title,
      tags: [...doc.tags],
      score: hit.score,
      titleHtml: highlight(doc.title, positions.title),
      snippetHtml: bestSnippet(doc, positions),
      matchedIn: FIELDS.filter((f) => matched.has(f)),
    },
    titleTerms,
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
