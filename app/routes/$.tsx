import type { LoaderFunctionArgs } from "@remix-run/node";

/** Every path no other route claims: a real 404 (the root ErrorBoundary renders the page). */
export function loader(_args: LoaderFunctionArgs) {
  throw new Response("Not Found", { status: 404 });
}

// No meta here: the loader always throws, so the root's ErrorBoundary and the
// root's meta (title and description of the 404 page) render the page.

export default function NotFound() {
  return null;
}
