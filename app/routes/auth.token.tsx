import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SignInOptions } from "~/components/review/review-parts";
import reviewCss from "~/components/review/review.css?url";
import { AUTH_HEADERS, tokenPage, tokenSignIn } from "~/modules/auth/web.server";
import { pageMeta } from "~/modules/seo/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewCss }];

export const loader = ({ request, context }: LoaderFunctionArgs) => tokenPage(context.services, request, context);

export const action = ({ request, context }: ActionFunctionArgs) => tokenSignIn(context.services, request, context);

export const headers: HeadersFunction = () => AUTH_HEADERS;

export const meta: MetaFunction = () => [
  ...pageMeta({ title: "Maintainer sign-in", description: "Sign in to review proposals." }),
  { name: "robots", content: "noindex" },
];

export default function TokenSignIn() {
  const { methods, returnTo, signedInAs, error: loadError, linkToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = (result && "error" in result ? result.error : undefined) ?? loadError;
  if (linkToken && !result) {
    // The one-time link: signing in takes this button, so a link preview cannot use the link up.
    return (
      <section className="sign-in">
        <h1>Maintainer sign-in</h1>
        <p className="lead">This one-time link signs you in as maintainer. It works once: press the button to use it.</p>
        <form method="post" action="/auth/token" className="token-form">
          <input type="hidden" name="token" value={linkToken} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <NameField />
          <button type="submit">Sign in as maintainer</button>
        </form>
      </section>
    );
  }
  return (
    <section className="sign-in">
      <h1>Maintainer sign-in</h1>
      {signedInAs ? (
        <p className="notice">
          You are signed in. <Link to="/review">Open the review queue</Link>.
        </p>
      ) : null}
      <p className="lead">
        Paste the maintainer token: the value of <code>MAINTAINER_TOKEN</code>, or the token of the one-time sign-in link the
        server printed on its console when it started.
      </p>
      {error ? (
        <div className="error-summary" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <Form method="post" className="token-form">
        <input type="hidden" name="returnTo" value={returnTo} />
        <div className="field">
          <label htmlFor="field-token">Maintainer token</label>
          <input id="field-token" name="token" type="password" autoComplete="current-password" required />
        </div>
        <NameField value={result && "name" in result ? result.name : undefined} />
        <button type="submit">Sign in</button>
      </Form>
      {methods.github ? (
        <>
          <p>Or:</p>
          <SignInOptions signIn={{ github: true, token: false }} returnTo={returnTo} />
        </>
      ) : null}
    </section>
  );
}

/** Optional: who the contributors' status pages and the review history name as having merged, asked or closed. */
function NameField({ value }: { value?: string }) {
  return (
    <div className="field">
      <label htmlFor="field-name">Your name (optional)</label>
      <input id="field-name" name="name" type="text" autoComplete="name" maxLength={60} defaultValue={value} aria-describedby="field-name-hint" dir="auto" />
      <p className="field-hint" id="field-name-hint">
        Shown to contributors as who merged, asked for changes or closed their proposal. Without it: “a maintainer”.
      </p>
    </div>
  );
}
