import type { Hit, Rule } from "./rule";

/**
 * The folder name is a question's slug (its URL /q/<slug>). A `slug` field in
 * the front matter is optional and must agree with the folder name: a
 * different one would promise an address the site does not serve.
 */
export const slugMismatch: Rule = {
  id: "slug-mismatch",
  severity: "error",
  summary: "A question's optional front-matter `slug` must equal its folder name, which is the slug the site uses.",
  field: { question: "title" },
  check(ctx) {
    const hits: Hit[] = [];
    for (const q of ctx.questions) {
      const state = q.fields.get("slug");
      if (!state?.result) continue;
      if (!state.result.ok) {
        hits.push({ path: q.path, ...state.position, message: state.result.message });
      } else if (state.result.value !== q.slug) {
        hits.push({
          path: q.path,
          ...state.position,
          message:
            `slug "${String(state.result.value)}" differs from the folder name "${q.slug}"; the folder name is the slug ` +
            `(the question is served at /q/${q.slug}) — remove the slug line or make it "${q.slug}"`,
        });
      }
    }
    return hits;
  },
};
