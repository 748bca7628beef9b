/**
 * The search index as it was before MiniSearch (lunr 2.3.9, same fields,
 * boosts and text preparation), kept for the side-by-side measurement in
 * `npm run bench` only. The site does not use it.
 */
import lunr from "lunr";
import { FIELD_BOOSTS, normalizeForIndex, plainWords, isStopWord, tagsText, type SearchDocument } from "~/modules/search";

const LEADING = /^[^\p{L}\p{N}]+/u;
const TRAILING = /[^\p{L}\p{M}\p{N}]+$/u;
const unicodeTrimmer: lunr.PipelineFunction = (token) => {
  let empty = false;
  token.update((s) => {
    let t = s.replace(LEADING, "").replace(TRAILING, "");
    if (t.length === 1 && !/\p{N}/u.test(t)) t = "";
    empty = t === "";
    return t;
  });
  return empty ? (undefined as unknown as lunr.Token) : token;
};
const LABEL = "benchUnicodeTrimmer";
const registered = (lunr.Pipeline as unknown as { registeredFunctions: Record<string, unknown> }).registeredFunctions;
if (!registered[LABEL]) lunr.Pipeline.registerFunction(unicodeTrimmer, LABEL);

export function buildLunr(docs: readonly SearchDocument[]): lunr.Index {
  return lunr(function () {
    this.ref("slug");
    this.field("title", { boost: FIELD_BOOSTS.title });
    this.field("tags", { boost: FIELD_BOOSTS.tags });
    this.field("body", { boost: FIELD_BOOSTS.body });
    this.field("answers", { boost: FIELD_BOOSTS.answers });
    this.metadataWhitelist = ["position"];
    this.pipeline.before(lunr.trimmer, unicodeTrimmer);
    this.pipeline.remove(lunr.trimmer);
    this.searchPipeline.before(lunr.stemmer, unicodeTrimmer);
    for (const doc of docs) {
      this.add({
        slug: doc.slug,
        title: normalizeForIndex(doc.title),
        tags: normalizeForIndex(tagsText(doc)),
        body: normalizeForIndex(doc.body),
        answers: normalizeForIndex(doc.answers),
      });
    }
  });
}

/** A plain-words query as the site ran it on lunr: exact stemmed terms plus the last word as a prefix. */
export function queryLunr(index: lunr.Index, text: string): string[] {
  const words = plainWords(text);
  const terms = [...new Set(words.filter((w) => !isStopWord(w)))];
  const last = words[words.length - 1];
  return index
    .query((q) => {
      for (const term of terms) q.term(term, { usePipeline: true });
      if (last && last.length >= 2 && !isStopWord(last)) q.term(last, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5 });
    })
    .map((r) => r.ref);
}
