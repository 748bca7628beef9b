import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ListPager, pagingLinks, SortForm } from "~/components/list-pager";
import { QuestionList } from "~/components/question-list";
import { listPage, listParams, tagCounts } from "~/modules/content/index.server";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  const params = new URL(request.url).searchParams;
  const tag = params.get("tag") ?? undefined;
  const tags = tagCounts(content);
  const active = tag ? tags.find((t) => t.id === tag) : undefined;
  if (tag && !active) throw new Response(`There is no tag "${tag}".`, { status: 404 });
  const { questions, ...paging } = listPage(content, { ...listParams(params), tag: active?.id });
  return json(
    { questions, paging, tags, active: active ?? null, total: content.questions.length },
    { headers: { "Cache-Control": HTML_CACHE_CONTROL } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta({
    title: data?.active ? `${data.active.label} questions` : undefined,
    description: `${data?.total ?? ""} questions to check yourself on Django: the ORM, migrations, security, deployment, Celery and more, with community answers.`,
  }),
  ...pagingLinks(data?.active ? `/?tag=${data.active.id}` : "/", data?.paging),
];

export default function Index() {
  const { questions, paging, tags, active, total } = useLoaderData<typeof loader>();
  const base = active ? `/?tag=${active.id}` : "/";
  return (
    <>
      <section className="intro">
        <h1>{active ? `${active.label}` : "Django self-check questions"}</h1>
        <p className="lead">
          {active
            ? active.description
            : "Questions to ponder on, to measure your Django competence by checking yourself with each one — and the community's answers."}
        </p>
      </section>
      <nav aria-label="Filter by tag" className="tag-filter">
        <ul className="tag-list">
          <li>
            <Link className="tag" to="/" aria-current={active ? undefined : "page"}>
              All <span className="count">{total}</span>
            </Link>
          </li>
          {tags
            .filter((t) => t.count > 0)
            .map((t) => (
              <li key={t.id}>
                <Link className="tag" to={`/?tag=${t.id}`} aria-current={active?.id === t.id ? "page" : undefined}>
                  {t.label} <span className="count">{t.count}</span>
                </Link>
              </li>
            ))}
        </ul>
      </nav>
      <div className="list-controls">
        <p className="result-count" aria-live="polite">
          {paging.total === 1 ? "1 question" : `${paging.total} questions`}
          {paging.pages > 1 ? ` · page ${paging.page} of ${paging.pages}` : ""}
        </p>
        <SortForm action="/" sort={paging.sort} hidden={active ? { tag: active.id } : {}} />
      </div>
      <QuestionList questions={questions} />
      <ListPager base={base} paging={paging} />
    </>
  );
}
