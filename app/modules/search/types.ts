import type MiniSearch from "minisearch";

/** One question as the search index sees it (plain text, already extracted from Markdown). */
export interface SearchDocument {
  slug: string;
  number: number;
  title: string;
  /** Tag ids. */
  tags: string[];
  /** Tag labels, in the same order as `tags`. */
  tagLabels: string[];
  /** The question in plain text. */
  body: string;
  /** All answers' plain text, joined. */
  answers: string;
}

/** The searchable fields, in display order. */
export type SearchField = "title" | "body" | "answers" | "tags";

/**
 * The search index: a MiniSearch index plus the original documents (for titles,
 * snippets, highlights). It is updated IN PLACE (`updateSearchIndex`): one
 * changed question costs one document, not a rebuild.
 */
export interface SearchIndex {
  readonly engine: MiniSearch<IndexedFields>;
  /** Documents by slug, with their ORIGINAL text (highlight offsets point into it). */
  readonly docs: ReadonlyMap<string, SearchDocument>;
  readonly byNumber: ReadonlyMap<number, SearchDocument>;
  /** Number of indexed documents. */
  readonly size: number;
}

/** The fields as MiniSearch indexes them (the slug is the id). */
export interface IndexedFields {
  slug: string;
  title: string;
  tags: string;
  body: string;
  answers: string;
}

export interface SearchOptions {
  /** Maximum number of results returned (default 20, at most 100). `total` still counts all matches. */
  limit?: number;
  /** Only keep questions carrying this tag id. */
  tag?: string;
}

export interface SearchResult {
  slug: string;
  number: number;
  title: string;
  tags: string[];
  score: number;
  /** The title, HTML-escaped, with `<mark>` around matched terms. */
  titleHtml: string;
  /** ~200 characters of the body (else the answers) around the first match, escaped, with `<mark>`. */
  snippetHtml: string;
  /** Fields in which the query matched (empty for a pure question-number match). */
  matchedIn: SearchField[];
}

export interface SearchResponse {
  /** The query that was actually run (trimmed, possibly shortened). */
  query: string;
  results: SearchResult[];
  /** Number of matching questions before `limit` was applied. */
  total: number;
  /** Plain text (not HTML) for the reader: why nothing matched, what was changed in the query... */
  message?: string;
}

export interface SimilarOptions {
  /** Maximum number of suggestions (default 5). */
  limit?: number;
  /** Leave this question out (e.g. the question being edited). */
  excludeSlug?: string;
  /**
   * Minimum score RELATIVE to the best match, 0..1 (default 0.4): suggestions scoring
   * below `minScore * bestScore` are dropped.
   */
  minScore?: number;
}

export interface SimilarQuestion {
  slug: string;
  number: number;
  title: string;
  score: number;
}
