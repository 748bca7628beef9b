/**
 * The forge registry: configuration → the forge that receives proposals and
 * carries their review. Adding a forge: a folder next to `github/` and
 * `local/` with a `create…Forge(config, deps): Forge`, its configuration in
 * `config.server.ts`, and a case below (see README.md).
 */
import type { ForgeConfig } from "./config.server";
import { createGitHubForge, type GitHubForgeDeps } from "./github/index.server";
import { createLocalForge } from "./local/index.server";
import type { Checkout, Forge, ProposalRecords } from "./types";

export { loadForgeConfig, ForgeConfigError, type ForgeConfig, type GitHubForgeConfig } from "./config.server";
export { ForgeError, RateLimitedError, classifyError } from "./errors";
export type * from "./types";

export interface ForgeDeps {
  /** The stored proposals (the local review queue is made of them). */
  records: ProposalRecords;
  /** The content folder and its store's reload (a local merge writes into it). */
  content: { dir: string; reload(relPaths: string[]): Promise<void> };
  /** The content checkout's git sync (kept in line with merges). */
  checkout?: Checkout;
  github?: GitHubForgeDeps;
}

export function createForge(config: ForgeConfig, deps: ForgeDeps): Forge {
  switch (config.kind) {
    case "local":
      return createLocalForge({
        records: deps.records,
        contentDir: deps.content.dir,
        reload: (paths) => deps.content.reload(paths),
        ...(deps.checkout ? { checkout: deps.checkout } : {}),
      });
    case "github":
      return createGitHubForge(config, { ...deps.github, ...(deps.checkout ? { checkout: deps.checkout } : {}) });
  }
}
