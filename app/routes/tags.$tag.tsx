import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ListPager, pagingLinks, SortForm } from "~/components/list-pager";
import { QuestionList } from "~/components/question-list";
import { listPage, listParams, tagCounts } from "~/modules/content/index.server";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  const tag = tagCounts(content).find((t) => t.id === params.tag);
  if (!tag) throw new Response(`There is no tag "${params.tag}".`, { status: 404 });
  const { questions, ...paging } = listPage(content, { ...listParams(new URL(request.url).searchParams), tag: tag.id });
  return json(
    { tag, questions, paging },
    { headers: { "Cache-Control": HTML_CACHE_CONTROL } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta({
    title: data ? `Questions tagged ${data.tag.label}` : "Tag",
    description:
      data?.tag.description ||
      (data ? `${data.paging.total} Django self-check questions about ${data.tag.label}.` : "Django self-check questions by topic."),
  }),
  ...pagingLinks(data ? `/tags/${data.tag.id}` : "/", data?.paging),
];

export default function TagPage() {
  const { tag, questions, paging } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">All questions</Link> › Tag
      </nav>
      <h1>
        Questions tagged <span className="tag-name">{tag.label}</span>
      </h1>
      <p className="lead">{tag.description}</p>
      <div className="list-controls">
        <p className="result-count">
          {paging.total === 1 ? "1 question" : `${paging.total} questions`}
          {paging.pages > 1 ? ` · page ${paging.page} of ${paging.pages}` : ""}
        </p>
        <SortForm action={`/tags/${tag.id}`} sort={paging.sort} />
      </div>
      <QuestionList questions={questions} />
      <ListPager base={`/tags/${tag.id}`} paging={paging} />
    </>
  );
}
