import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentFeed } from "~/modules/feeds/index.server";
import { publicOrigin } from "~/modules/seo/origin.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const content = context.services.store.content;
  return new Response(contentFeed(content, publicOrigin(request)), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
