import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { searchQuestions } from "~/modules/search";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";
import type { PageHandle } from "~/modules/page/scripts";
import { isolate } from "~/modules/bidi/isolate";

/** Live results while typing. The page works without JavaScript too. */
export const handle: PageHandle = { scripts: true };

const MAX_QUERY = 5_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY * 2);
  const response = q.trim() ? searchQuestions(content.search, q, { limit: 50 }) : null;
  // After a first start on a large folder the bodies are still being indexed (decisions/034).
  const indexing = !context.services.store.checked;
  return json({ q, response, indexing }, { headers: { "Cache-Control": HTML_CACHE_CONTROL } });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data?.q ? `Search: ${isolate(data.q.slice(0, 60))}` : "Search",
    description: "Full-text search over the questions, their answers and tags.",
  });

export default function Search() {
  const { q, response, indexing } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const input = useRef<HTMLInputElement>(null);
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";

  // Another search (back button, a link) shows its query — but never overwrite what the reader is typing:
  // a slower answer for "cel" must not put "cel" back after "celery" was typed.
  useEffect(() => {
    // Follow the address (back/forward, a link), but never overwrite what the reader is still typing: a slow
    // response for "ce" must not reset "celery" typed meanwhile.
    const el = input.current;
    if (el && el.value !== q && document.activeElement !== el) el.value = q;
  }, [q]);

  return (
    <section className="search-page">
      <h1>Search</h1>
      <Form method="get" action="/search" role="search" className="search-form">
        <label htmlFor="search-q">Search questions and answers</label>
        <div className="search-row">
          <input
            ref={input}
            id="search-q"
            type="search"
            name="q"
            defaultValue={q}
            maxLength={MAX_QUERY}
            autoComplete="off"
            placeholder="e.g. select_related, CSRF, migrations"
            onChange={(event) => {
              const form = event.currentTarget.form;
              clearTimeout(timer.current);
              timer.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), 150);
            }}
          />
          <button type="submit">Search</button>
        </div>
        <p className="hint">
          Tips: <code>title:csrf</code> searches titles only, <code>migrat*</code> matches word starts,{" "}
          <code>+celery -beat</code> requires and excludes terms. A number such as <code>42</code> finds question 42.
        </p>
      </Form>
      <div aria-live="polite" aria-busy={searching} className="search-results">
        {indexing ? (
          <p className="search-message search-indexing">
            The questions’ and answers’ text is still being indexed after a restart: for a few more seconds, search finds
            titles and tags only.
          </p>
        ) : null}
        {response?.message ? <p className="search-message">{response.message}</p> : null}
        {response ? (
          <p className="result-count">
            {response.total === 1 ? "1 result" : `${response.total} results`}
            {q ? (
              <>
                {" "}
                for “<bdi className="query">{q.length > 80 ? `${q.slice(0, 80)}…` : q}</bdi>”
              </>
            ) : null}
          </p>
        ) : null}
        {response && response.results.length > 0 ? (
          <ol className="result-list">
            {response.results.map((r) => (
              <li key={r.slug} className="result">
                <h2 className="q-title">
                  <Link to={`/q/${r.slug}`}>
                    <span className="q-number-inline">{r.number}.</span>{" "}
                    <bdi dangerouslySetInnerHTML={{ __html: r.titleHtml }} />
                  </Link>
                </h2>
                {r.snippetHtml ? <p className="snippet" dir="auto" dangerouslySetInnerHTML={{ __html: r.snippetHtml }} /> : null}
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}
