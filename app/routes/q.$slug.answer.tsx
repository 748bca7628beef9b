import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProposalForm } from "~/components/proposal-form";
import { handleProposalPost, newSubmissionKey, questionForAnswer } from "~/modules/contributions/web.server";
import { pageMeta } from "~/modules/seo/meta";

export async function loader({ params }: LoaderFunctionArgs) {
  const question = await questionForAnswer(params.slug ?? "");
  return json({ question, submissionKey: newSubmissionKey() }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const question = await questionForAnswer(params.slug ?? "");
  const result = await handleProposalPost(request, context, { kind: "answer", questionSlug: question.slug });
  if ("redirect" in result) return redirect(result.redirect, 303);
  return json(result, { status: result.previewOnly ? 200 : 422 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `Answer question ${data.question.number}` : "Answer", description: "Write an answer for the community wiki." });

export default function AnswerQuestion() {
  const { question, submissionKey } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <section className="container wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/q/${question.slug}`}>Question {question.number}</Link> › Write an answer
      </nav>
      <h1>Answer: {question.title}</h1>
      <ProposalForm
        kind="answer"
        questionFields={false}
        tags={[]}
        initial={{ kind: "answer", questionSlug: question.slug }}
        state={state}
        submissionKey={submissionKey}
        bodyLabel="Your answer"
        bodyHint="Answer what was asked, precisely. Link to the documentation where it helps."
      />
    </section>
  );
}
