import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PracticeSession } from "~/components/practice-session";
import { practiceData } from "~/modules/content/index.server";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";
import type { PageHandle } from "~/modules/page/scripts";

/** The practice session: keyboard shortcuts, progress kept in the browser. The page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const content = context.services.store.content;
  const slug = url.searchParams.get("q") ?? undefined;
  const data = practiceData(content, {
    tags: url.searchParams.getAll("tag"),
    slug,
    skip: url.searchParams.get("skip") ?? undefined,
    random: Math.random,
  });
  // A random card must not be cached; a card chosen by URL may be.
  const cacheControl = slug ? HTML_CACHE_CONTROL : "no-store";
  return json(data, { headers: { "Cache-Control": cacheControl } });
}

export const headers = ({ loaderHeaders }: { loaderHeaders: Headers }) => loaderHeaders;

export const meta: MetaFunction = () =>
  pageMeta({
    title: "Practice",
    description: "Check yourself: one question at a time, think, reveal the answers, grade yourself. Progress stays in your browser.",
  });

export default function Practice() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="practice">
      <h1>Practice</h1>
      <p className="lead">
        Check yourself with each question, as the list's author meant it: think your answer through, then reveal the
        community's answers and grade yourself.
      </p>
      <form method="get" action="/practice" className="practice-tags">
        <fieldset>
          <legend>Topics (none chosen = all questions)</legend>
          <ul className="tag-list">
            {data.tags
              .filter((t) => t.count > 0)
              .map((t) => (
                <li key={t.id}>
                  <label className="tag tag-check">
                    <input type="checkbox" name="tag" value={t.id} defaultChecked={data.selectedTags.includes(t.id)} />{" "}
                    {t.label} <span className="count">{t.count}</span>
                  </label>
                </li>
              ))}
          </ul>
        </fieldset>
        <button type="submit" className="secondary">
          Start a round
        </button>
      </form>
      <PracticeSession
        key={data.selectedTags.join(",") + "|" + (data.card?.question.slug ?? "")}
        catalogue={data.catalogue}
        pool={data.pool}
        tags={data.tags}
        fallback={data.card}
        selectedTags={data.selectedTags}
      />
    </section>
  );
}
