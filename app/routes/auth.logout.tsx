import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { AUTH_HEADERS, logout } from "~/modules/auth/web.server";
import { reviewViewer } from "~/modules/review/web.server";
import { pageMeta } from "~/modules/seo/meta";

/** GET: a confirmation button (signing out is a POST with the CSRF token). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const v = await reviewViewer(context.services, request);
  return json({ signedIn: v.signedIn, login: v.login, csrf: v.csrf }, { headers: AUTH_HEADERS });
}

export const action = ({ request, context }: ActionFunctionArgs) => logout(context.services, request);

export const headers: HeadersFunction = () => AUTH_HEADERS;

export const meta: MetaFunction = () => [...pageMeta({ title: "Sign out", description: "Sign out." }), { name: "robots", content: "noindex" }];

export default function Logout() {
  const { signedIn, login, csrf } = useLoaderData<typeof loader>();
  if (!signedIn) return <p className="notice">You are not signed in.</p>;
  return (
    <section>
      <h1>Sign out</h1>
      <p>You are signed in as <bdi>{login}</bdi>.</p>
      <Form method="post">
        <input type="hidden" name="csrf" value={csrf ?? ""} />
        <button type="submit">Sign out</button>
      </Form>
    </section>
  );
}
