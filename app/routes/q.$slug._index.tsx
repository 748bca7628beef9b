import { json, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AnswerView, QuestionView } from "~/components/question-view";
import { findQuestion, questionPage } from "~/modules/content/index.server";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";
import { publicOrigin } from "~/modules/seo/origin.server";
import { isolate } from "~/modules/bidi/isolate";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  const found = findQuestion(content, params.slug ?? "");
  if (found.kind === "redirect") throw redirect(`/q/${found.slug}`, 301);
  if (found.kind === "missing") throw new Response("No such question", { status: 404 });
  return json(
    { ...questionPage(content, found.question), origin: publicOrigin(request) },
    { headers: { "Cache-Control": HTML_CACHE_CONTROL } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: `${data.question.number}. ${isolate(data.question.title)}`,
        description: data.question.description || `Question ${data.question.number} of Django Questions: ${data.question.title}`,
        url: `${data.origin}/q/${data.question.slug}`,
        type: "article",
      })
    : pageMeta({ title: "Question not found", description: "There is no question at this address." });

export default function QuestionRoute() {
  const { question, tags, answers, prev, next } = useLoaderData<typeof loader>();
  return (
    <article className="question-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">All questions</Link> › Question {question.number}
      </nav>
      <QuestionView question={question} tags={tags} />

      <section aria-labelledby="answers-heading" className="answers">
        <h2 id="answers-heading">{answers.length === 1 ? "1 answer" : `${answers.length} answers`}</h2>
        {answers.length === 0 ? <p>No answer yet. Be the first to write one.</p> : null}
        {answers.map((a) => (
          <AnswerView key={a.id} answer={a} questionSlug={question.slug} />
        ))}
        <p>
          <Link className="button" to={`/q/${question.slug}/answer`}>
            Write an answer
          </Link>
        </p>
      </section>

      <nav aria-label="Other questions" className="pager">
        {prev ? (
          <Link rel="prev" to={`/q/${prev.slug}`} prefetch="intent">
            ← {prev.number}. <bdi>{prev.title}</bdi>
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link rel="next" to={`/q/${next.slug}`} prefetch="intent">
            {next.number}. <bdi>{next.title}</bdi> →
          </Link>
        ) : null}
      </nav>
    </article>
  );
}
