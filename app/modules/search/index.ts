export type {
  SearchDocument,
  SearchField,
  SearchIndex,
  SearchOptions,
  SearchResponse,
  SearchResult,
  SimilarOptions,
  SimilarQuestion,
} from "./types";
export { buildSearchIndex, FIELD_BOOSTS, tagsText } from "./build";
export { searchQuestions, DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUERY_TERMS } from "./search";
export { similarQuestions } from "./similar";
export { escapeHtml, highlight, mergeRanges, snippet, type MatchRange, type Span } from "./highlight";
export { isStopWord, normalizeForIndex, plainWords, stem } from "./text";
