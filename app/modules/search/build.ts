import MiniSearch from "minisearch";
import { indexTerm, tokenize } from "./text";
import type { IndexedFields, SearchDocument, SearchIndex } from "./types";

/** Field boosts: a title match outweighs a tag match, which outweighs body and answers. */
export const FIELD_BOOSTS = { title: 10, tags: 5, body: 2, answers: 1 } as const;

/** Text indexed in the `tags` field: ids and labels, so `tags:security` and "Celery & Background Tasks" both match. */
export function tagsText(doc: SearchDocument): string {
  return [...doc.tags, ...doc.tagLabels].join(" ");
}

/** The MiniSearch options of the index (also used to load a serialised one). */
export const ENGINE_OPTIONS = {
  idField: "slug",
  fields: ["title", "tags", "body", "answers"],
  storeFields: [],
  tokenize: (text: string) => tokenize(text),
  processTerm: (term: string) => indexTerm(term),
  searchOptions: { boost: { ...FIELD_BOOSTS } },
  // MiniSearch's own vacuum walks the index in batches with pauses between them, and a document added during a
  // pause can split a node its walk is about to visit: it then throws, unhandled, outside any request. The index
  // is never vacuumed in place here; a dirty one is rebuilt instead (`searchIndexIsDirty`).
  autoVacuum: false,
} as const;

/** From what share of the index's entries belonging to removed or replaced documents it is better rebuilt. */
export const REBUILD_DIRT_FACTOR = 0.2;

/**
 * Whether so much of the index belongs to removed or replaced documents (each in-place change leaves its old
 * entries behind, ignored by searches) that it should be rebuilt: memory, not results, is what dirt costs.
 */
export function searchIndexIsDirty(index: SearchIndex): boolean {
  return index.engine.dirtFactor > REBUILD_DIRT_FACTOR;
}

function indexed(doc: SearchDocument): IndexedFields {
  return { slug: doc.slug, title: doc.title ?? "", tags: tagsText(doc), body: doc.body ?? "", answers: doc.answers ?? "" };
}

/** The index and its documents; changed in place by {@link updateSearchIndex}. */
function engineOptions() {
  return { ...ENGINE_OPTIONS, fields: [...ENGINE_OPTIONS.fields], storeFields: [] };
}

class Index implements SearchIndex {
  constructor(readonly engine = new MiniSearch<IndexedFields>(engineOptions())) {}
  readonly docs = new Map<string, SearchDocument>();
  readonly byNumber = new Map<number, SearchDocument>();

  get size(): number {
    return this.docs.size;
  }

  add(doc: SearchDocument): void {
    if (this.docs.has(doc.slug)) return; // the first document with a slug wins
    this.adopt(doc);
    this.engine.add(indexed(doc));
  }

  /** Takes a document the engine has already indexed (a restored index). */
  adopt(doc: SearchDocument): void {
    this.docs.set(doc.slug, doc);
    if (!this.byNumber.has(doc.number)) this.byNumber.set(doc.number, doc);
  }

  remove(slug: string): void {
    const doc = this.docs.get(slug);
    if (!doc) return;
    this.docs.delete(slug);
    this.engine.discard(slug);
    if (this.byNumber.get(doc.number) === doc) {
      this.byNumber.delete(doc.number);
      for (const other of this.docs.values()) {
        if (other.number === doc.number) {
          this.byNumber.set(other.number, other);
          break;
        }
      }
    }
  }
}

/**
 * Builds a search index over the documents (MiniSearch). Documents with a
 * duplicate slug are ignored (the first one wins).
 */
export function buildSearchIndex(docs: readonly SearchDocument[]): SearchIndex {
  const index = new Index();
  for (const doc of docs) index.add(doc);
  return index;
}

/**
 * Applies a change in place: `remove` slugs go, `upsert` documents replace the
 * document of their slug (or are added). Synchronous, so no search ever sees a
 * half-applied change; costs the changed documents only.
 */
export function updateSearchIndex(index: SearchIndex, change: { upsert?: readonly SearchDocument[]; remove?: readonly string[] }): void {
  if (!(index instanceof Index)) throw new TypeError("updateSearchIndex needs an index made by buildSearchIndex");
  for (const slug of change.remove ?? []) index.remove(slug);
  for (const doc of change.upsert ?? []) {
    index.remove(doc.slug);
    index.add(doc);
  }
}

/** An index as plain data, to keep between starts: the engine's own JSON form, and a key per indexed document. */
export interface SavedSearchIndex {
  /** Slug → the key (`keyOf`) of the document indexed under it. */
  keys: Record<string, string>;
  /** MiniSearch's `toJSON()`. */
  engine: unknown;
}

/** The index as plain data (`keyOf`: what identifies a document's indexed content, e.g. a hash of its fields). */
export function saveSearchIndex(index: SearchIndex, keyOf: (doc: SearchDocument) => string): SavedSearchIndex {
  if (!(index instanceof Index)) throw new TypeError("saveSearchIndex needs an index made by buildSearchIndex");
  const keys: Record<string, string> = {};
  for (const [slug, doc] of index.docs) keys[slug] = keyOf(doc);
  return { keys, engine: index.engine.toJSON() };
}

/**
 * An index over `docs` from a saved one: loading it costs a fraction of
 * indexing every document again. Documents whose key matches the saved key
 * are taken as they are; the others are indexed again, and saved documents
 * that are gone are removed — so the result searches exactly like
 * `buildSearchIndex(docs)`. Throws on data that is not a saved index.
 */
export function restoreSearchIndex(
  saved: SavedSearchIndex,
  docs: readonly SearchDocument[],
  keyOf: (doc: SearchDocument) => string,
): { index: SearchIndex; reindexed: number } {
  const engine = MiniSearch.loadJS<IndexedFields>(saved.engine as Parameters<typeof MiniSearch.loadJS>[0], engineOptions());
  const index = new Index(engine);
  const keys = new Map(Object.entries(saved.keys));
  let reindexed = 0;
  for (const doc of docs) {
    if (index.docs.has(doc.slug)) continue; // the first document with a slug wins
    const key = keys.get(doc.slug);
    keys.delete(doc.slug);
    if (key !== undefined && key === keyOf(doc) && engine.has(doc.slug)) index.adopt(doc);
    else {
      if (engine.has(doc.slug)) engine.discard(doc.slug);
      index.add(doc);
      reindexed++;
    }
  }
  for (const slug of keys.keys()) if (engine.has(slug)) engine.discard(slug);
  return { index, reindexed };
}
