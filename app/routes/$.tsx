import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

/** Every path no other route claims: a real 404 (the root ErrorBoundary renders the page). */
export function loader(_args: LoaderFunctionArgs) {
  throw new Response("Not Found", { status: 404 });
}

export const meta: MetaFunction = () => [{ title: "Page not found · Django Questions" }];

export default function NotFound() {
  return null;
}
