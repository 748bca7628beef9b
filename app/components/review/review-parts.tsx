import { Form, Link } from "@remix-run/react";
import type { DiffLine } from "~/modules/diff/line-diff";
import type { CheckSummary } from "~/modules/review/checks";
import type { ReviewFile } from "~/modules/review/types";
import type { Finding } from "~/modules/validation/types";

export const KIND_LABEL: Record<string, string> = {
  question: "New question",
  answer: "New answer",
  edit: "Edit",
  "pull-request": "Pull request",
};

export const STATUS_LABEL: Record<string, string> = {
  queued: "Queued",
  opened: "Open for review",
  changes_requested: "Changes requested",
  merged: "Merged",
  closed: "Closed",
  failed: "Failed",
};

export function CheckBadge({ check }: { check: CheckSummary }) {
  const icon = { success: "✓", failure: "✗", pending: "…", none: "–" }[check.state];
  return (
    <span className={`check check-${check.state}`} data-check={check.state}>
      <span aria-hidden="true">{icon}</span> {check.text}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="findings-none">The content check found nothing to fix.</p>;
  return (
    <ul className="findings" aria-label="Findings of the content check">
      {findings.map((f, i) => (
        <li key={`${f.path}:${f.line}:${f.rule}:${i}`} data-severity={f.severity}>
          <span className={`severity-${f.severity}`}>{f.severity === "error" ? "Error" : "Warning"}</span>{" "}
          <code>
            {f.path}:{f.line}
          </code>{" "}
          — {f.message} <small>({f.rule})</small>
        </li>
      ))}
    </ul>
  );
}

const FILE_STATUS: Record<ReviewFile["status"], string> = { added: "new file", modified: "changed", removed: "removed", renamed: "renamed" };

/** A changed line in pieces: the words it removed (`<del>`) or added (`<ins>`) marked. */
function Words({ line }: { line: DiffLine }) {
  const Mark = line.type === "del" ? "del" : "ins";
  return (
    <>
      {(line.words ?? []).map((w, i) => (w.changed ? <Mark key={i}>{w.text}</Mark> : <span key={i}>{w.text}</span>))}
    </>
  );
}

/** The changed files, line by line: the review screen and the contributor's status page show the same view. */
export function DiffList({ files }: { files: Pick<ReviewFile, "path" | "status" | "lines">[] }) {
  return (
    <>
      {files.map((d) => (
        <details key={d.path} open>
          <summary>
            <code>{d.path}</code> ({FILE_STATUS[d.status]})
          </summary>
          <pre className="diff" role="group" aria-label={`Changes to ${d.path}`}>
            {d.lines.map((l, i) =>
              l === null ? (
                <span key={i} className="gap">
                  {"  …\n"}
                </span>
              ) : (
                <span key={i} className={l.type === "add" ? "add" : l.type === "del" ? "del" : undefined}>
                  {l.type === "add" ? "+ " : l.type === "del" ? "- " : "  "}
                  {l.words ? <Words line={l} /> : l.text}
                  {"\n"}
                </span>
              ),
            )}
          </pre>
        </details>
      ))}
    </>
  );
}

/**
 * The three actions; plain POST forms that work without JavaScript. Merge comes last (on a phone it is
 * not the first big button under the thumb) and asks to confirm with a required box, which the server
 * checks too.
 */
export function ReviewActions({
  csrf,
  mergeBlocked,
  actingAs,
  actingNote,
  mergeHint,
  result,
}: {
  csrf: string;
  mergeBlocked?: string;
  /** Whose identity the actions use on the forge (absent: a forge without identities). */
  actingAs?: "maintainer" | "site";
  /** The forge's words for it, shown above the forms. */
  actingNote?: string;
  /** What merging does, in the forge's words. */
  mergeHint: string;
  /** The last refused action: its comment is kept and its message shown next to the field. */
  result?: { intent: string | null; comment?: string; error?: string; field?: string | null };
}) {
  const commentOf = (intent: string) => (result?.intent === intent ? result.comment : undefined);
  const errorOf = (intent: string) => (result?.intent === intent && result.field === "comment" ? result.error : undefined);
  const confirmError = result?.intent === "merge" && result.field === "confirm" ? result.error : undefined;
  const described = [mergeBlocked ? "merge-blocked" : "", confirmError ? "merge-confirm-error" : ""].filter(Boolean).join(" ");
  return (
    <section aria-labelledby="actions-heading" id="decide">
      <h2 id="actions-heading">Decide</h2>
      {actingNote ? (
        <p className="field-hint" data-acting-as={actingAs}>
          {actingNote}
        </p>
      ) : null}
      <div className="review-actions">
        <CommentForm
          csrf={csrf}
          intent="request-changes"
          name="Request changes"
          title="Request changes"
          label="What should the contributor change?"
          button="Request changes"
          comment={commentOf("request-changes")}
          error={errorOf("request-changes")}
        />
        <CommentForm
          csrf={csrf}
          intent="close"
          name="Close"
          title="Close without merging"
          label="Why? (shown to the contributor)"
          button="Close"
          danger
          comment={commentOf("close")}
          error={errorOf("close")}
        />
        <Form method="post" aria-label="Merge" className="merge-form">
          <h3>Merge</h3>
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="merge" />
          <p className="field-hint">{mergeHint}</p>
          {mergeBlocked ? (
            <p className="field-error" id="merge-blocked">
              {mergeBlocked}
            </p>
          ) : null}
          <div className="confirm">
            <input
              type="checkbox"
              id="merge-confirm"
              name="confirm"
              value="yes"
              required
              disabled={Boolean(mergeBlocked)}
              aria-invalid={confirmError ? true : undefined}
              aria-describedby={confirmError ? "merge-confirm-error" : undefined}
            />
            <label htmlFor="merge-confirm">I have read this change: publish it on the site.</label>
          </div>
          {confirmError ? (
            <p className="field-error" id="merge-confirm-error">
              {confirmError}
            </p>
          ) : null}
          <button type="submit" disabled={Boolean(mergeBlocked)} aria-describedby={described || undefined}>
            Merge
          </button>
        </Form>
      </div>
    </section>
  );
}

export { readableTime, When } from "~/components/when";

function CommentForm(props: { csrf: string; intent: string; name: string; title: string; label: string; button: string; danger?: boolean; comment?: string; error?: string }) {
  const id = `comment-${props.intent === "close" ? "close" : "changes"}`;
  return (
    <Form method="post" aria-label={props.name}>
      <h3>{props.title}</h3>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="intent" value={props.intent} />
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        name="comment"
        required
        maxLength={5000}
        defaultValue={props.comment}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
      <button type="submit" className={props.danger ? "danger" : undefined}>
        {props.button}
      </button>
    </Form>
  );
}

export interface SignInChoices {
  token: boolean;
  github: boolean;
}

export function SignInOptions({ signIn, returnTo = "/review" }: { signIn: SignInChoices; returnTo?: string }) {
  const q = `?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <div className="sign-in-options">
      {signIn.github ? (
        // A link, not a form: the browser leaves for GitHub (CSP form-action is 'self').
        <a className="button" href={`/auth/github${q}`}>
          Sign in with GitHub
        </a>
      ) : null}
      {signIn.token ? (
        <Link className={signIn.github ? undefined : "button"} to={`/auth/token${q}`}>
          Sign in with the maintainer token
        </Link>
      ) : null}
    </div>
  );
}

export interface ForbiddenData {
  forbidden: true;
  message: string;
  signedInAs: string | null;
  signIn: SignInChoices;
}

export function isForbiddenData(data: unknown): data is ForbiddenData {
  return typeof data === "object" && data !== null && (data as { forbidden?: unknown }).forbidden === true;
}

export function ForbiddenPanel({ data }: { data: ForbiddenData }) {
  return (
    <section className="error-page" data-forbidden="true">
      <h1>Maintainers only</h1>
      <p className="lead">{data.message}</p>
      {data.signedInAs ? (
        <p>
          You are signed in as <strong>{data.signedInAs}</strong>. <Link to="/auth/logout">Sign out</Link> to use another account.
        </p>
      ) : null}
      <SignInOptions signIn={data.signIn} />
      <p>
        Not a maintainer? You can still <Link to="/contribute/question">propose a question</Link>: the maintainers review it here.
      </p>
    </section>
  );
}
