/**
 * GitHub's OAuth web flow (github.com/login/oauth/*): not part of the REST
 * API, so a plain `fetch` (the REST calls — who the user is, their
 * permission — go through the forge module).
 *
 *   1. redirect to   {oauthUrl}/login/oauth/authorize?client_id&redirect_uri&scope&state
 *   2. GitHub sends the browser back to redirect_uri with ?code&state (or ?error=access_denied)
 *   3. POST          {oauthUrl}/login/oauth/access_token  (JSON) → { access_token } or { error }
 */

export interface OAuthApp {
  /** `https://github.com` (GITHUB_OAUTH_URL). */
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export class OAuthError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "OAuthError";
  }
}

function base(url: string): string {
  return url.replace(/\/+$/, "");
}

export function authorizeUrl(app: OAuthApp, redirectUri: string, state: string): string {
  const url = new URL(`${base(app.oauthUrl)}/login/oauth/authorize`);
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", app.scope);
  url.searchParams.set("state", state);
  url.searchParams.set("allow_signup", "false");
  return url.toString();
}

/** Exchanges the callback's code for the user's access token. */
export async function exchangeCode(
  app: OAuthApp,
  code: string,
  redirectUri: string,
  fetchImpl: typeof globalThis.fetch = globalThis.fetch,
): Promise<{ token: string; scope: string }> {
  let response: Response;
  try {
    response = await fetchImpl(`${base(app.oauthUrl)}/login/oauth/access_token`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json", "User-Agent": "django-questions" },
      body: JSON.stringify({ client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: redirectUri }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new OAuthError(`GitHub could not be reached to finish the sign-in (${(error as Error).message}). Please try again.`, "network");
  }
  let data: Record<string, unknown> = {};
  try {
    data = (await response.json()) as Record<string, unknown>;
  } catch {
    // handled below
  }
  if (!response.ok) {
    throw new OAuthError(`GitHub answered ${response.status} while finishing the sign-in. Please try again.`, "http");
  }
  if (typeof data.error === "string") {
    const why = typeof data.error_description === "string" ? data.error_description : data.error;
    throw new OAuthError(`GitHub refused the sign-in: ${why}`, data.error);
  }
  if (typeof data.access_token !== "string" || data.access_token === "") {
    throw new OAuthError("GitHub's answer carried no access token. Please try again.", "no-token");
  }
  return { token: data.access_token, scope: typeof data.scope === "string" ? data.scope : "" };
}
