import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type HeadersFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PreviewPanel } from "~/components/proposal-form";
import { DiffList, When } from "~/components/review/review-parts";
import { ReviseSection } from "~/components/revise-section";
import { reviseSection } from "~/modules/contributions/revise-web.server";
import { statusText } from "~/modules/contributions/status-timeline";
import { proposalStatus, retryFailedProposal } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";
import { isolate } from "~/modules/bidi/isolate";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const status = await proposalStatus(context.services, params.id ?? "");
  // The revise link right after sending (once), and how to revise; the browser's list of its proposals.
  const revise = await reviseSection(context.services, request, status.proposal);
  return json({ ...status, revise: revise.section }, { headers: { "Cache-Control": "private, no-store", ...revise.headers } });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  await retryFailedProposal(context.services, request, params.id ?? "");
  return json({ retried: true });
}

/** A proposal's status page: personal (it is reached by its unguessable link), never stored by any cache. */
export const headers: HeadersFunction = ({ loaderHeaders }) => ({
  "Cache-Control": "private, no-store",
  ...(loaderHeaders.get("Set-Cookie") ? { "Set-Cookie": loaderHeaders.get("Set-Cookie")! } : {}),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta({ title: data ? `Proposal: ${isolate(data.proposal.title)}` : "Proposal", description: "The status of a proposal to Django Questions." }),
  // Personal: reached by its unguessable link only.
  { name: "robots", content: "noindex" },
];

const KIND_TEXT = { question: "New question", answer: "New answer", edit: "Edit" } as const;

export default function ProposalStatusPage() {
  const { proposal, events, changeLabel, diffs, timeline, preview, revise } = useLoaderData<typeof loader>();
  const status = statusText(proposal.status);
  const onForge = proposal.prUrl && !proposal.prUrl.startsWith("/") ? proposal.prUrl : undefined;
  return (
    <section className="proposal-status">
      <p className="q-kicker">{KIND_TEXT[proposal.kind]}</p>
      <h1 dir="auto">{proposal.title}</h1>
      <p>
        <span className={`status status-${proposal.status}`} data-status={proposal.status}>
          {status.label}
        </span>
      </p>
      <p className="lead">{status.explain}</p>


      {proposal.status === "failed" ? (
        <div className="error-summary">
          <p>It will not be sent again by itself: press the button to try again.</p>
          <Form method="post">
            <button type="submit">Try again</button>
          </Form>
        </div>
      ) : null}

      <ReviseSection
        {...revise}
        changesRequested={proposal.status === "changes_requested"}
        decided={proposal.status === "merged" || proposal.status === "closed"}
      />

      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <ol className="timeline steps">
          {timeline.map((step, i) => (
            <li key={i} data-step={step.kind} className={step.kind === "next" ? "upcoming" : undefined}>
              <p className="step-head">
                <strong>{step.label}</strong>
                {step.at ? (
                  <>
                    {" · "}
                    <When at={step.at} />
                  </>
                ) : null}
              </p>
              <p dir="auto">{step.text}</p>
              {step.commentHtml ? <div className="prose step-comment" dir="auto" dangerouslySetInnerHTML={{ __html: step.commentHtml }} /> : null}
            </li>
          ))}
        </ol>
      </section>

      <dl className="facts">
        <dt>Sent by</dt>
        <dd>
          <bdi>{proposal.contributor.name}</bdi>
          {proposal.contributor.github ? (
            <>
              {" "}
              (@<bdi>{proposal.contributor.github}</bdi>)
            </>
          ) : null}
        </dd>
        <dt>Sent</dt>
        <dd>
          <When at={proposal.createdAt} />
        </dd>
        {onForge ? (
          <>
            <dt>Discussion</dt>
            <dd>
              <a href={onForge}>
                {changeLabel} #{proposal.prNumber}
              </a>
            </dd>
          </>
        ) : null}
        {proposal.status === "merged" ? (
          <>
            <dt>On the site</dt>
            <dd>
              <Link to={`/q/${proposal.slug}`}>Read it on the site</Link>
            </dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="sent-heading">
        <h2 id="sent-heading">What you sent</h2>
        {preview ? <PreviewPanel preview={preview} /> : <p className="notice">This proposal cannot be shown as a page.</p>}
        <details className="diff-toggle">
          <summary>Show the changes line by line</summary>
          <DiffList files={diffs} />
        </details>
      </section>

      <details className="technical-details">
        <summary>Technical details</summary>
        <dl className="facts">
          <dt>Proposal</dt>
          <dd>
            <code>{proposal.id}</code>
          </dd>
          {proposal.prUrl ? (
            <>
              <dt>{changeLabel}</dt>
              <dd>{proposal.prUrl.startsWith("/") ? `#${proposal.prNumber} in the local review queue` : <a href={proposal.prUrl}>#{proposal.prNumber}</a>}</dd>
            </>
          ) : null}
          {proposal.branch ? (
            <>
              <dt>Branch</dt>
              <dd>
                <code>{proposal.branch}</code>
              </dd>
            </>
          ) : null}
          {proposal.commitSha ? (
            <>
              <dt>Commit</dt>
              <dd>
                <code>{proposal.commitSha}</code>
              </dd>
            </>
          ) : null}
          <dt>Delivery attempts</dt>
          <dd>{proposal.attempts}</dd>
          {proposal.nextAttemptAt ? (
            <>
              <dt>Next attempt</dt>
              <dd>
                <When at={proposal.nextAttemptAt} />
              </dd>
            </>
          ) : null}
          {proposal.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{proposal.lastError}</dd>
            </>
          ) : null}
        </dl>
        <h2>Every event</h2>
        <ol className="timeline events">
          {events.map((e) => (
            <li key={e.id}>
              <When at={e.at} /> — <span dir="auto">{e.detail}</span>
            </li>
          ))}
        </ol>
      </details>

      <p>
        <Link to="/contributions" reloadDocument discover="none">
          All your proposals from this browser
        </Link>
      </p>
    </section>
  );
}
