import type { LoaderFunctionArgs } from "@remix-run/node";
import { robotsTxt } from "~/modules/feeds/index.server";
import { publicOrigin } from "~/modules/seo/origin.server";

export function loader({ request }: LoaderFunctionArgs) {
  return new Response(robotsTxt(publicOrigin(request)), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
