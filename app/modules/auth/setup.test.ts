/**
 * Which sign-in methods a configuration turns on. With GitHub sign-in configured, maintainers sign in
 * with GitHub only (so GitHub shows who merged), unless MAINTAINER_TOKEN_WITH_GITHUB=1 lets the token in too.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getEnv } from "~/modules/config/env.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import type { GitHubForgeConfig } from "~/modules/forge/config.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";
import { LOCAL_TEXTS } from "~/modules/forge/local/index.server";
import type { Forge } from "~/modules/forge/types";
import { setupAuth } from "./index.server";

const TOKEN = "maintainer-token-for-setup-tests";
const GITHUB: GitHubForgeConfig = {
  kind: "github",
  owner: "django-questions",
  repo: "content",
  apiUrl: "http://127.0.0.1:9",
  auth: { type: "token", token: "bot" },
  oauth: { clientId: "Iv1.x", clientSecret: "y", url: "https://github.com", scope: "public_repo" },
};
const LOCAL: Pick<Forge, "accounts" | "texts"> = { texts: LOCAL_TEXTS };

let db: Database;
afterEach(() => db?.close());

function setup(vars: Record<string, string>, forge: Pick<Forge, "accounts" | "texts">) {
  db = openMemoryDatabase();
  const lines: string[] = [];
  const env = getEnv({ NODE_ENV: "test", SESSION_SECRET: "s".repeat(40), PORT: "3000", ...vars });
  const auth = setupAuth({ env, db, forge, log: { info: (m) => void lines.push(m), warn: (m) => void lines.push(`warn ${m}`) } });
  return { auth, lines };
}

function tokenForm(token: string): Request {
  return new Request("http://site.test/auth/token", {
    method: "POST",
    body: new URLSearchParams({ token }),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://site.test" },
  });
}

describe("sign-in methods", () => {
  it("GitHub sign-in configured: MAINTAINER_TOKEN does not sign in, and the console says why", async () => {
    const { auth, lines } = setup({ MAINTAINER_TOKEN: TOKEN }, createGitHubForge(GITHUB));
    expect(auth.methods).toEqual({ github: true, token: false });
    expect(await auth.signInWithToken(tokenForm(TOKEN), TOKEN, "1.2.3.4")).toMatchObject({ status: 404, error: expect.stringMatching(/sign in with GitHub/) });
    expect(lines.join("\n")).toMatch(/MAINTAINER_TOKEN is ignored.*MAINTAINER_TOKEN_WITH_GITHUB=1/);
    expect(lines.join("\n")).not.toMatch(/one-time link/);
  });

  it("GitHub sign-in configured and MAINTAINER_TOKEN_WITH_GITHUB=1: the token signs in too", async () => {
    const { auth } = setup({ MAINTAINER_TOKEN: TOKEN, MAINTAINER_TOKEN_WITH_GITHUB: "1" }, createGitHubForge(GITHUB));
    expect(auth.methods).toEqual({ github: true, token: true });
    const done = await auth.signInWithToken(tokenForm(TOKEN), TOKEN, "1.2.3.4");
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).status).toBe(303);
  });

  it("GitHub mode without GitHub sign-in: token sign-in, and the console says actions use the site's GitHub identity", () => {
    const { auth, lines } = setup({}, createGitHubForge({ ...GITHUB, oauth: undefined }));
    expect(auth.methods).toEqual({ github: false, token: true });
    expect(lines.join("\n")).toMatch(/one-time link/);
    expect(lines.join("\n")).toMatch(/act on GitHub as the site's GitHub identity/);
  });

  it("local mode: token sign-in", () => {
    const { auth } = setup({ MAINTAINER_TOKEN: TOKEN }, LOCAL);
    expect(auth.methods).toEqual({ github: false, token: true });
  });
});
