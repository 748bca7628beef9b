import { json, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type HeadersFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ProposalForm } from "~/components/proposal-form";
import { contributorAccount, formStateStatus, handleProposalPost, newSubmissionKey, tagOptions } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";
import type { PageHandle } from "~/modules/page/scripts";

/** The live preview, the content check and similar questions while typing. The page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  return json(
    { tags: tagOptions(services), submissionKey: newSubmissionKey(), account: await contributorAccount(services, request) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await handleProposalPost(context.services, request, context, { kind: "question" });
  // The status page is loaded as a document (it ships no bundle; its inline script remembers it in the
  // browser's list), not rendered by the form's React: under load that client-side navigation at times
  // matched the catch-all route instead and left the page blank.
  if ("redirect" in result) return redirectDocument(result.redirect, 303);
  return json(result, { status: formStateStatus(result) });
}

/** The form carries a per-visitor submissionKey: never stored by a shared cache (two visitors would share one key). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export const meta: MetaFunction = () =>
  pageMeta({ title: "Propose a question", description: "Propose a new Django self-check question for the community wiki." });

export default function ContributeQuestion() {
  const { tags, submissionKey, account } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="container wide">
      <h1>Propose a question</h1>
      <p className="lead">
        A good question makes a Django developer think: a scenario, a trade-off, a “why”. Your proposal is checked like
        every file of the wiki and reviewed by the maintainers before it appears.
      </p>
      <ProposalForm
        kind="question"
        questionFields
        tags={tags}
        initial={{ kind: "question" }}
        state={state}
        submissionKey={submissionKey}
        account={account}
        returnTo="/contribute/question"
        bodyLabel="The question"
        bodyHint="The full question. It should contain a question mark or open with an instruction such as Explain or Describe."
      />
    </section>
  );
}
