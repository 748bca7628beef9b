import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckBadge, KIND_LABEL, StatusBadge } from "~/components/review/review-parts";
import { ScrollBox } from "~/components/scroll-box";
import { REVIEW_HEADERS, loadQueue } from "~/modules/review/web.server";
import { pageMeta } from "~/modules/seo/meta";

export const loader = ({ request, context }: LoaderFunctionArgs) => loadQueue(context.services, request);

export const headers: HeadersFunction = () => REVIEW_HEADERS;

export const meta: MetaFunction = () => [
  ...pageMeta({ title: "Review queue", description: "Proposals waiting for a maintainer." }),
  { name: "robots", content: "noindex" },
];

function age(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export default function ReviewQueue() {
  const { items, queueText, error, now } = useLoaderData<typeof loader>();
  return (
    <section className="review-queue">
      <h1>Review queue</h1>
      <p className="lead">
        {items.length === 0
          ? "Nothing is waiting for review."
          : `${items.length} change${items.length === 1 ? "" : "s"} waiting for review, newest first.`}{" "}
        {queueText}
      </p>
      {error ? (
        <p className="error-summary" role="alert">
          {error}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ScrollBox label="Changes waiting for review">
        <table className="data queue">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Contributor</th>
              <th scope="col">Sent</th>
              <th scope="col">Content check</th>
              <th scope="col">Possible duplicates</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-id={item.id}>
                <td>
                  <span className="q-kicker">
                    {KIND_LABEL[item.kind]}
                    {item.number !== undefined ? ` · #${item.number}` : ""}
                  </span>
                  <br />
                  <Link to={`/review/${encodeURIComponent(item.id)}`}>
                    <bdi>{item.title}</bdi>
                  </Link>{" "}
                  {item.status === "changes_requested" ? <StatusBadge status={item.status} /> : null}
                </td>
                <td>
                  <bdi>{item.contributor}</bdi>
                </td>
                <td>
                  <time dateTime={item.createdAt}>{age(item.createdAt, now)}</time>
                </td>
                <td>
                  <CheckBadge check={item.check} />
                </td>
                <td>
                  {item.duplicates.length === 0 ? (
                    "none"
                  ) : (
                    <ul className="queue-duplicates">
                      {item.duplicates.map((d) => (
                        <li key={d.slug}>
                          <Link to={`/q/${d.slug}`}>
                            {d.number}. <bdi>{d.title}</bdi>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </ScrollBox>
      ) : null}
    </section>
  );
}
