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
export { buildSearchIndex, updateSearchIndex, FIELD_BOOSTS, ENGINE_OPTIONS, tagsText, saveSearchIndex, restoreSearchIndex, searchIndexIsDirty, type SavedSearchIndex } from "./build";
export { searchQuestions, DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUERY_TERMS } from "./search";
export { similarQuestions } from "./similar";
export { escapeHtml, highlight, mergeRanges, snippet, type MatchRange, type Span } from "./highlight";
export { indexTerm, isStopWord, normalizeForIndex, plainWords, stem, tokenize } from "./text";
