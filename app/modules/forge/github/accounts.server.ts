/**
 * Sign-in with GitHub accounts, the REST side (the OAuth web flow itself is
 * plain HTTP, in app/modules/auth): who a signed-in user is (`GET /user`, with
 * their own token) and whether they may maintain the content repository
 * (`GET /repos/{o}/{r}/collaborators/{username}/permission`, asked with the
 * forge's own credentials — GitHub lets only collaborators with push access
 * read other users' permission).
 */
import type { GitHubForgeConfig } from "../config.server";
import type { ForgeAccounts } from "../types";
import { octokitClient, RequestError, reviewError, type GitHubForgeDeps } from "./client.server";

/** The accounts of a GitHub forge with sign-in configured (`GITHUB_CLIENT_ID`/`SECRET`); undefined without. */
export function createGitHubAccounts(config: GitHubForgeConfig, deps: GitHubForgeDeps = {}): ForgeAccounts | undefined {
  if (!config.oauth) return undefined;
  const app = octokitClient(config, "app", deps);
  return {
    oauth: config.oauth,
    repository: `${config.owner}/${config.repo}`,
    async user(token) {
      try {
        const { data } = await octokitClient(config, { token }, deps).rest.users.getAuthenticated();
        return { login: data.login, name: data.name ?? null };
      } catch (error) {
        throw reviewError(error, "reading who signed in");
      }
    },
    async permission(login) {
      try {
        const { data } = await app.rest.repos.getCollaboratorPermissionLevel({ owner: config.owner, repo: config.repo, username: login });
        return { permission: data.permission, role_name: data.role_name };
      } catch (error) {
        if (error instanceof RequestError && error.status === 404 && /is not a user/i.test(String((error.response?.data as { message?: string })?.message))) {
          return { permission: "none", role_name: "none" };
        }
        throw reviewError(error, `reading @${login}'s permission on ${config.owner}/${config.repo}`);
      }
    },
  };
}
