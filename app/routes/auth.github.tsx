import type { LoaderFunctionArgs } from "@remix-run/node";
import { githubStart } from "~/modules/auth/web.server";

/** GET /auth/github → GitHub's authorize page (state kept in the session). */
export const loader = ({ request, context }: LoaderFunctionArgs) => githubStart(context.services, request);
