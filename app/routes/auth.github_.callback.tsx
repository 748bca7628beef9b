import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AUTH_HEADERS, githubCallback } from "~/modules/auth/web.server";
import { pageMeta } from "~/modules/seo/meta";

/** GET /auth/github/callback: GitHub sends the browser back here; success redirects to the review queue. */
export const loader = ({ request, context }: LoaderFunctionArgs) => githubCallback(context.services, request);

export const headers: HeadersFunction = () => AUTH_HEADERS;

export const meta: MetaFunction = () => [...pageMeta({ title: "Sign-in failed", description: "GitHub sign-in." }), { name: "robots", content: "noindex" }];

export default function GitHubCallback() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="error-page">
      <h1>The sign-in did not work</h1>
      <p role="alert">{data.error}</p>
      <p>
        <a className="button" href="/auth/github">
          Try again
        </a>{" "}
        <Link to="/">Back to the questions</Link>
      </p>
    </section>
  );
}
