/**
 * What a contributor may submit: the proposal forms' fields, validated.
 * Pure (zod only): shared by the web form, the service and the tests.
 *
 * Errors come back keyed by the form field's `name`, with sentences a
 * contributor can act on; problems that belong to no field use `_form`.
 */
import { z } from "zod";
import { isQuestionFile, isSlug, KEBAB_CASE } from "~/modules/contract";
import { findInvisibleCharacter, invisibleCharacterMessage } from "~/modules/validation/invisible";

export const LIMITS = {
  title: 100,
  titleMin: 10,
  body: 20_000,
  bodyMin: 10,
  name: 100,
  email: 254,
  credit: 300,
  note: 1_000,
  tagsMin: 1,
  tagsMax: 5,
  path: 300,
} as const;

/** The hidden field bots fill in and people never see. */
export const HONEYPOT_FIELD = "website";
/** Key of errors that concern the whole form. */
export const FORM_ERRORS = "_form";

export type FieldErrors = Record<string, string[]>;

/** GitHub usernames: 1–39 alphanumerics or single hyphens, not at either end. */
export const GITHUB_USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Contract slugs: kebab-case (3–60 characters: `isSlug`). */
export const SLUG = KEBAB_CASE;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

type Raw = Record<string, unknown>;

/** Single form value: the first string of an array, trimmed; `undefined` when absent. */
function text(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

const lineString = (field: string, max: number, min = 1) =>
  z
    .string()
    .min(min, min <= 1 ? `Enter ${field}.` : `${capital(field)} must be at least ${min} characters.`)
    .max(max, `${capital(field)} must be at most ${max} characters.`)
    .refine((s) => !/[\r\n]/.test(s), `${capital(field)} must fit on one line.`)
    .refine((s) => !CONTROL.test(s), `${capital(field)} contains invisible control characters; please retype it.`)
    // The content check's rule (invisible-characters), for every one-line field: names the character.
    .superRefine((s, ctx) => {
      const found = findInvisibleCharacter(s);
      if (found) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${capital(invisibleCharacterMessage(field, found))}.` });
    });

const blankToUndefined = (v: unknown) => {
  const s = text(v)?.trim();
  return s ? s : undefined;
};

const oneLine = (field: string, max: number, min = 1) => z.preprocess((v) => text(v)?.trim() ?? "", lineString(field, max, min));

const optionalLine = (field: string, max: number, min = 1) => z.preprocess(blankToUndefined, lineString(field, max, min).optional());

const markdown = (field: string, max: number, min: number) =>
  z.preprocess(
    (v) => (text(v) ?? "").replace(/\r\n?/g, "\n").replace(/^\uFEFF/, ""),
    z
      .string()
      .refine((s) => s.trim().length >= min, `${capital(field)} is too short: write at least ${min} characters.`)
      .refine((s) => s.length <= max, (s) => ({
        message: `${capital(field)} is too long: ${s.length.toLocaleString("en-US")} characters, at most ${max.toLocaleString("en-US")}.`,
      }))
      .refine((s) => !CONTROL.test(s.replace(/\t/g, "")), `${capital(field)} contains invisible control characters; please remove them.`),
  );

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const contributorFields = {
  name: oneLine("your name", LIMITS.name),
  github: z.preprocess(
    (v) => {
      const s = text(v)?.trim().replace(/^@/, "");
      return s ? s : undefined;
    },
    z
      .string()
      .regex(
        GITHUB_USERNAME,
        "This is not a GitHub username: use 1–39 letters, digits or single hyphens, not starting or ending with a hyphen (leave it empty if you have none).",
      )
      .optional(),
  ),
  email: z.preprocess(
    (v) => {
      const s = text(v)?.trim();
      return s ? s : undefined;
    },
    z
      .string()
      .max(LIMITS.email, `The e-mail address must be at most ${LIMITS.email} characters.`)
      .email("This e-mail address is not valid (leave it empty if you prefer).")
      .optional(),
  ),
  licence: z.preprocess(
    (v) => {
      const s = text(v);
      return s !== undefined && ["on", "true", "yes", "1", "checked"].includes(s.toLowerCase());
    },
    z.literal(true, {
      errorMap: () => ({ message: "Please confirm that your contribution may be published under the site's licence." }),
    }),
  ),
  [HONEYPOT_FIELD]: z.preprocess(
    (v) => text(v) ?? "",
    z.string().max(0, "This form could not be accepted. Leave the field marked “leave empty” empty."),
  ),
  note: optionalLine("the note to reviewers", LIMITS.note),
  submissionKey: z.preprocess(
    (v) => {
      const s = text(v)?.trim();
      return s ? s : undefined;
    },
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, "The form was damaged; reload the page and submit again.")
      .optional(),
  ),
};

function tagsField(tagIds: readonly string[]) {
  const known = new Set(tagIds);
  return z.preprocess(
    (v) => {
      const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : v === undefined ? [] : [v];
      const clean = list.map((t) => String(t).trim()).filter((t) => t !== "");
      return [...new Set(clean)];
    },
    z
      .array(z.string())
      .min(LIMITS.tagsMin, "Choose at least one tag.")
      .max(LIMITS.tagsMax, `Choose at most ${LIMITS.tagsMax} tags.`)
      .superRefine((tags, ctx) => {
        const unknown = tags.filter((t) => !known.has(t));
        if (unknown.length > 0) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `Unknown tag${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Choose from the list.`,
          });
        }
      }),
  );
}

const slugField = z.preprocess(
  (v) => text(v)?.trim() ?? "",
  z
    .string()
    .min(1, "Choose the question to answer.")
    .refine(isSlug, "This is not a question of the site."),
);

export function proposalSchemas(tagIds: readonly string[]) {
  const question = z.object({
    kind: z.literal("question"),
    title: oneLine("the title", LIMITS.title, LIMITS.titleMin),
    body: markdown("the question", LIMITS.body, LIMITS.bodyMin),
    tags: tagsField(tagIds),
    credit: optionalLine("the credit", LIMITS.credit),
    ...contributorFields,
  });
  const answer = z.object({
    kind: z.literal("answer"),
    questionSlug: slugField,
    body: markdown("the answer", LIMITS.body, LIMITS.bodyMin),
    ...contributorFields,
  });
  const edit = z.object({
    kind: z.literal("edit"),
    /** Repository path of the edited file. */
    path: z.preprocess(
      (v) => text(v) ?? "",
      z.string().min(1, "Choose the question or answer to edit.").max(LIMITS.path, "This file cannot be edited here."),
    ),
    /** Only for edits of a question. */
    title: optionalLine("the title", LIMITS.title, LIMITS.titleMin),
    tags: tagsField(tagIds).optional(),
    credit: optionalLine("the credit", LIMITS.credit),
    body: markdown("the text", LIMITS.body, LIMITS.bodyMin),
    ...contributorFields,
  }).superRefine((v, ctx) => {
    // An edit of a question carries the question's fields; an edit of an answer only its text.
    if (isQuestionFile(v.path)) {
      if (v.title === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["title"], message: "Enter the title." });
      if (v.tags === undefined || v.tags.length === 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["tags"], message: "Choose at least one tag." });
      }
    }
  });
  return { question, answer, edit };
}

type Schemas = ReturnType<typeof proposalSchemas>;
export type QuestionProposalInput = z.output<Schemas["question"]>;
export type AnswerProposalInput = z.output<Schemas["answer"]>;
export type EditProposalInput = z.output<Schemas["edit"]>;
export type ProposalInput = QuestionProposalInput | AnswerProposalInput | EditProposalInput;

export type ParseResult = { ok: true; input: ProposalInput } | { ok: false; fieldErrors: FieldErrors };

/** Adds a message under a field (no duplicates). */
export function addFieldError(errors: FieldErrors, field: string, message: string): void {
  const list = (errors[field] ??= []);
  if (!list.includes(message)) list.push(message);
}

/**
 * Validates a submitted form (a plain object; see {@link formDataToObject}).
 * `tagIds` is the tag vocabulary of `tags.yml`.
 */
export function parseProposalInput(raw: Raw, tagIds: readonly string[]): ParseResult {
  const kind = text(raw.kind)?.trim();
  const schemas = proposalSchemas(tagIds);
  const schema = kind === "question" ? schemas.question : kind === "answer" ? schemas.answer : kind === "edit" ? schemas.edit : undefined;
  if (!schema) {
    return { ok: false, fieldErrors: { [FORM_ERRORS]: ["Unknown kind of proposal: choose a question, an answer or an edit."] } };
  }
  const result = schema.safeParse({ ...raw, kind });
  if (result.success) return { ok: true, input: result.data as ProposalInput };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : FORM_ERRORS;
    const key = field === HONEYPOT_FIELD ? FORM_ERRORS : field;
    addFieldError(fieldErrors, key, issue.message);
  }
  return { ok: false, fieldErrors };
}

/**
 * FormData (or any `[name, value]` pairs) → plain object. Repeated names
 * (the tag checkboxes) become arrays; files are ignored.
 */
export function formDataToObject(entries: Iterable<[string, unknown]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of entries) {
    if (typeof value !== "string") continue;
    const prev = out[key];
    if (prev === undefined) out[key] = key === "tags" ? [value] : value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
