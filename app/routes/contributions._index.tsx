import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { YourProposalsList } from "~/components/your-proposals";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";

export const headers: HeadersFunction = () => ({ "Cache-Control": HTML_CACHE_CONTROL });

export const meta: MetaFunction = () => [
  ...pageMeta({ title: "Your proposals", description: "The proposals this browser has sent to Django Questions." }),
  { name: "robots", content: "noindex" },
];

/** The same page for everyone: the list itself lives in the browser (see ~/components/your-proposals). */
export default function YourProposals() {
  return (
    <section className="your-proposals">
      <h1>Your proposals</h1>
      <YourProposalsList />
      <p>
        <Link to="/contribute/question">Propose a question</Link>, or answer or improve one from its page.
      </p>
    </section>
  );
}
