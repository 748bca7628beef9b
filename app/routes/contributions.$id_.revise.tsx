import { json, redirectDocument, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProposalForm } from "~/components/proposal-form";
import { isolate } from "~/modules/bidi/isolate";
import { handleRevisePost, revisePage, revisionStoreFor } from "~/modules/contributions/revise-web.server";
import type { PageHandle } from "~/modules/page/scripts";
import { pageMeta } from "~/modules/seo/meta";

/** The live preview while typing; the page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

/**
 * GET /contributions/<id>/revise?key=<revise link secret>: the proposal's form, prefilled with its
 * current version, for its contributor only (the link, or the GitHub sign-in it was sent with).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const page = await revisePage(services, revisionStoreFor(services), request, params.id ?? "");
  return json(page, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { services } = context;
  const result = await handleRevisePost(services, revisionStoreFor(services), request, context, params.id ?? "");
  // A document navigation to the status page (it ships no scripts): never a client-side one that could
  // race the route's discovery and show the catch-all page.
  if ("redirect" in result) return redirectDocument(result.redirect, 303);
  return json(result, { status: result.status });
}

/**
 * Personal (the link carries a secret): never stored by a cache, and no referrer at all to other sites (`same-origin`;
 * not `no-referrer`, which would make the form's own POST carry `Origin: null`, refused as cross-site).
 */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta({ title: data ? `Revise: ${isolate(data.proposal.title)}` : "Revise your proposal", description: "Revise a proposal after review." }),
  { name: "robots", content: "noindex" },
];

const KIND = { question: "question", answer: "answer", edit: "edit" } as const;

export default function ReviseProposal() {
  const { proposal, values, questionFields, tags, submissionKey } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="container wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/contributions/${proposal.id}`}>Your proposal</Link> › Revise
      </nav>
      <h1>
        Revise your {KIND[proposal.kind]}: <bdi>{proposal.title}</bdi>
      </h1>
      <p className="lead">
        Change what the maintainers asked for, then send the revision. It replaces version {proposal.version} of the same proposal: the
        maintainers see what changed, and it waits for their review again.
      </p>
      <ProposalForm
        kind={proposal.kind}
        questionFields={questionFields}
        tags={tags}
        initial={{ ...values, licence: "" }}
        state={state}
        submissionKey={submissionKey}
        bodyLabel={questionFields ? "The question" : "The answer"}
        bodyHint="Edit the Markdown below."
        submitLabel="Send revision"
      />
    </section>
  );
}
