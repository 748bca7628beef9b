import type { LinksFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { CSP_NONCE_PLACEHOLDER } from "~/modules/security/csp";
import { ThemeToggle, themeScript } from "~/components/theme";
import appCss from "~/styles/app.css?url";
import highlightCss from "~/styles/highlight.css?url";
import markdownCss from "~/modules/markdown/markdown.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "stylesheet", href: highlightCss },
  { rel: "stylesheet", href: markdownCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "alternate", type: "application/atom+xml", title: "Django Questions", href: "/feed.xml" },
];

const nav = [
  { to: "/", label: "Questions", end: true },
  { to: "/search", label: "Search" },
  { to: "/practice", label: "Practice" },
  { to: "/contribute/question", label: "Contribute" },
  { to: "/about", label: "About" },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <script nonce={CSP_NONCE_PLACEHOLDER} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeScript }} />
        <Meta />
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
        <ScrollRestoration nonce={CSP_NONCE_PLACEHOLDER} />
        <Scripts nonce={CSP_NONCE_PLACEHOLDER} />
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
        <title>Page not found · Django Questions</title>
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
      <title>{`Error ${status} · Django Questions`}</title>
      <h1>{status === 500 ? "Something went wrong" : `Error ${status}`}</h1>
      <p>{message ?? "The page could not be shown. Please try again in a moment."}</p>
      <p>
        <Link to="/">Back to the questions</Link>
      </p>
    </section>
  );
}
