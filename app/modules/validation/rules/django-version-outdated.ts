import { compareVersions, newestVersion } from "../django-docs";
import { DJANGO_DOCS } from "../django-docs-data";
import type { Hit, Rule } from "./rule";

/**
 * An answer's `django:` versions say what it was checked against; when the
 * newest of them is older than the newest Django release in the committed
 * data, the answer is due for a check. Form field: none (front matter).
 */
export const djangoVersionOutdated: Rule = {
  id: "django-version-outdated",
  severity: "warning",
  summary: "An answer's newest `django:` version is older than the newest Django release: check it against that release.",
  check(ctx) {
    const hits: Hit[] = [];
    for (const entry of ctx.answers) {
      const state = entry.fields.get("django");
      if (!state?.result?.ok) continue;
      const newest = newestVersion(state.result.value as string[]);
      if (!newest || compareVersions(newest, DJANGO_DOCS.stable) >= 0) continue;
      hits.push({
        path: entry.path,
        ...state.position,
        message:
          `this answer was checked against Django ${newest} at the newest, and Django ${DJANGO_DOCS.stable} is out: ` +
          `check it against ${DJANGO_DOCS.stable} (and its documentation links), then add "${DJANGO_DOCS.stable}" to django`,
      });
    }
    return hits;
  },
};
