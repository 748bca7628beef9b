import { json, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type HeadersFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProposalForm } from "~/components/proposal-form";
import { AnswerView, QuestionView } from "~/components/question-view";
import { questionPage } from "~/modules/content/index.server";
import { contributorAccount, formStateStatus, handleProposalPost, newSubmissionKey, questionForAnswer } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";
import type { PageHandle } from "~/modules/page/scripts";

/** The live preview and the content check while typing. The page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const question = questionForAnswer(services, params.slug ?? "");
  // The question being answered, in full (and the answers so far), above the editor.
  const content = services.store.content;
  const page = questionPage(content, content.bySlug.get(question.slug)!);
  return json(
    { question, page, submissionKey: newSubmissionKey(), account: await contributorAccount(services, request) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const question = questionForAnswer(context.services, params.slug ?? "");
  const result = await handleProposalPost(context.services, request, context, { kind: "answer", questionSlug: question.slug });
  // The status page is loaded as a document (it ships no bundle; its inline script remembers it in the
  // browser's list), not rendered by the form's React: under load that client-side navigation at times
  // matched the catch-all route instead and left the page blank.
  if ("redirect" in result) return redirectDocument(result.redirect, 303);
  return json(result, { status: formStateStatus(result) });
}

/** The form carries a per-visitor submissionKey: never stored by a shared cache (two visitors would share one key). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `Answer question ${data.question.number}` : "Answer", description: "Write an answer for the community wiki." });

export default function AnswerQuestion() {
  const { question, page, submissionKey, account } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="container wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/q/${question.slug}`}>Question {question.number}</Link> › Write an answer
      </nav>
      <h1>Write an answer to question {question.number}</h1>
      <section className="answering" aria-label="The question you are answering">
        <QuestionView question={page.question} tags={page.tags} editLink={false} headingLevel={2} />
        {page.answers.length > 0 ? (
          <details className="answers-so-far">
            <summary>{page.answers.length === 1 ? "The answer so far" : `The ${page.answers.length} answers so far`}</summary>
            {page.answers.map((a) => (
              <AnswerView key={a.id} answer={a} questionSlug={page.question.slug} editLink={false} />
            ))}
          </details>
        ) : null}
      </section>
      <ProposalForm
        kind="answer"
        questionFields={false}
        tags={[]}
        initial={{ kind: "answer", questionSlug: question.slug }}
        state={state}
        submissionKey={submissionKey}
        account={account}
        returnTo={`/q/${question.slug}/answer`}
        bodyLabel="Your answer"
        bodyHint="Answer what was asked, precisely. Link to the documentation where it helps."
      />
    </section>
  );
}
