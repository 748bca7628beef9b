/**
 * Slugs and answer ids: the names of the content's folders and files, and so
 * its addresses (`/q/<slug>`, `#answer-<id>`). Pure.
 */

/** Lower-case letters and digits in runs joined by single hyphens. */
export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A question's slug is its folder name and its URL: kebab-case, 3 to 60 characters. */
export const SLUG_MIN = 3;
export const SLUG_MAX = 60;

/** An answer's id is its file name without `.md`: kebab-case, at most 100 characters. */
export const ANSWER_ID_MAX = 100;

export function isKebabCase(s: string): boolean {
  return KEBAB_CASE.test(s);
}

export function isSlug(s: string): boolean {
  return s.length >= SLUG_MIN && s.length <= SLUG_MAX && KEBAB_CASE.test(s);
}

export function isAnswerId(s: string): boolean {
  return s.length >= 1 && s.length <= ANSWER_ID_MAX && KEBAB_CASE.test(s);
}
