import lunr from "lunr";
import { normalizeForIndex, unicodeTrimmer } from "./text";
import type { SearchDocument, SearchIndex } from "./types";

/** Field boosts: a title match outweighs a tag match, which outweighs body and answers. */
export const FIELD_BOOSTS = { title: 10, tags: 5, body: 2, answers: 1 } as const;

/** Text indexed in the `tags` field: ids and labels, so `tags:security` and "Celery & Background Tasks" both match. */
export function tagsText(doc: SearchDocument): string {
  return [...doc.tags, ...doc.tagLabels].join(" ");
}

/**
 * Builds an (immutable) lunr index over the documents. Rebuild it whenever the
 * content changes; ~100 documents take a few tens of milliseconds.
 * Documents with a duplicate slug are ignored (the first one wins).
 */
export function buildSearchIndex(docs: readonly SearchDocument[]): SearchIndex {
  const bySlug = new Map<string, SearchDocument>();
  const byNumber = new Map<number, SearchDocument>();
  for (const doc of docs) {
    if (bySlug.has(doc.slug)) continue;
    bySlug.set(doc.slug, doc);
    if (!byNumber.has(doc.number)) byNumber.set(doc.number, doc);
  }

  const index = lunr(function () {
    this.ref("slug");
    this.field("title", { boost: FIELD_BOOSTS.title });
    this.field("tags", { boost: FIELD_BOOSTS.tags });
    this.field("body", { boost: FIELD_BOOSTS.body });
    this.field("answers", { boost: FIELD_BOOSTS.answers });
    this.metadataWhitelist = ["position"];

    // Unicode-aware trimming at indexing AND search time (lunr's trimmer mangles "café").
    this.pipeline.before(lunr.trimmer, unicodeTrimmer);
    this.pipeline.remove(lunr.trimmer);
    this.searchPipeline.before(lunr.stemmer, unicodeTrimmer);


    for (const doc of bySlug.values()) {
      // Normalisation keeps lengths, so positions point into the original text kept in `bySlug`.
      this.add({
        slug: doc.slug,
        title: normalizeForIndex(doc.title ?? ""),
        tags: normalizeForIndex(tagsText(doc)),
        body: normalizeForIndex(doc.body ?? ""),
        answers: normalizeForIndex(doc.answers ?? ""),
      });
    }
  });

  return { lunr: index, docs: bySlug, byNumber, size: bySlug.size };
}
