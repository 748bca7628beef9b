/**
 * The forge registry: configuration → the forge that receives proposals.
 */
import type { DataLayer } from "~/modules/db/data.server";
import type { Database } from "~/modules/db/index.server";
import type { ForgeConfig } from "./config.server";
import { createGitHubForge, type GitHubForgeDeps } from "./github.server";
import { createLocalForge } from "./local.server";
import type { Forge } from "./types";

export { loadForgeConfig, ForgeConfigError, type ForgeConfig, type GitHubForgeConfig } from "./config.server";
export { ForgeError, RateLimitedError, classifyError } from "./errors";
export type * from "./types";

export interface ForgeDeps {
  /** The application database (the local review queue lives there). */
  db: Database;
  /** The data layer (the local queue's numbers: `sequences`). */
  data?: DataLayer;
  github?: GitHubForgeDeps;
}

export function createForge(config: ForgeConfig, deps: ForgeDeps): Forge {
  switch (config.kind) {
    case "local":
      return createLocalForge({ db: deps.db, ...(deps.data ? { data: deps.data } : {}) });
    case "github":
      return createGitHubForge(config, deps.github);
  }
}
