import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { QuestionList } from "~/components/question-list";
import { listQuestions, tagCounts } from "~/modules/content/index.server";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  const tag = tagCounts(content).find((t) => t.id === params.tag);
  if (!tag) throw new Response(`There is no tag "${params.tag}".`, { status: 404 });
  return json(
    { tag, questions: listQuestions(content, tag.id) },
    { headers: { "Cache-Control": HTML_CACHE_CONTROL } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `Questions tagged ${data.tag.label}` : "Tag",
    description:
      data?.tag.description ||
      (data ? `${data.questions.length} Django self-check questions about ${data.tag.label}.` : "Django self-check questions by topic."),
  });

export default function TagPage() {
  const { tag, questions } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">All questions</Link> › Tag
      </nav>
      <h1>
        Questions tagged <span className="tag-name">{tag.label}</span>
      </h1>
      <p className="lead">{tag.description}</p>
      <p className="result-count">{questions.length === 1 ? "1 question" : `${questions.length} questions`}</p>
      <QuestionList questions={questions} />
    </>
  );
}
