/**
 * The front-matter fields of the content contract, with their checks.
 * The same checks feed the rules (findings) and the model built by
 * `parseContent`, so the site and the check never disagree. Pure.
 */
import { DJANGO_DOCS } from "./django-docs-data";
import { VERSION_PATTERN } from "./django-docs";
import { charLength, isKebabCase } from "./text";

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string; /** index of the list item at fault */ item?: number };

export interface FieldSpec<T> {
  name: string;
  /** Rule id under which problems with this field are reported. */
  rule: string;
  required: boolean;
  /** Said when the field is missing. */
  missing: string;
  check(value: unknown): FieldCheck<T>;
}

export const TITLE_MAX = 100;
export const AUTHOR_MAX = 100;
export const CREDIT_MAX = 300;
export const TAGS_MIN = 1;
export const TAGS_MAX = 5;

/** Short description of what YAML produced, for "found …" in messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (an empty value)";
  if (typeof value === "string") return `"${truncate(value, 40)}" (text)`;
  if (typeof value === "number") return `${value} (a number)`;
  if (typeof value === "boolean") return `${value} (true/false)`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value instanceof Date) return "a date-time";
  if (typeof value === "object") return "a mapping of fields";
  return typeof value;
}

export function truncate(s: string, max: number): string {
  const oneLine = s.replace(/\s*\n\s*/g, " ");
  return charLength(oneLine) > max ? [...oneLine].slice(0, max - 1).join("") + "…" : oneLine;
}

const fail = (message: string, item?: number): FieldCheck<never> => (item === undefined ? { ok: false, message } : { ok: false, message, item });

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function dateField(name: string, rule: string, what: string): FieldSpec<string> {
  return {
    name,
    rule,
    required: true,
    missing: `"${name}" is missing; add ${what} as YYYY-MM-DD, e.g. "${name}: 2026-11-25"`,
    check(value) {
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        return { ok: true, value: value.toISOString().slice(0, 10) };
      }
      if (typeof value !== "string") {
        return fail(`"${name}" must be a date written YYYY-MM-DD, e.g. 2026-11-25; found ${describeValue(value)}`);
      }
      const s = value.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
        return fail(`"${name}" must be a date written YYYY-MM-DD, e.g. 2026-11-25; found "${truncate(value, 40)}"`);
      }
      if (!isIsoDate(s)) {
        return fail(`"${name}" is ${s}, which is not a real date; check the month and the day`);
      }
      return { ok: true, value: s };
    },
  };
}

function lineOfText(name: string, rule: string, max: number, what: string, options: { letters?: boolean } = {}): FieldSpec<string> {
  return {
    name,
    rule,
    required: true,
    missing: `"${name}" is missing; add ${what} (at most ${max} characters)`,
    check(value) {
      if (typeof value !== "string") {
        const hint = typeof value === "number" || typeof value === "boolean" ? ' — put it in quotes, e.g. "' + String(value) + '"' : "";
        return fail(`"${name}" must be text; found ${describeValue(value)}${hint}`);
      }
      const s = value.trim();
      if (s === "") return fail(`"${name}" is empty; write ${what}`);
      if (/[\r\n]/.test(s)) return fail(`"${name}" must fit on one line; remove the line breaks`);
      const len = charLength(s);
      if (len > max) return fail(`${name} is ${len} characters; the limit is ${max} — shorten it`);
      const tag = /<\/?[a-zA-Z][^>]*>/.exec(s);
      if (tag) return fail(`"${name}" must be plain text; remove the HTML "${truncate(tag[0], 30)}"`);
      if (options.letters && !/\p{L}/u.test(s)) return fail(`"${name}" has no letters; write ${what} in words`);
      return { ok: true, value: s };
    },
  };
}

export const QUESTION_FIELDS = {
  number: {
    name: "number",
    rule: "question-number",
    required: true,
    missing: '"number" is missing; add the question\'s number, a positive whole number no other question uses, e.g. "number: 72"',
    check(value: unknown): FieldCheck<number> {
      if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) {
        return fail(`"number" must be a whole number, not text; write number: ${value.trim()} without quotes`);
      }
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
        return fail(`"number" must be a positive whole number (1, 2, 3, …); found ${describeValue(value)}`);
      }
      return { ok: true, value };
    },
  } satisfies FieldSpec<number>,
  title: lineOfText("title", "question-title", TITLE_MAX, "a one-line plain-text title", { letters: true }),
  tags: {
    name: "tags",
    rule: "question-tags",
    required: true,
    missing: `"tags" is missing; add ${TAGS_MIN} to ${TAGS_MAX} tag ids from tags.yml, e.g. "tags: [orm, models]"`,
    check(value: unknown): FieldCheck<string[]> {
      if (typeof value === "string") {
        return fail(`"tags" must be a list of tag ids, e.g. "tags: [${value.split(/[,\s]+/).filter(Boolean).join(", ")}]"; found text`);
      }
      if (!Array.isArray(value)) {
        return fail(`"tags" must be a list of ${TAGS_MIN} to ${TAGS_MAX} tag ids, e.g. "tags: [orm, models]"; found ${describeValue(value)}`);
      }
      if (value.length < TAGS_MIN || value.length > TAGS_MAX) {
        return fail(`"tags" must list ${TAGS_MIN} to ${TAGS_MAX} tag ids; found ${value.length}`);
      }
      const seen = new Set<string>();
      for (let i = 0; i < value.length; i++) {
        const tag: unknown = value[i];
        if (typeof tag !== "string" || tag.trim() === "") {
          return fail(`each tag must be a tag id from tags.yml; item ${i + 1} is ${describeValue(tag)}`, i);
        }
        if (seen.has(tag)) return fail(`tag "${tag}" is listed twice; remove the repeat`, i);
        seen.add(tag);
      }
      return { ok: true, value: value as string[] };
    },
  } satisfies FieldSpec<string[]>,
  added: dateField("added", "question-added", "the date the question was added"),
  credit: {
    name: "credit",
    rule: "question-credit",
    required: false,
    missing: "",
    check(value: unknown): FieldCheck<string> {
      if (typeof value !== "string") {
        return fail(`"credit" must be text saying whom to credit for the question; found ${describeValue(value)}`);
      }
      const s = value.trim();
      if (s === "") return fail('"credit" is empty; say whom to credit or remove the field');
      const len = charLength(s);
      if (len > CREDIT_MAX) return fail(`credit is ${len} characters; the limit is ${CREDIT_MAX} — shorten it`);
      return { ok: true, value: s };
    },
  } satisfies FieldSpec<string>,
  /**
   * Optional and redundant: the folder name is the slug. Allowed because
   * contributors used to static-site generators write it; the
   * `slug-mismatch` rule compares it with the folder name.
   */
  slug: {
    name: "slug",
    rule: "slug-mismatch",
    required: false,
    missing: "",
    check(value: unknown): FieldCheck<string> {
      if (typeof value !== "string") {
        return fail(`"slug" must be the question's folder name as text; found ${describeValue(value)} — or remove the line, the folder name is the slug`);
      }
      return { ok: true, value: value.trim() };
    },
  } satisfies FieldSpec<string>,
} as const;

const GITHUB_USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function isGithubUsername(s: string): boolean {
  return GITHUB_USERNAME.test(s);
}

export const ANSWER_FIELDS = {
  author: lineOfText("author", "answer-author", AUTHOR_MAX, "the name to show for the answer's author"),
  github: {
    name: "github",
    rule: "answer-github",
    required: false,
    missing: "",
    check(value: unknown): FieldCheck<string> {
      if (typeof value !== "string") {
        return fail(`"github" must be a GitHub username; found ${describeValue(value)}`);
      }
      const s = value.trim();
      if (isGithubUsername(s)) return { ok: true, value: s };
      const url = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([^/?#]+)\/?$/i.exec(s);
      if (url) return fail(`"github" must be just the username, not a link; write github: ${url[1]}`);
      if (s.startsWith("@") && isGithubUsername(s.slice(1))) {
        return fail(`"github" must be the username without "@"; write github: ${s.slice(1)}`);
      }
      return fail(
        `"github" must be a GitHub username (1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen); found "${truncate(value, 50)}"`,
      );
    },
  } satisfies FieldSpec<string>,
  date: dateField("date", "answer-date", "the date the answer was written or last revised"),
  /**
   * Optional: the Django versions the answer was checked against, as text
   * (`django: ["5.2", "6.0"]`). Unquoted, YAML would read 6.0 as the number 6.
   */
  django: {
    name: "django",
    rule: "answer-django",
    required: false,
    missing: "",
    check(value: unknown): FieldCheck<string[]> {
      const example = `e.g. django: ["${DJANGO_DOCS.releases.at(-2) ?? "5.2"}", "${DJANGO_DOCS.stable}"]`;
      if (!Array.isArray(value)) {
        return fail(`"django" must be a list of the Django versions the answer was checked against, in quotes, ${example}; found ${describeValue(value)}`);
      }
      if (value.length === 0) return fail(`"django" lists no version; list the versions the answer was checked against, ${example}, or remove the line`);
      const seen = new Set<string>();
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === "number") {
          return fail(`write each Django version in quotes, ${example}: unquoted, YAML reads ${item} as a number (and 6.0 as 6)`, i);
        }
        if (typeof item !== "string" || !VERSION_PATTERN.test(item.trim())) {
          return fail(`each item of "django" must be a Django version written X.Y, ${example}; item ${i + 1} is ${describeValue(item)}`, i);
        }
        const version = item.trim();
        if (!DJANGO_DOCS.releases.includes(version) && version !== DJANGO_DOCS.dev) {
          return fail(`there is no Django ${version}; the newest release is ${DJANGO_DOCS.stable}${DJANGO_DOCS.dev ? ` (${DJANGO_DOCS.dev} is in development)` : ""}`, i);
        }
        if (seen.has(version)) return fail(`Django ${version} is listed twice; remove the repeat`, i);
        seen.add(version);
      }
      return { ok: true, value: [...seen] };
    },
  } satisfies FieldSpec<string[]>,
} as const;

export const TAG_FIELDS = ["id", "label", "description"] as const;

export type FieldSpecs = Record<string, FieldSpec<unknown>>;

export function fieldNames(specs: FieldSpecs): string[] {
  return Object.keys(specs);
}

/** Guard: kebab-case ids for tags and answers. */
export { isKebabCase };
