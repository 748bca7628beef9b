import { describe, expect, it } from "vitest";
import { ForgeConfigError, loadForgeConfig } from "./config.server";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----";

describe("loadForgeConfig", () => {
  it("uses the local review queue when no GitHub variable is set", () => {
    expect(loadForgeConfig({})).toEqual({ kind: "local" });
    expect(loadForgeConfig({ GITHUB_TOKEN: "" })).toEqual({ kind: "local" });
  });

  it("configures GitHub with a token", () => {
    expect(loadForgeConfig({ GITHUB_REPOSITORY: "django-questions/content", GITHUB_TOKEN: "ghp_x" })).toEqual({
      kind: "github",
      owner: "django-questions",
      repo: "content",
      apiUrl: "https://api.github.com",
      auth: { type: "token", token: "ghp_x" },
    });
    expect(
      loadForgeConfig({ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_API_URL: "https://ghe.example.org/api/v3/", GITHUB_BASE_BRANCH: "trunk" }),
    ).toMatchObject({ apiUrl: "https://ghe.example.org/api/v3", baseBranch: "trunk" });
  });

  it("configures a GitHub App, turning \\n escapes of the key into new lines", () => {
    const c = loadForgeConfig({ GITHUB_REPOSITORY: "o/r", GITHUB_APP_ID: "123", GITHUB_APP_PRIVATE_KEY: KEY, GITHUB_APP_INSTALLATION_ID: "456" });
    expect(c).toMatchObject({ kind: "github", auth: { type: "app", appId: "123", installationId: 456 } });
    if (c.kind === "github" && c.auth.type === "app") expect(c.auth.privateKey.split("\n")).toHaveLength(3);
  });

  it.each([
    [{ GITHUB_TOKEN: "t" }, /GITHUB_REPOSITORY is missing/],
    [{ GITHUB_REPOSITORY: "o/r" }, /no GitHub credentials: set GITHUB_TOKEN/],
    [{ GITHUB_REPOSITORY: "o/r", GITHUB_APP_ID: "1" }, /GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID are missing/],
    [{ GITHUB_REPOSITORY: "o/r", GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: KEY }, /GITHUB_APP_INSTALLATION_ID is missing/],
    [{ GITHUB_REPOSITORY: "o/r", GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: "secret", GITHUB_APP_INSTALLATION_ID: "2" }, /not a PEM private key/],
    [{ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: KEY, GITHUB_APP_INSTALLATION_ID: "2" }, /keep one of them/],
    [{ GITHUB_REPOSITORY: "not a repo", GITHUB_TOKEN: "t" }, /must be owner\/name/],
    [{ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_CLIENT_ID: "id" }, /GITHUB_CLIENT_SECRET is missing/],
    [{ FORGE: "github" }, /GITHUB_REPOSITORY is missing/],
    [{ FORGE: "github", GITHUB_REPOSITORY: "o/r" }, /FORGE=github but there are no GitHub credentials/],
  ])("refuses a partial configuration %j, naming what is missing", (env, message) => {
    expect(() => loadForgeConfig(env)).toThrow(ForgeConfigError);
    expect(() => loadForgeConfig(env)).toThrow(message);
  });

  it("stays local in GitHub Actions (which sets GITHUB_REPOSITORY by itself) and when FORGE=local", () => {
    expect(loadForgeConfig({ GITHUB_REPOSITORY: "o/r", GITHUB_ACTIONS: "true" })).toEqual({ kind: "local" });
    expect(loadForgeConfig({ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", FORGE: "local" })).toEqual({ kind: "local" });
  });

  it("adds GitHub sign-in when both OAuth variables are set", () => {
    expect(loadForgeConfig({ GITHUB_REPOSITORY: "o/r", GITHUB_TOKEN: "t", GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "s" })).toMatchObject({
      oauth: { clientId: "id", clientSecret: "s" },
    });
  });
});
