import { getEnv } from "~/modules/config/env.server";

/** The site's public origin: PUBLIC_URL when set, else the request's own. */
export function publicOrigin(request: Request): string {
  const configured = getEnv().PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(request.url).origin;
}
