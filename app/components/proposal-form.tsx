import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { FormState, ProposalPreview } from "~/modules/contributions/web.server";
import { many, one } from "~/modules/contributions/form-values";
import { AnswerView, QuestionView } from "./question-view";

type Values = FormState["values"];

export interface ProposalFormProps {
  kind: "question" | "answer" | "edit";
  /** Show title + tags (questions and edits of a question). */
  questionFields: boolean;
  tags: { id: string; label: string; description: string }[];
  initial: Values;
  state?: FormState;
  submissionKey: string;
  bodyLabel: string;
  bodyHint: string;
  submitLabel?: string;
  account?: { githubSignIn: boolean; login: string | null };
  /** Where GitHub sign-in comes back to (this form's path). */
  returnTo?: string;
}


function FieldMessages({ id, errors, warnings }: { id: string; errors?: string[]; warnings?: string[] }) {
  if (!errors?.length && !warnings?.length) return null;
  return (
    <div id={`${id}-messages`}>
      {errors?.map((m) => (
        <p key={m} className="field-error">
          {m}
        </p>
      ))}
      {warnings?.map((m) => (
        <p key={m} className="field-warning">
          {m}
        </p>
      ))}
    </div>
  );
}

interface TextFieldProps {
  name: string;
  label: string;
  hint?: string;
  type?: "text" | "email";
  maxLength: number;
  required?: boolean;
  autoComplete?: string;
  values: Values;
  errors: FormState["fieldErrors"];
  warnings?: FormState["warnings"];
}

/** One labelled input with its hint and its messages, wired for screen readers. */
function TextField({ name, label, hint, type = "text", maxLength, required, autoComplete, values, errors, warnings }: TextFieldProps) {
  const messages = errors[name]?.length || warnings?.[name]?.length ? `${name}-messages` : "";
  const describedBy = [hint ? `${name}-hint` : "", messages].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint ? (
        <p id={`${name}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <input
        id={`field-${name}`}
        type={type}
        name={name}
        maxLength={maxLength}
        required={required}
        autoComplete={autoComplete}
        defaultValue={one(values, name)}
        aria-invalid={errors[name]?.length ? true : undefined}
        aria-describedby={describedBy}
      />
      <FieldMessages id={name} errors={errors[name]} warnings={warnings?.[name]} />
    </div>
  );
}

const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  body: "Text",
  tags: "Tags",
  name: "Your name",
  github: "GitHub username",
  email: "E-mail",
  licence: "Licence",
  note: "Note to reviewers",
};

export function SimilarList({ similar }: { similar: ProposalPreview["similar"] }) {
  if (similar.length === 0) return null;
  return (
    <aside className="similar notice" aria-labelledby="similar-heading">
      <h2 id="similar-heading">Is it already here?</h2>
      <p>These existing questions look similar. If one of them asks the same thing, consider answering it instead.</p>
      <ul>
        {similar.map((s) => (
          <li key={s.slug}>
            <Link to={`/q/${s.slug}`} target="_blank">
              {s.number}. <bdi>{s.title}</bdi>
            </Link>
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function PreviewPanel({ preview }: { preview: ProposalPreview }) {
  return (
    <section className="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading" className="preview-label">
        Preview — as the site will show it
      </h2>
      <article className="question-page">
        <QuestionView question={preview.question} tags={preview.tags} editLink={false} headingLevel={2} />
        {preview.answers.length > 0 ? (
          <section className="answers" aria-label="Answers">
            {preview.answers
              .filter((a) => !preview.focusAnswerId || a.id === preview.focusAnswerId)
              .map((a) => (
                <AnswerView key={a.id} answer={a} questionSlug={preview.question.slug} editLink={false} />
              ))}
          </section>
        ) : null}
      </article>
    </section>
  );
}

export function ProposalForm(props: ProposalFormProps) {
  const { state, initial, questionFields, tags } = props;
  const values = state?.values ?? initial;
  const errors = state?.fieldErrors ?? {};
  const warnings = state?.warnings ?? {};
  const live = useFetcher<ProposalPreview | null>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  // With JavaScript the preview (and "Is it already here?") follows typing.
  const { submit } = live;
  const onInput = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const data = new FormData(formRef.current);
      data.delete("intent");
      submit(data, { method: "post", action: "/contribute/preview" });
    }, 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const preview = (hydrated && live.data !== undefined ? live.data : state?.preview) ?? undefined;
  const errorEntries = Object.entries(errors).filter(([, list]) => list.length > 0);
  const invalid = (field: string) => (errors[field]?.length ? true : undefined);
  const describedBy = (field: string, hint?: boolean) =>
    [hint ? `${field}-hint` : "", errors[field]?.length || warnings[field]?.length ? `${field}-messages` : ""].filter(Boolean).join(" ") ||
    undefined;

  return (
    <div className="two-col proposal">
      <Form method="post" ref={formRef} onInput={onInput} className="proposal-form" noValidate>
        {props.account?.login ? (
          <p className="notice account">
            Signed in as <strong>@{props.account.login}</strong>: the pull request will be opened as you (from your fork
            if you cannot push to the repository).
          </p>
        ) : props.account?.githubSignIn ? (
          <p className="notice account">
            No account needed. If you like,{" "}
            <a href={`/auth/github?returnTo=${encodeURIComponent(props.returnTo ?? "/")}`}>sign in with GitHub</a> to open
            the pull request as yourself.
          </p>
        ) : null}
        {errorEntries.length > 0 ? (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <h2>Please fix {errorEntries.length === 1 ? "this" : "these"} before sending</h2>
            <ul>
              {errorEntries.map(([field, list]) => (
                <li key={field}>
                  {field === "_form" ? list.join(" ") : <a href={`#field-${field}`}>{`${FIELD_LABELS[field] ?? field}: ${list[0]}`}</a>}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <input type="hidden" name="kind" value={props.kind} />
        {initial.questionSlug ? <input type="hidden" name="questionSlug" value={one(initial, "questionSlug")} /> : null}
        {initial.path ? <input type="hidden" name="path" value={one(initial, "path")} /> : null}
        <input type="hidden" name="submissionKey" value={one(values, "submissionKey") || props.submissionKey} />
        <div className="hp-field" aria-hidden="true">
          <label htmlFor="field-website">Leave this field empty</label>
          <input id="field-website" type="text" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>

        {questionFields ? (
          <TextField
            name="title"
            label="Title"
            hint="A short name for the question, up to 100 characters — plain text."
            maxLength={100}
            required
            values={values}
            errors={errors}
            warnings={warnings}
          />
        ) : null}

        <div className="field">
          <label htmlFor="field-body">{props.bodyLabel}</label>
          <p id="body-hint" className="field-hint">
            {props.bodyHint} Markdown: <code>`code`</code>, fenced blocks with a language (<code>```python</code>), lists, links.
            No HTML.
          </p>
          <textarea
            id="field-body"
            name="body"
            rows={14}
            maxLength={20000}
            required
            defaultValue={one(values, "body")}
            aria-invalid={invalid("body")}
            aria-describedby={describedBy("body", true)}
          />
          <FieldMessages id="body" errors={errors.body} warnings={warnings.body} />
        </div>

        {questionFields ? (
          <fieldset className="field" aria-describedby={describedBy("tags")} id="field-tags">
            <legend>Tags (1 to 5)</legend>
            <ul className="tag-list">
              {tags.map((t) => (
                <li key={t.id}>
                  <label className="tag tag-check" title={t.description}>
                    <input type="checkbox" name="tags" value={t.id} defaultChecked={many(values, "tags").includes(t.id)} /> {t.label}
                  </label>
                </li>
              ))}
            </ul>
            <FieldMessages id="tags" errors={errors.tags} warnings={warnings.tags} />
          </fieldset>
        ) : null}

        <fieldset className="field">
          <legend>About you</legend>
          <TextField name="name" label="Your name" hint="Shown with your contribution." maxLength={100} required autoComplete="name" values={values} errors={errors} />
          <TextField
            name="github"
            label="GitHub username (optional)"
            hint="Credits you as co-author of the commit and links your name."
            maxLength={39}
            autoComplete="username"
            values={values}
            errors={errors}
          />
          <TextField
            name="email"
            type="email"
            label="E-mail (optional)"
            hint="Only for the commit's author line; never shown on the site."
            maxLength={254}
            autoComplete="email"
            values={values}
            errors={errors}
          />
        </fieldset>

        <TextField name="note" label="Note to reviewers (optional)" maxLength={1000} values={values} errors={errors} />

        <div className="field">
          <label className="checkbox" htmlFor="field-licence">
            <input
              id="field-licence"
              type="checkbox"
              name="licence"
              value="on"
              defaultChecked={one(values, "licence") === "on"}
              aria-invalid={invalid("licence")}
              aria-describedby={describedBy("licence")}
            />
            <span>
              I agree that my contribution is published under the content licence (BSD 3-Clause), as the rest of the
              site. <Link to="/about">About the licence</Link>
            </span>
          </label>
          <FieldMessages id="licence" errors={errors.licence} />
        </div>

        <div className="form-actions">
          <button type="submit" name="intent" value="preview" className="secondary">
            Preview
          </button>
          <button type="submit" name="intent" value="submit">
            {props.submitLabel ?? "Send proposal"}
          </button>
        </div>
      </Form>
      <div className="proposal-side" aria-live="polite">
        {preview ? (
          <>
            <SimilarList similar={preview.similar} />
            <PreviewPanel preview={preview} />
          </>
        ) : (
          <p className="hint">Press Preview to see your proposal as the site will show it.</p>
        )}
      </div>
    </div>
  );
}
