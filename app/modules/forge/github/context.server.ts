/**
 * What the GitHub delivery's steps share: the upstream repository, the site's
 * client, GitHub's errors as ForgeErrors naming the step and the credentials,
 * and the base branch (read once per process).
 */
import type { GitHubForgeConfig } from "../config.server";
import type { ForgeError } from "../errors";
import { deliveryError, octokitClient, type GitHubForgeDeps, type OctokitClient } from "./client.server";

export interface Repo {
  owner: string;
  repo: string;
}

/** Where the branch goes: `base` is the branch the commit starts from; `parent` its head when already known. */
export interface Head extends Repo {
  base: string;
  parent?: string;
}

/** Whose credentials a step uses: the site's, or the signed-in contributor's. */
export type Who = "app" | "user";

export interface DeliveryContext {
  config: GitHubForgeConfig;
  deps: GitHubForgeDeps;
  upstream: Repo;
  /** `owner/name`. */
  slug: string;
  /** The site's own client. */
  app: OctokitClient;
  log: { warn(message: string): void; info(message: string): void };
  /** One Octokit per credential, built like every other GitHub client of the app (timeouts, retries, throttling). */
  client(auth: { token: string } | "app"): OctokitClient;
  /** Turns an Octokit error into a ForgeError the outbox understands. */
  toForgeError(error: unknown, step: string, who: Who): ForgeError;
  /** Runs a step, its errors turned into ForgeErrors. */
  step<T>(name: string, who: Who, fn: () => Promise<T>): Promise<T>;
  /** The branch proposals are based on: `GITHUB_BASE_BRANCH`, or the repository's default (asked once per process). */
  upstreamBase(): Promise<string>;
}

export function deliveryContext(config: GitHubForgeConfig, deps: GitHubForgeDeps): DeliveryContext {
  const upstream: Repo = { owner: config.owner, repo: config.repo };
  const slug = `${upstream.owner}/${upstream.repo}`;
  const client = (auth: { token: string } | "app") => octokitClient(config, auth, deps);
  const app = client("app");
  const appCredentials =
    config.auth.type === "token" ? "GITHUB_TOKEN" : "the GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)";
  const toForgeError = (error: unknown, step: string, who: Who) =>
    deliveryError(error, step, who === "user" ? "the contributor's GitHub sign-in" : appCredentials, slug);
  async function step<T>(name: string, who: Who, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toForgeError(error, name, who);
    }
  }
  let baseBranch: Promise<string> | undefined = config.baseBranch ? Promise.resolve(config.baseBranch) : undefined;
  function upstreamBase(): Promise<string> {
    baseBranch ??= step("reading the repository", "app", async () => {
      const { data } = await app.rest.repos.get({ ...upstream });
      return data.default_branch;
    });
    baseBranch.catch(() => {
      if (!config.baseBranch) baseBranch = undefined;
    });
    return baseBranch;
  }
  return {
    config,
    deps,
    upstream,
    slug,
    app,
    log: deps.log ?? { warn: (m: string) => console.warn(`[github] ${m}`), info: () => {} },
    client,
    toForgeError,
    step,
    upstreamBase,
  };
}
