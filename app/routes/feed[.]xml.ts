import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadContent } from "~/modules/content/index.server";
import { contentFeed } from "~/modules/feeds/index.server";
import { publicOrigin } from "~/modules/seo/origin.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const content = await loadContent();
  return new Response(contentFeed(content, publicOrigin(request)), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
