/**
 * The GitHub forge's dependencies for tests against the fake GitHub: no retries, no spacing of write
 * requests (GitHub's recommended 1 s / 3 s would make the suites slow), a quiet log, and a request
 * timeout long enough for a busy machine. Each test overrides what it is about.
 */
import Bottleneck from "bottleneck";
import type { GitHubForgeDeps } from "~/modules/forge/github/index.server";

export function testForgeDeps(overrides: Partial<GitHubForgeDeps> = {}): GitHubForgeDeps {
  return {
    requestTimeoutMs: 5000,
    retries: 0,
    throttleGroups: {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    },
    log: { warn() {}, info() {} },
    ...overrides,
  };
}
