import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { ForbiddenPanel, isForbiddenData } from "~/components/review/review-parts";
import reviewCss from "~/components/review/review.css?url";
import { REVIEW_HEADERS, reviewViewer } from "~/modules/review/web.server";
import { pageMeta } from "~/modules/seo/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await reviewViewer(context.services, request), { headers: REVIEW_HEADERS });
}

export const headers: HeadersFunction = () => REVIEW_HEADERS;

/** The queue's pages give their own meta; this one titles the error states this layout's boundary renders. */
export const meta: MetaFunction = ({ error }) => {
  if (!error) return pageMeta({ title: "Review", description: "The maintainers' review queue." });
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 403 ? "Maintainers only" : status === 404 ? "Not in the review queue" : `Error ${status}`;
  return [...pageMeta({ title, description: "The maintainers' review queue." }), { name: "robots", content: "noindex" }];
};

export default function ReviewLayout() {
  const viewer = useLoaderData<typeof loader>();
  return (
    <div className="review">
      {viewer.signedIn ? (
        <div className="review-bar">
          <span>
            <Link to="/review">Review queue</Link>
          </span>
          {/* A div, not a span: a form may not sit in phrasing content. */}
          <div>
            Signed in as <strong><bdi>{viewer.login}</bdi></strong> ·{" "}
            <Form method="post" action="/auth/logout">
              <input type="hidden" name="csrf" value={viewer.csrf ?? ""} />
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      ) : null}
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403 && isForbiddenData(error.data)) {
    return <ForbiddenPanel data={error.data} />;
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : undefined;
  return (
    <section className="error-page">
      <h1>{status === 404 ? "Not in the review queue" : status === 502 ? "GitHub did not answer" : "Something went wrong"}</h1>
      <p>{message ?? "The page could not be shown. Please try again in a moment."}</p>
      <p>
        <Link to="/review">Back to the review queue</Link>
      </p>
    </section>
  );
}
