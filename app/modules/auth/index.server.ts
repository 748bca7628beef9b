/**
 * Maintainer sign-in: the facade the composition root uses.
 *
 * `setupAuth` resolves the session secret, decides which sign-in methods are
 * on, and prints the one-time sign-in link when there is one:
 *
 *   GitHub sign-in configured (GITHUB_CLIENT_ID/SECRET with the GitHub forge) → "Sign in with GitHub";
 *     token sign-in too only when MAINTAINER_TOKEN is set.
 *   otherwise → token sign-in: MAINTAINER_TOKEN, or a one-time link printed at start.
 */
import type { Env } from "~/modules/config/env.server";
import type { Database } from "~/modules/db/index.server";
import type { ForgeConfig } from "~/modules/forge/config.server";
import { createGitHubAuthApi } from "~/modules/forge/github-auth.server";
import type { GitHubForgeDeps } from "~/modules/forge/github.server";
import { createAuth, type Auth } from "./auth.server";
import { resolveSessionSecret } from "./secret.server";
import { createTokenSignIn } from "./token.server";

export { createAuth, safeReturnTo, type Auth, type Maintainer, type SignInMethods, type Viewer } from "./auth.server";
export { CSRF_FIELD } from "./csrf.server";
export { SessionSecretError } from "./secret.server";

export interface AuthSetup {
  env: Env;
  db: Database;
  forgeConfig: ForgeConfig;
  github?: GitHubForgeDeps;
  log?: { info(message: string): void; warn(message: string): void };
}

export function setupAuth(setup: AuthSetup): Auth {
  const { env, forgeConfig } = setup;
  const log = setup.log ?? { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) };
  const { secret } = resolveSessionSecret({
    secret: env.SESSION_SECRET,
    production: env.NODE_ENV === "production",
    dataDir: env.DATA_DIR,
    log,
  });
  const github =
    forgeConfig.kind === "github" && forgeConfig.oauth
      ? {
          app: { oauthUrl: env.GITHUB_OAUTH_URL, clientId: forgeConfig.oauth.clientId, clientSecret: forgeConfig.oauth.clientSecret, scope: env.GITHUB_OAUTH_SCOPE },
          api: createGitHubAuthApi(forgeConfig, setup.github),
          repository: `${forgeConfig.owner}/${forgeConfig.repo}`,
        }
      : undefined;
  const { signIn, oneTimeToken } = createTokenSignIn({ configured: env.MAINTAINER_TOKEN, enabled: !github || env.MAINTAINER_TOKEN !== undefined });
  if (oneTimeToken) {
    const base = env.PUBLIC_URL?.replace(/\/+$/, "") ?? (env.PORT === 0 ? "" : `http://localhost:${env.PORT}`);
    log.info(
      `Maintainer sign-in (one-time link, valid until it is used or the server restarts): ${base}/auth/token?token=${oneTimeToken}${
        base ? "" : " (on this server's address)"
      }`,
    );
  }
  if (github) log.info(`Maintainers sign in with GitHub (write access to ${github.repository}).`);
  return createAuth({
    db: setup.db,
    secret,
    tokenSignIn: signIn,
    github,
    permissionTtlMs: env.MAINTAINER_PERMISSION_TTL * 60_000,
    trustProxy: env.TRUST_PROXY,
    publicUrl: env.PUBLIC_URL,
  });
}
