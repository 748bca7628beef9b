import { checkDocsLink } from "../django-docs";
import { DJANGO_DOCS } from "../django-docs-data";
import { markdownEntries, type Hit, type Rule } from "./rule";
import { docsLinks } from "./django-links";

/**
 * Links to Django's documentation must name a page that exists, in a
 * documentation version that exists. Form field: the body (question text or
 * answer text). The pages come from data/django-docs.json (decision 021).
 */
export const djangoDocsLink: Rule = {
  id: "django-docs-link",
  severity: "error",
  summary: "A link to docs.djangoproject.com must name a documentation page that exists, in a version that exists.",
  check(ctx) {
    const hits: Hit[] = [];
    for (const entry of markdownEntries(ctx)) {
      for (const found of docsLinks(entry)) {
        const result = checkDocsLink(found.link, DJANGO_DOCS);
        if (result.ok) continue;
        let message = `${found.url}: ${result.message}`;
        if (result.reason === "page" && result.suggestion !== undefined) {
          message += `; did you mean https://docs.djangoproject.com/${found.link.language}/${found.link.version}/${result.suggestion}/ ?`;
        }
        hits.push({ path: entry.path, line: found.line, column: found.column, message });
      }
    }
    return hits;
  },
};
