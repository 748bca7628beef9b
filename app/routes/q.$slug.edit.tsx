import { json, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type HeadersFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProposalForm } from "~/components/proposal-form";
import { contributorAccount, editValues, formStateStatus, handleProposalPost, newSubmissionKey, tagOptions } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";
import type { PageHandle } from "~/modules/page/scripts";
import { isolate } from "~/modules/bidi/isolate";

/** The live preview and the content check while typing. The page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const url = new URL(request.url);
  const edit = editValues(services, params.slug ?? "", url.searchParams.get("answer"));
  return json(
    { ...edit, returnTo: url.pathname + url.search, tags: tagOptions(services), submissionKey: newSubmissionKey(), account: await contributorAccount(services, request) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const answer = new URL(request.url).searchParams.get("answer");
  const edit = editValues(context.services, params.slug ?? "", answer);
  // The form has no credit field: an edit keeps the question's credit as it is.
  const result = await handleProposalPost(context.services, request, context, { kind: "edit", path: edit.values.path, credit: edit.values.credit ?? "" });
  // The status page is loaded as a document (it ships no bundle; its inline script remembers it in the
  // browser's list), not rendered by the form's React: under load that client-side navigation at times
  // matched the catch-all route instead and left the page blank.
  if ("redirect" in result) return redirectDocument(result.redirect, 303);
  return json(result, { status: formStateStatus(result) });
}

/** The form carries a per-visitor submissionKey: never stored by a shared cache (two visitors would share one key). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `Suggest an edit: ${isolate(data.question.title)}` : "Suggest an edit", description: "Suggest an edit of a question or an answer." });

export default function SuggestEdit() {
  const { question, values, target, tags, submissionKey, account, returnTo } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const initial: Record<string, string | string[]> = { kind: "edit", path: values.path, body: values.body };
  if (values.title !== undefined) initial.title = values.title;
  if (values.tags !== undefined) initial.tags = values.tags;
  return (
    <section className="container wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/q/${question.slug}`}>Question {question.number}</Link> › Suggest an edit
      </nav>
      <h1>Suggest an edit {target === "answer" ? "of an answer" : "of the question"}</h1>
      <p className="lead">
        This is a wiki: improve the wording, fix a mistake, update for a newer Django. Your edit changes this one file
        and is reviewed before it appears.
      </p>
      <ProposalForm
        kind="edit"
        questionFields={target === "question"}
        tags={tags}
        initial={initial}
        state={state}
        submissionKey={submissionKey}
        account={account}
        returnTo={returnTo}
        bodyLabel={target === "question" ? "The question" : "The answer"}
        bodyHint="Edit the Markdown below."
        submitLabel="Send edit"
      />
    </section>
  );
}
