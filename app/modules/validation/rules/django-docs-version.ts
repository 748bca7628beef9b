import { newestVersion, versionsNamed } from "../django-docs";
import { DJANGO_DOCS } from "../django-docs-data";
import { proseText } from "../markdown";
import { markdownEntries, type Hit, type Rule } from "./rule";
import { docsLinks } from "./django-links";

/** A bare `X.Y` in a link to Django's documentation is a Django version. */
const BARE_VERSION = /(?<![\d.])([1-9]\.\d{1,2})(?![\d.]*\d)/g;

/**
 * `/en/stable/` follows each new release, so a text about a particular
 * Django version should link that version's documentation. Warns on a
 * stable link when its text names a version, or when the question or answer
 * names one (in its prose, or an answer's `django:` versions). Release notes
 * (`releases/X.Y/`) are the same in every version and are not reported.
 * Form field: the body (question text or answer text).
 */
export const djangoDocsVersion: Rule = {
  id: "django-docs-version",
  severity: "warning",
  summary: "A /en/stable/ link in a text that names a specific Django version should link that version's documentation.",
  check(ctx) {
    const hits: Hit[] = [];
    for (const entry of markdownEntries(ctx)) {
      const links = docsLinks(entry).filter((f) => f.link.version === "stable" && !f.link.page.startsWith("releases/"));
      if (links.length === 0) continue;
      const tree = entry.markdown();
      const declared = entry.kind === "answer" ? (entry.fields.get("django")?.result?.ok ? (entry.fields.get("django")!.result as { value: string[] }).value : []) : [];
      const named = [...declared, ...versionsNamed(tree ? proseText(tree) : "")];
      for (const found of links) {
        const inText = [...versionsNamed(found.text), ...[...found.text.matchAll(BARE_VERSION)].map((m) => m[1]!)];
        // Prose often names the version a feature appeared in ("since Django 3.0"): the reader then needs
        // today's documentation, so a text that declares nothing is pointed at the newest release at least.
        const version = newestVersion(inText) ?? newestVersion(declared) ?? newestVersion([...named, DJANGO_DOCS.stable]);
        if (inText.length === 0 && named.length === 0) continue;
        if (!version) continue;
        const hash = /#.*$/.exec(found.url)?.[0] ?? "";
        const pinned = `https://docs.djangoproject.com/${found.link.language}/${version}/${found.link.page ? `${found.link.page}/` : ""}${hash}`;
        const why =
          inText.length > 0
            ? `the link text names Django ${version}`
            : `this ${entry.kind} speaks of Django ${[...new Set(declared.length ? declared : named)].join(", ")}`;
        hits.push({
          path: entry.path,
          line: found.line,
          column: found.column,
          message:
            `${why}, but ${found.url} follows each new release; link the version it speaks of: ${pinned}` +
            (entry.kind === "answer" && declared.length === 0 && inText.length === 0 ? ' (and say which versions the answer was checked against in "django:")' : ""),
        });
      }
    }
    return hits;
  },
};
