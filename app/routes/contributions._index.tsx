import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { When } from "~/components/when";
import { rememberedProposals } from "~/modules/contributions/mine.server";
import { statusText } from "~/modules/contributions/status-timeline";
import { pageMeta } from "~/modules/seo/meta";

/** GET /contributions: the proposals this browser sent (kept in a cookie of the browser, not by the site). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const proposals = await rememberedProposals(context.services.data, request);
  return json({ proposals }, { headers: { "Cache-Control": "private, no-store" } });
}

/** Personal: never stored by a cache. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export const meta: MetaFunction = () => [
  ...pageMeta({ title: "Your proposals", description: "The proposals sent from this browser, and how they are doing." }),
  { name: "robots", content: "noindex" },
];

const KIND = { question: "New question", answer: "Answer", edit: "Edit" } as const;

export default function YourProposals() {
  const { proposals } = useLoaderData<typeof loader>();
  return (
    <section className="container">
      <h1>Your proposals</h1>
      <p className="lead">
        The proposals sent from this browser. The list is kept by your browser only (a cookie of this site): another browser, or clearing
        cookies, does not show them — their pages stay where they are.
      </p>
      {proposals.length === 0 ? (
        <p>
          None yet. <Link to="/contribute/question">Propose a question</Link>, or write an answer or an edit from any question's page.
        </p>
      ) : (
        <ul className="your-proposals-list">
          {proposals.map((p) => (
            <li key={p.id}>
              <Link to={`/contributions/${p.id}`} dir="auto">
                {p.title}
              </Link>{" "}
              — {KIND[p.kind]}, <span data-status={p.status}>{statusText(p.status).short}</span>, sent{" "}
              <When at={p.createdAt} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
