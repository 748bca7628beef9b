/**
 * Maintainer sign-in: the facade the composition root uses.
 *
 * `setupAuth` resolves the session secret, decides which sign-in methods are
 * on, and prints the one-time sign-in link when there is one:
 *
 *   GitHub sign-in configured (GITHUB_CLIENT_ID/SECRET with the GitHub forge) → "Sign in with GitHub" only,
 *     so every action on GitHub carries the maintainer's own name. Token sign-in too only when
 *     MAINTAINER_TOKEN_WITH_GITHUB=1 and MAINTAINER_TOKEN is set (such maintainers act as the site's
 *     GitHub identity, and the review page says so).
 *   otherwise → token sign-in: MAINTAINER_TOKEN, or a one-time link printed at start (in GitHub mode
 *     without GitHub sign-in, actions are taken as the site's GitHub identity).
 *
 * Token sessions last only as long as the credential they were made with: changing MAINTAINER_TOKEN
 * (or turning token sign-in off) signs them out, and the one-time link's session ends with the process.
 *
 * With DATABASE_URL (PostgreSQL, sessions shared by every instance) the one-time link cannot work — one
 * instance makes it and knows it, and its session ends with that process — so the start is refused unless
 * MAINTAINER_TOKEN or GitHub sign-in is configured (SESSION_SECRET is required by env.server.ts).
 */
import { ConfigError, type Env } from "~/modules/config/env.server";
import type { DataLayer } from "~/modules/db/data.server";
import type { Forge } from "~/modules/forge/types";
import type { RateLimiter } from "~/modules/security/rate-limit.server";
import { createAuth, type Auth } from "./auth.server";
import { resolveSessionSecret } from "./secret.server";
import { createTokenSignIn } from "./token.server";

export { createAuth, safeReturnTo, type Auth, type Maintainer, type SignInMethods, type Viewer } from "./auth.server";
export { CSRF_FIELD } from "./csrf.server";
export { SessionSecretError } from "./secret.server";

export interface AuthSetup {
  env: Env;
  /** Where the sessions are; PostgreSQL means several instances may share them. */
  data: Pick<DataLayer, "db" | "dialect">;
  /** The forge: its accounts (sign-in with GitHub, when configured) and its words. */
  forge: Pick<Forge, "accounts" | "texts">;
  /** Token sign-in attempts per client (default: counted in memory). */
  signInLimiter?: RateLimiter;
  log?: { info(message: string): void; warn(message: string): void };
}

export function setupAuth(setup: AuthSetup): Auth {
  const { env, forge } = setup;
  const log = setup.log ?? { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) };
  const { secret } = resolveSessionSecret({
    secret: env.SESSION_SECRET,
    production: env.NODE_ENV === "production",
    dataDir: env.DATA_DIR,
    log,
  });
  const accounts = forge.accounts;
  const github = accounts
    ? {
        app: { oauthUrl: accounts.oauth.url, clientId: accounts.oauth.clientId, clientSecret: accounts.oauth.clientSecret, scope: accounts.oauth.scope },
        api: accounts,
        repository: accounts.repository,
      }
    : undefined;
  const tokenWithGitHub = env.MAINTAINER_TOKEN_WITH_GITHUB && env.MAINTAINER_TOKEN !== undefined;
  if (setup.data.dialect === "postgres" && !github && env.MAINTAINER_TOKEN === undefined) {
    throw new ConfigError(
      "DATABASE_URL is PostgreSQL, so several instances may serve this site, and the one-time sign-in link cannot work there " +
        "(one instance makes it, and its session ends with that process). Set MAINTAINER_TOKEN (at least 16 characters), " +
        "or configure GitHub sign-in (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET with the GitHub forge).",
    );
  }
  if (github && env.MAINTAINER_TOKEN !== undefined && !tokenWithGitHub) {
    log.warn("MAINTAINER_TOKEN is ignored: with GitHub sign-in configured maintainers sign in with GitHub (set MAINTAINER_TOKEN_WITH_GITHUB=1 to accept the token too).");
  }
  if (github && env.MAINTAINER_TOKEN_WITH_GITHUB && env.MAINTAINER_TOKEN === undefined) {
    log.warn("MAINTAINER_TOKEN_WITH_GITHUB=1 has no effect without MAINTAINER_TOKEN.");
  }
  const { signIn, oneTimeToken } = createTokenSignIn({ configured: env.MAINTAINER_TOKEN, enabled: !github || tokenWithGitHub });
  if (oneTimeToken) {
    const base = env.PUBLIC_URL?.replace(/\/+$/, "") ?? (env.PORT === 0 ? "" : `http://localhost:${env.PORT}`);
    log.info(
      `Maintainer sign-in (one-time link, valid until it is used or this server stops; so is the session it starts): ${base}/auth/token?token=${oneTimeToken}${
        base ? "" : " (on this server's address)"
      }`,
    );
  }
  if (github) log.info(`Maintainers sign in with GitHub (write access to ${github.repository}).`);
  else if (forge.texts.tokenSignInNote) log.info(forge.texts.tokenSignInNote);
  return createAuth({
    data: setup.data,
    ...(setup.signInLimiter ? { signInLimiter: setup.signInLimiter } : {}),
    secret,
    tokenSignIn: signIn,
    github,
    permissionTtlMs: env.MAINTAINER_PERMISSION_TTL * 60_000,
    trustProxy: env.TRUST_PROXY,
    publicUrl: env.PUBLIC_URL,
  });
}
