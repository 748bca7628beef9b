/**
 * Crediting the contributor: the GitHub username they gave, resolved once per
 * proposal (`GET /users/{username}`, the site's credentials) into the account
 * the commit is authored or co-authored by. See ../README.md, *Crediting the
 * contributor*.
 */
import { githubNoreplyEmail } from "../branch";
import type { DeliverableProposal, DeliveryProgress, ProgressStore } from "../types";
import { RequestError } from "./client.server";
import type { DeliveryContext } from "./context.server";

/** The contributor's GitHub account as resolved at delivery (`DeliveryProgress.githubUser`). */
export type ResolvedGitHubUser = NonNullable<DeliveryProgress["githubUser"]>;

export function createContributorResolver(
  ctx: DeliveryContext,
): (p: DeliverableProposal, progress: ProgressStore) => Promise<ResolvedGitHubUser | null | undefined> {
  const { app, toForgeError } = ctx;

  /**
   * GitHub accounts by lower-cased username (`GET /users/{username}`), once per process: an
   * account's id never changes and its login rarely does. "No such user" is not remembered, so
   * an account made after a typo'd proposal is found by the next one.
   */
  const accounts = new Map<string, Promise<{ id: number; login: string; type: string; email: string | null } | null>>();
  function githubAccount(username: string) {
    const key = username.toLowerCase();
    let found = accounts.get(key);
    if (!found) {
      found = app.rest.users.getByUsername({ username }).then(
        ({ data }) => ({ id: data.id, login: data.login, type: data.type, email: data.email ?? null }),
        (error: unknown) => {
          // 404: no such user (or a suspended one). The proposal is delivered without the credit: not a configuration failure.
          if (error instanceof RequestError && error.status === 404) return null;
          throw toForgeError(error, `looking up the GitHub user ${username}`, "app");
        },
      );
      accounts.set(key, found);
      found.then(
        (account) => {
          if (!account) accounts.delete(key);
        },
        () => accounts.delete(key),
      );
      if (accounts.size > 1000) accounts.delete(accounts.keys().next().value!);
    }
    return found;
  }

  /**
   * Resolves the GitHub username the contributor gave, once per proposal (saved in the progress,
   * so every retry makes the same commit and the timeline says it once). An unknown username
   * is delivered without the co-author credit, and the timeline says why.
   */
  async function resolveGitHubUser(p: DeliverableProposal, progress: ProgressStore): Promise<ResolvedGitHubUser | null | undefined> {
    const username = p.contributor.github;
    if (!username) return undefined;
    if (progress.current.githubUser !== undefined) return progress.current.githubUser;
    const account = await githubAccount(username);
    if (!account || account.type !== "User") {
      await progress.save({ githubUser: null });
      await progress.note(
        "github-user-not-found",
        account
          ? `${account.login} is a GitHub organization, not a user: not credited as co-author.`
          : `GitHub user ${username} not found: not credited as co-author.`,
      );
      return null;
    }
    // The author already is that account when it signs with the account's no-reply address
    // (no e-mail given) or with an address the account shows publicly.
    const email = p.contributor.email?.trim().toLowerCase();
    const own = [githubNoreplyEmail(account), `${account.login}@users.noreply.github.com`, account.email ?? ""].map((e) => e.toLowerCase());
    const githubUser: ResolvedGitHubUser = { id: account.id, login: account.login, sameAsAuthor: !email || own.includes(email) };
    await progress.save({ githubUser });
    return githubUser;
  }

  return resolveGitHubUser;
}
