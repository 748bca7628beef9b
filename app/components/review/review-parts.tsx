import { Form, Link } from "@remix-run/react";
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

export function DiffList({ files }: { files: ReviewFile[] }) {
  return (
    <>
      {files.map((d) => (
        <details key={d.path} open>
          <summary>
            <code>{d.path}</code> ({FILE_STATUS[d.status]})
          </summary>
          <pre className="diff" aria-label={`Changes to ${d.path}`}>
            {d.lines.map((l, i) =>
              l === null ? (
                <span key={i} className="gap">
                  {"  …\n"}
                </span>
              ) : (
                <span key={i} className={l.type === "add" ? "add" : l.type === "del" ? "del" : undefined}>
                  {l.type === "add" ? "+ " : l.type === "del" ? "- " : "  "}
                  {l.text}
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

/** The three actions; plain POST forms that work without JavaScript. */
export function ReviewActions({ csrf, mergeBlocked, comment, github }: { csrf: string; mergeBlocked?: string; comment?: string; github: boolean }) {
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">Decide</h2>
      <div className="review-actions">
        <Form method="post" aria-label="Merge">
          <h3>Merge</h3>
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="merge" />
          <p className="field-hint">
            {github ? "Squash-merges the pull request as you." : "Writes the files into the content folder (and commits them when it is a git checkout)."}
          </p>
          {mergeBlocked ? <p className="field-error">{mergeBlocked}</p> : null}
          <button type="submit" disabled={Boolean(mergeBlocked)}>
            Merge
          </button>
        </Form>
        <Form method="post" aria-label="Request changes">
          <h3>Request changes</h3>
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="request-changes" />
          <label htmlFor="comment-changes">What should the contributor change?</label>
          <textarea id="comment-changes" name="comment" required maxLength={5000} defaultValue={comment} />
          <button type="submit">Request changes</button>
        </Form>
        <Form method="post" aria-label="Close">
          <h3>Close without merging</h3>
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="close" />
          <label htmlFor="comment-close">Why (optional, shown to the contributor)</label>
          <textarea id="comment-close" name="comment" maxLength={5000} />
          <button type="submit" className="danger">
            Close
          </button>
        </Form>
      </div>
    </section>
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
      <title>Maintainers only · Django Questions</title>
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
