import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { CSP_NONCE_PLACEHOLDER } from "~/modules/security/csp";
import { ThemeToggle, themeScript } from "~/components/theme";
import { pageShipsScripts } from "~/modules/page/scripts";
import { SOCIAL_CARD, SITE_DESCRIPTION, pageMeta } from "~/modules/seo/meta";
import { publicOrigin } from "~/modules/seo/origin.server";
// One stylesheet: app.css imports the highlighting theme and the Markdown styles.
import appCss from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "alternate", type: "application/atom+xml", title: "Django Questions", href: "/feed.xml" },
];

/** The site's public origin, for the absolute URLs social cards need. */
export function loader({ request }: LoaderFunctionArgs) {
  return { origin: publicOrigin(request) };
}

// The origin never changes while the page is open.
export const shouldRevalidate = () => false;

/**
 * Routes give their own meta; this one serves the error pages (Remix renders
 * the root ErrorBoundary with the root's meta) and any route without meta.
 */
export const meta: MetaFunction<typeof loader> = ({ error }) => {
  if (!error) return pageMeta({ description: SITE_DESCRIPTION });
  if (isRouteErrorResponse(error) && error.status === 404) {
    return [
      ...pageMeta({
        title: "Page not found",
        description: "There is no page at this address. Browse all questions or search them instead.",
      }),
      { name: "robots", content: "noindex" },
    ];
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return [
    ...pageMeta({ title: `Error ${status}`, description: "The page could not be shown. Please try again in a moment." }),
    { name: "robots", content: "noindex" },
  ];
};

const nav = [
  { to: "/", label: "Questions", end: true },
  { to: "/search", label: "Search" },
  { to: "/practice", label: "Practice" },
  { to: "/contribute/question", label: "Contribute" },
  { to: "/about", label: "About" },
];

export function Layout({ children }: { children: ReactNode }) {
  const origin = useRouteLoaderData<typeof loader>("root")?.origin;
  // Only pages that ask for it hydrate (app/modules/page/scripts.ts). In the
  // browser the scripts are already running: keep them through navigations.
  const scripts = pageShipsScripts(useMatches().map((m) => m.handle)) || typeof document !== "undefined";
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <script nonce={CSP_NONCE_PLACEHOLDER} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeScript }} />
        <Meta />
        {origin ? (
          // The same social card for every page (Open Graph needs an absolute URL).
          <>
            <meta property="og:image" content={origin + SOCIAL_CARD.path} />
            <meta property="og:image:type" content="image/png" />
            <meta property="og:image:width" content={String(SOCIAL_CARD.width)} />
            <meta property="og:image:height" content={String(SOCIAL_CARD.height)} />
            <meta property="og:image:alt" content={SOCIAL_CARD.alt} />
            <meta name="twitter:image" content={origin + SOCIAL_CARD.path} />
            <meta name="twitter:image:alt" content={SOCIAL_CARD.alt} />
          </>
        ) : null}
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container header-inner">
            <Link to="/" className="brand">
              <span aria-hidden="true" className="brand-mark">
                ?
              </span>{" "}
              Django Questions
            </Link>
            <nav aria-label="Main">
              <ul className="nav-list">
                {nav.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end} prefetch="intent">
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <ThemeToggle />
          </div>
        </header>
        <main id="main" className="container" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              A community wiki of Django self-check questions. The seed questions are by Şuayip Üzülmez, under
              the BSD 3-Clause licence — see <Link to="/about">About</Link>. <a href="/feed.xml">Atom feed</a>.
            </p>
          </div>
        </footer>
        {scripts ? (
          <>
            <ScrollRestoration nonce={CSP_NONCE_PLACEHOLDER} />
            <Scripts nonce={CSP_NONCE_PLACEHOLDER} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page">
        <h1>Page not found</h1>
        <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <p>
          <Link to="/">Browse all questions</Link> or <Link to="/search">search</Link>.
        </p>
      </section>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : undefined;
  return (
    <section className="error-page">
      <h1>{status === 500 ? "Something went wrong" : `Error ${status}`}</h1>
      <p>{message ?? "The page could not be shown. Please try again in a moment."}</p>
      <p>
        <Link to="/">Back to the questions</Link>
      </p>
    </section>
  );
}
