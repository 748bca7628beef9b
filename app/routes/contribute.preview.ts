import { json, type ActionFunctionArgs } from "@remix-run/node";
import { livePreview } from "~/modules/contributions/web.server";

/** The as-you-type preview of the contribution forms (JSON; the forms work without it). */
export async function action({ request, context }: ActionFunctionArgs) {
  return json(await livePreview(context.services, request, context), { headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  throw new Response("Use POST", { status: 405 });
}
