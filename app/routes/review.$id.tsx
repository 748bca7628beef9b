import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PreviewPanel, SimilarList } from "~/components/proposal-form";
import { CheckBadge, DiffList, FindingsList, KIND_LABEL, ReviewActions, StatusBadge, When } from "~/components/review/review-parts";
import { REVIEW_HEADERS, loadDetail, reviewAction } from "~/modules/review/web.server";
import { pageMeta } from "~/modules/seo/meta";
import { isolate } from "~/modules/bidi/isolate";

export const loader = ({ request, params, context }: LoaderFunctionArgs) => loadDetail(context.services, request, params.id ?? "");

export const action = ({ request, params, context }: ActionFunctionArgs) => reviewAction(context.services, request, params.id ?? "");

export const headers: HeadersFunction = () => REVIEW_HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta({ title: data ? `Review: ${isolate(data.detail.item.title)}` : "Review", description: "A change waiting for a maintainer." }),
  { name: "robots", content: "noindex" },
];

const DONE: Record<string, string> = {
  merge: "Merged.",
  "request-changes": "Changes requested: the contributor sees your comment on their status page.",
  close: "Closed: the contributor sees it on their status page.",
};

export default function ReviewChange() {
  const { detail, maintainer, done, revisions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { item } = detail;
  const error = result && "error" in result ? result.error : undefined;
  const editFirst = item.kind === "edit";
  const files = (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">{editFirst ? "What the edit changes" : "Files"}</h2>
      <DiffList files={detail.files} />
    </section>
  );
  return (
    <article className="review-change">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/review">Review queue</Link> › {item.number !== undefined ? `#${item.number}` : item.id}
      </nav>
      <p className="q-kicker">{KIND_LABEL[item.kind]}</p>
      <h1 dir="auto">{item.title}</h1>
      <p>
        <StatusBadge status={item.status} /> <CheckBadge check={item.check} />
      </p>

      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert">
          <p>{error}</p>
        </div>
      ) : null}

      <dl className="facts">
        <dt>Sent by</dt>
        <dd>
          <bdi>{item.contributor}</bdi>
        </dd>
        <dt>Sent</dt>
        <dd>
          <When at={item.createdAt} />
        </dd>
        {item.url ? (
          <>
            <dt>On {detail.forge.name}</dt>
            <dd>
              <a href={item.url}>
                {detail.forge.changeLabel} #{item.number}
              </a>
            </dd>
          </>
        ) : null}
        {item.kind !== "pull-request" ? (
          <>
            <dt>Contributor's page</dt>
            <dd>
              <Link to={`/contributions/${encodeURIComponent(item.id)}`}>/contributions/{item.id}</Link>
            </dd>
          </>
        ) : null}
        {detail.siteUrl ? (
          <>
            <dt>On the site</dt>
            <dd>
              <Link to={detail.siteUrl}>{detail.siteUrl}</Link>
            </dd>
          </>
        ) : null}
      </dl>

      {detail.note ? (
        <section aria-labelledby="note-heading">
          <h2 id="note-heading">Note to reviewers</h2>
          <blockquote className="review-note" dir="auto">
            <p>{detail.note}</p>
          </blockquote>
        </section>
      ) : null}

      {detail.open ? (
        <p className="skip-to-decide">
          <a href="#decide">Decide: request changes, close or merge ↓</a>
        </p>
      ) : null}

      {detail.renumbering.map((r) => (
        <p key={r.path} className="notice">
          Question number {r.from} was taken meanwhile: merging renumbers this question to <strong>{r.to}</strong>
          {detail.forge.renumbering}.
        </p>
      ))}

      {/* An edit is read by what it changes: its diff first, then the check and the page it makes. */}
      {editFirst ? files : null}

      <section aria-labelledby="check-heading">
        <h2 id="check-heading">Content check</h2>
        {detail.checkRuns.length > 0 ? (
          <ul>
            {detail.checkRuns.map((r) => (
              <li key={r.name}>
                {r.url ? <a href={r.url}>{r.name}</a> : r.name}: {r.status === "completed" ? (r.conclusion ?? "done") : r.status}
              </li>
            ))}
          </ul>
        ) : null}
        <FindingsList findings={detail.findings} />
      </section>

      <SimilarList similar={detail.similar} />

      {detail.preview ? (
        <PreviewPanel preview={detail.preview} />
      ) : (
        <p className="notice">This change cannot be shown as a page (see the content check above).</p>
      )}
      {editFirst ? null : files}

      {detail.open ? (
        <ReviewActions
          csrf={maintainer.csrf}
          mergeBlocked={detail.mergeBlocked}
          actingAs={detail.actingAs}
          actingNote={detail.forge.actingNote}
          mergeHint={detail.forge.mergeHint}
          result={result && "error" in result ? (result as { intent: string | null; comment?: string; error: string; field?: string | null }) : undefined}
        />
      ) : null}

      {revisions.length > 0 ? (
        <section aria-labelledby="revisions-heading">
          <h2 id="revisions-heading">Revised by the contributor</h2>
          {revisions.map((r) => (
            <section key={r.version} aria-label={`Version ${r.version}`}>
              <h3>
                Version {r.version}, <When at={r.createdAt} />: what changed since version {r.previous}
              </h3>
              <DiffList files={r.diffs} />
            </section>
          ))}
        </section>
      ) : null}

      {detail.events.length > 0 ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ol className="timeline">
            {detail.events.map((e) => (
              <li key={e.id}>
                <When at={e.at} /> — <span dir="auto">{e.detail}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}
