/**
 * The GitHub forge: proposals become pull requests (delivery.server.ts),
 * maintainers review them in the app (review.server.ts), and may sign in with
 * their GitHub accounts (accounts.server.ts). Octokit clients and error
 * messages: client.server.ts.
 */
import type { GitHubForgeConfig } from "../config.server";
import type { Checkout, Forge, ForgeTexts } from "../types";
import { createGitHubAccounts } from "./accounts.server";
import type { GitHubForgeDeps } from "./client.server";
import { deliveryContext } from "./context.server";
import { createGitHubDelivery } from "./delivery.server";
import { createGitHubReview } from "./review.server";
import { createGitHubRevision } from "./revise.server";

export type { GitHubForgeDeps } from "./client.server";
export { LABELS, proposalLabels } from "./delivery.server";
export { squashMessage } from "./review.server";

export const GITHUB_TEXTS: ForgeTexts = {
  name: "GitHub",
  change: "pull request",
  changeLabel: "Pull request",
  queue: "Pull requests on GitHub, including hand-made ones that touch content/.",
  renumbering: " (a commit on the pull request's branch, then the merge)",
  mergeHint: (as) => `Squash-merges the pull request ${as === "site" ? "as the site's GitHub identity" : "as you"}.`,
  actingNote: (as) =>
    `On GitHub these actions are taken ${as === "site" ? "as the site's GitHub identity (you signed in with the maintainer token)" : "as you, with your GitHub account"}.`,
  tokenSignInNote:
    "Maintainers sign in with the maintainer token and act on GitHub as the site's GitHub identity (set GITHUB_CLIENT_ID/SECRET so they act as themselves).",
  destination: "GitHub",
};

export interface GitHubForgeOptions extends GitHubForgeDeps {
  /** The content checkout: fast-forwarded after a merge in the review queue. */
  checkout?: Pick<Checkout, "sync">;
}

export function createGitHubForge(config: GitHubForgeConfig, deps: GitHubForgeOptions = {}): Forge {
  const repository = `${config.owner}/${config.repo}`;
  const delivery = createGitHubDelivery(config, deps);
  const accounts = createGitHubAccounts(config, deps);
  return {
    name: "github",
    texts: { ...GITHUB_TEXTS, destination: `GitHub: ${repository}` },
    remote: true,
    repository,
    deliver: delivery.deliver,
    getState: delivery.getState,
    revise: createGitHubRevision(deliveryContext(config, deps), deps),
    review: createGitHubReview(config, deps),
    ...(accounts ? { accounts } : {}),
  };
}
