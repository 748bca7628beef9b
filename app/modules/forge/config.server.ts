/**
 * Which forge to use, from the environment.
 *
 * - No GitHub variables → the local review queue (the embedded default).
 * - `GITHUB_REPOSITORY=owner/name` plus either `GITHUB_TOKEN` or a GitHub
 *   App (`GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY`, `GITHUB_APP_INSTALLATION_ID`)
 *   → GitHub. `GITHUB_API_URL` defaults to https://api.github.com.
 * - A partial configuration is a startup error naming what is missing.
 * - `FORGE=local` forces the local queue (e.g. in CI, where GitHub Actions
 *   sets `GITHUB_REPOSITORY` by itself); `FORGE=github` requires GitHub.
 *
 * Optional: `GITHUB_CLIENT_ID` + `GITHUB_CLIENT_SECRET` (contributors sign in
 * with GitHub and open pull requests as themselves; `GITHUB_OAUTH_URL`,
 * `GITHUB_OAUTH_SCOPE`), `GITHUB_BASE_BRANCH` (default: the repository's
 * default branch).
 */
import { z } from "zod";

export type GitHubAuthConfig =
  | { type: "token"; token: string }
  | { type: "app"; appId: string; privateKey: string; installationId: number };

export interface GitHubForgeConfig {
  kind: "github";
  owner: string;
  repo: string;
  apiUrl: string;
  auth: GitHubAuthConfig;
  /** Branch the pull requests target; the repository's default branch when absent. */
  baseBranch?: string;
  /** GitHub sign-in (`GITHUB_CLIENT_ID`/`SECRET`): the OAuth app, GitHub's web sign-in URL and the scope asked. */
  oauth?: { clientId: string; clientSecret: string; url: string; scope: string };
}

export type ForgeConfig = { kind: "local" } | GitHubForgeConfig;

export class ForgeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForgeConfigError";
  }
}

const nonEmpty = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

const EnvSchema = z.object({
  FORGE: z.preprocess(nonEmpty, z.enum(["local", "github"]).optional()),
  GITHUB_REPOSITORY: z.preprocess(
    nonEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "GITHUB_REPOSITORY must be owner/name, e.g. django-questions/django-questions")
      .optional(),
  ),
  GITHUB_TOKEN: z.preprocess(nonEmpty, z.string().optional()),
  GITHUB_APP_ID: z.preprocess(nonEmpty, z.string().regex(/^\d+$/, "GITHUB_APP_ID must be the App's numeric id").optional()),
  GITHUB_APP_PRIVATE_KEY: z.preprocess(nonEmpty, z.string().optional()),
  GITHUB_APP_INSTALLATION_ID: z.preprocess(
    nonEmpty,
    z.string().regex(/^\d+$/, "GITHUB_APP_INSTALLATION_ID must be the installation's numeric id").optional(),
  ),
  GITHUB_API_URL: z.preprocess(nonEmpty, z.string().url("GITHUB_API_URL must be a URL, e.g. https://api.github.com").optional()),
  GITHUB_BASE_BRANCH: z.preprocess(nonEmpty, z.string().optional()),
  GITHUB_CLIENT_ID: z.preprocess(nonEmpty, z.string().optional()),
  GITHUB_CLIENT_SECRET: z.preprocess(nonEmpty, z.string().optional()),
  /** Base URL of GitHub's web sign-in (OAuth authorize and access_token); tests point it at the fake GitHub. */
  GITHUB_OAUTH_URL: z.preprocess(nonEmpty, z.string().url("GITHUB_OAUTH_URL must be a URL, e.g. https://github.com").default("https://github.com")),
  /** OAuth scope asked of people signing in with GitHub (`repo` for a private content repository). */
  GITHUB_OAUTH_SCOPE: z.preprocess(nonEmpty, z.string().default("public_repo")),
  GITHUB_ACTIONS: z.preprocess(nonEmpty, z.string().optional()),
});

const APP_VARS = ["GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_INSTALLATION_ID"] as const;

/** Reads the forge configuration; throws {@link ForgeConfigError} with a clear message when it is incomplete. */
export function loadForgeConfig(env: Record<string, string | undefined> = process.env): ForgeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ForgeConfigError(`Invalid GitHub configuration: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const e = parsed.data;
  if (e.FORGE === "local") return { kind: "local" };

  const appSet = APP_VARS.filter((k) => e[k] !== undefined);
  const credentials = e.GITHUB_TOKEN !== undefined || appSet.length > 0;
  if (!credentials && e.FORGE !== "github") {
    if (e.GITHUB_REPOSITORY === undefined || e.GITHUB_ACTIONS === "true") return { kind: "local" };
    throw new ForgeConfigError(
      "GITHUB_REPOSITORY is set but there are no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID (or unset GITHUB_REPOSITORY, or set FORGE=local, to use the local review queue).",
    );
  }
  if (e.GITHUB_REPOSITORY === undefined) {
    throw new ForgeConfigError("GITHUB_REPOSITORY is missing: set it to owner/name of the content repository.");
  }
  let auth: GitHubAuthConfig;
  if (appSet.length > 0) {
    const missing = APP_VARS.filter((k) => e[k] === undefined);
    if (missing.length > 0) {
      throw new ForgeConfigError(
        `Incomplete GitHub App configuration: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing (a GitHub App needs GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID).`,
      );
    }
    if (e.GITHUB_TOKEN !== undefined) {
      throw new ForgeConfigError("Both GITHUB_TOKEN and a GitHub App are configured: keep one of them.");
    }
    // Keys pasted into one-line environment variables carry literal "\n".
    const privateKey = e.GITHUB_APP_PRIVATE_KEY!.replace(/\\n/g, "\n");
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
      throw new ForgeConfigError("GITHUB_APP_PRIVATE_KEY is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...).");
    }
    auth = { type: "app", appId: e.GITHUB_APP_ID!, privateKey, installationId: Number(e.GITHUB_APP_INSTALLATION_ID) };
  } else if (e.GITHUB_TOKEN !== undefined) {
    auth = { type: "token", token: e.GITHUB_TOKEN };
  } else {
    throw new ForgeConfigError(
      "FORGE=github but there are no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID.",
    );
  }
  if ((e.GITHUB_CLIENT_ID === undefined) !== (e.GITHUB_CLIENT_SECRET === undefined)) {
    const missing = e.GITHUB_CLIENT_ID === undefined ? "GITHUB_CLIENT_ID" : "GITHUB_CLIENT_SECRET";
    throw new ForgeConfigError(`${missing} is missing: GitHub sign-in needs both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.`);
  }
  const [owner, repo] = e.GITHUB_REPOSITORY.split("/") as [string, string];
  return {
    kind: "github",
    owner,
    repo,
    apiUrl: (e.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    auth,
    ...(e.GITHUB_BASE_BRANCH ? { baseBranch: e.GITHUB_BASE_BRANCH } : {}),
    ...(e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET
      ? { oauth: { clientId: e.GITHUB_CLIENT_ID, clientSecret: e.GITHUB_CLIENT_SECRET, url: e.GITHUB_OAUTH_URL.replace(/\/+$/, ""), scope: e.GITHUB_OAUTH_SCOPE } }
      : {}),
  };
}
