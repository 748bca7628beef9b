import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type HeadersFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DiffList } from "~/components/review/review-parts";
import { ReviseSection } from "~/components/revise-section";
import { reviseSection } from "~/modules/contributions/revise-web.server";
import { proposalStatus, retryFailedProposal } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";
import { isolate } from "~/modules/bidi/isolate";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const status = await proposalStatus(context.services, params.id ?? "");
  // The revise link right after sending (once), and how to revise.
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

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `Proposal: ${isolate(data.proposal.title)}` : "Proposal", description: "The status of a proposal to Django Questions." });

const STATUS_TEXT: Record<string, { label: string; explain: string }> = {
  queued: { label: "Queued", explain: "Your proposal is saved. It is being delivered to the maintainers' review queue; this page updates when it is." },
  opened: { label: "Open for review", explain: "The maintainers can see your proposal and will review it." },
  changes_requested: { label: "Changes requested", explain: "A maintainer asked for changes: see their comment below." },
  merged: { label: "Merged", explain: "Your proposal is part of the wiki now. Thank you!" },
  closed: { label: "Closed", explain: "A maintainer closed this proposal without merging it: see the comment below." },
  failed: { label: "Failed", explain: "Your proposal is saved, but it could not be delivered. Nothing is lost: it can be sent again." },
};

const KIND_TEXT = { question: "New question", answer: "New answer", edit: "Edit" } as const;

export default function ProposalStatusPage() {
  const { proposal, events, changeLabel, diffs, revise } = useLoaderData<typeof loader>();
  const status = STATUS_TEXT[proposal.status] ?? { label: proposal.status, explain: "" };
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
      {proposal.status === "failed" && proposal.lastError ? (
        <div className="error-summary">
          <p>
            <strong>Why:</strong> {proposal.lastError}
          </p>
          <Form method="post">
            <button type="submit">Try again</button>
          </Form>
        </div>
      ) : null}
      {proposal.status === "queued" && proposal.lastError ? (
        <p className="notice">
          Last attempt: {proposal.lastError}
          {proposal.nextAttemptAt ? ` — next attempt at ${new Date(proposal.nextAttemptAt).toUTCString()}.` : ""}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Sent by</dt>
        <dd>
          {proposal.contributor.name}
          {proposal.contributor.github ? ` (@${proposal.contributor.github})` : ""}
        </dd>
        <dt>Sent</dt>
        <dd>
          <time dateTime={proposal.createdAt}>{new Date(proposal.createdAt).toUTCString()}</time>
        </dd>
        <dt>{changeLabel}</dt>
        <dd>
          {proposal.prUrl ? (
            proposal.prUrl.startsWith("/") ? (
              <Link to={proposal.prUrl}>#{proposal.prNumber} in the local review queue</Link>
            ) : (
              <a href={proposal.prUrl}>
                Pull request #{proposal.prNumber}
              </a>
            )
          ) : (
            "not opened yet"
          )}
        </dd>
        {proposal.status === "merged" && proposal.kind !== "edit" ? (
          <>
            <dt>On the site</dt>
            <dd>
              <Link to={`/q/${proposal.slug}`}>/q/{proposal.slug}</Link>
            </dd>
          </>
        ) : null}
      </dl>

      <ReviseSection
        {...revise}
        changesRequested={proposal.status === "changes_requested"}
        decided={proposal.status === "merged" || proposal.status === "closed"}
      />

      <h2>What was sent</h2>
      <DiffList files={diffs} />

      <h2>History</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{new Date(e.at).toUTCString()}</time> — {e.detail}
          </li>
        ))}
      </ol>
    </section>
  );
}
