/**
 * Which sign-in methods a configuration turns on. With GitHub sign-in configured, maintainers sign in
 * with GitHub only (so GitHub shows who merged), unless MAINTAINER_TOKEN_WITH_GITHUB=1 lets the token in too.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getEnv } from "~/modules/config/env.server";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openMemoryDatabase, type Database } from "~/modules/db/index.server";
import type { ForgeConfig } from "~/modules/forge/config.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";
import { LOCAL_TEXTS } from "~/modules/forge/local/index.server";
import type { Forge } from "~/modules/forge/types";
import { setupAuth } from "./index.server";

const TOKEN = "maintainer-token-for-setup-tests";
const GITHUB: ForgeConfig = {
  kind: "github",
  owner: "django-questions",
  repo: "content",
  apiUrl: "http://127.0.0.1:9",
  auth: { type: "token", token: "bot" },
  oauth: { clientId: "Iv1.x", clientSecret: "y", url: "https://github.com", scope: "public_repo" },
};

/** The forge a configuration makes, as far as sign-in cares (its accounts and words). */
function forgeOf(config: ForgeConfig): Pick<Forge, "accounts" | "texts"> {
  return config.kind === "github" ? createGitHubForge(config) : { texts: LOCAL_TEXTS };
}

let db: Database;
afterEach(() => db?.close());

function setup(vars: Record<string, string>, forgeConfig: ForgeConfig, dialect: "sqlite" | "postgres" = "sqlite") {
  db = openMemoryDatabase();
  const lines: string[] = [];
  const env = getEnv({ NODE_ENV: "test", SESSION_SECRET: "s".repeat(40), PORT: "3000", ...vars });
  // `postgres`: what setupAuth decides for a cluster (the sessions themselves stay in SQLite here).
  const data = { ...sqliteDataLayer(db), dialect };
  const auth = setupAuth({ env, data, forge: forgeOf(forgeConfig), log: { info: (m) => void lines.push(m), warn: (m) => void lines.push(`warn ${m}`) } });
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
    const { auth, lines } = setup({ MAINTAINER_TOKEN: TOKEN }, GITHUB);
    expect(auth.methods).toEqual({ github: true, token: false });
    expect(await auth.signInWithToken(tokenForm(TOKEN), TOKEN, "1.2.3.4")).toMatchObject({ status: 404, error: expect.stringMatching(/sign in with GitHub/) });
    expect(lines.join("\n")).toMatch(/MAINTAINER_TOKEN is ignored.*MAINTAINER_TOKEN_WITH_GITHUB=1/);
    expect(lines.join("\n")).not.toMatch(/one-time link/);
  });

  it("GitHub sign-in configured and MAINTAINER_TOKEN_WITH_GITHUB=1: the token signs in too", async () => {
    const { auth } = setup({ MAINTAINER_TOKEN: TOKEN, MAINTAINER_TOKEN_WITH_GITHUB: "1" }, GITHUB);
    expect(auth.methods).toEqual({ github: true, token: true });
    const done = await auth.signInWithToken(tokenForm(TOKEN), TOKEN, "1.2.3.4");
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).status).toBe(303);
  });

  it("GitHub mode without GitHub sign-in: token sign-in, and the console says actions use the site's GitHub identity", () => {
    const { auth, lines } = setup({}, { ...GITHUB, oauth: undefined });
    expect(auth.methods).toEqual({ github: false, token: true });
    expect(lines.join("\n")).toMatch(/one-time link/);
    expect(lines.join("\n")).toMatch(/act on GitHub as the site's GitHub identity/);
  });

  it("local mode: token sign-in", () => {
    const { auth } = setup({ MAINTAINER_TOKEN: TOKEN }, { kind: "local" });
    expect(auth.methods).toEqual({ github: false, token: true });
  });
});

describe("several instances on one PostgreSQL (DATABASE_URL)", () => {
  it("refuses to start with only the one-time link: it names MAINTAINER_TOKEN and GitHub sign-in", () => {
    expect(() => setup({}, { kind: "local" }, "postgres")).toThrow(/one-time sign-in link cannot work.*MAINTAINER_TOKEN.*GITHUB_CLIENT_ID/s);
    expect(() => setup({}, { ...GITHUB, oauth: undefined }, "postgres")).toThrow(/one-time sign-in link/);
  });

  it("starts with MAINTAINER_TOKEN, or with GitHub sign-in", () => {
    expect(setup({ MAINTAINER_TOKEN: TOKEN }, { kind: "local" }, "postgres").auth.methods).toEqual({ github: false, token: true });
    expect(setup({}, GITHUB, "postgres").auth.methods).toEqual({ github: true, token: false });
  });

  it("refuses to start without SESSION_SECRET, in production and in development alike", () => {
    for (const NODE_ENV of ["production", "development"] as const) {
      expect(() => getEnv({ NODE_ENV, DATABASE_URL: "postgres://app@db.internal:5432/questions" })).toThrow(
        /SESSION_SECRET: required when DATABASE_URL is set: every instance must sign session cookies with the same secret/,
      );
    }
    expect(getEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://app@db.internal:5432/questions", SESSION_SECRET: "s".repeat(40) }).DATABASE_URL).toBe(
      "postgres://app@db.internal:5432/questions",
    );
  });

  it("accepts only a PostgreSQL URL with a database in DATABASE_URL (unset: SQLite)", () => {
    const secret = { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) } as const;
    expect(getEnv({ ...secret, DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(getEnv({ ...secret, DATABASE_URL: "postgresql://app@/questions?host=/var/run/postgresql" }).DATABASE_URL).toMatch(/^postgresql:/);
    for (const bad of ["sqlite:///data.db", "mysql://u@h/d", "postgres://db.internal", "not a url"]) {
      expect(() => getEnv({ ...secret, DATABASE_URL: bad }), bad).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    }
  });
});
