import { readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { RequestError } from "octokit";
import { KEPT_OPERATIONS, trimSpec } from "../../scripts/trim-openapi.js";
import { loadValidator, OPENAPI_FIXTURE } from "./openapi-validator.js";
import { startFakeGitHub, type FakeGitHub } from "./server.js";
import { octokitFor } from "./helpers.js";
import { EMPTY_TREE_SHA, ObjectStore, lineDiff } from "./git.js";

describe("the trimmed OpenAPI fixture", () => {
  it("is small, records its source, and holds every operation the fake serves", () => {
    expect(statSync(OPENAPI_FIXTURE).size).toBeLessThan(2 * 1024 * 1024);
    const spec = JSON.parse(readFileSync(OPENAPI_FIXTURE, "utf8")) as {
      info: Record<string, string>;
      paths: Record<string, Record<string, unknown>>;
      components: Record<string, Record<string, unknown>>;
    };
    expect(spec.info["x-trimmed-from"]).toMatch(/^@octokit\/openapi@\d+\.\d+\.\d+$/);
    for (const [method, path] of KEPT_OPERATIONS) expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(spec.components.examples).toBeUndefined();
    // Every $ref resolves inside the fixture.
    const text = JSON.stringify(spec);
    for (const [, section, name] of text.matchAll(/"#\/components\/([^/"]+)\/([^"]+)"/g)) {
      expect(spec.components[section!]?.[name!], `${section}/${name}`).toBeDefined();
    }
  });

  it("trimSpec keeps referenced components transitively and drops unreferenced ones and examples", () => {
    const full = {
      openapi: "3.0.3",
      info: { version: "1.2.3" },
      paths: {
        "/rate_limit": {
          get: {
            operationId: "rate-limit/get",
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: { $ref: "#/components/schemas/a" },
                    examples: { default: { $ref: "#/components/examples/big" } },
                  },
                },
              },
            },
          },
        },
        "/unrelated": { get: { operationId: "x", responses: { "200": { $ref: "#/components/responses/unused" } } } },
      },
      components: {
        schemas: { a: { properties: { b: { $ref: "#/components/schemas/b" } } }, b: { type: "string" }, c: { type: "integer" } },
        examples: { big: { value: "…" } },
        responses: { unused: { description: "no" } },
      },
    };
    const { spec, missing } = trimSpec(full, "@octokit/openapi@1.2.3");
    expect(Object.keys(spec.paths as object)).toEqual(["/rate_limit"]);
    expect(Object.keys((spec.components as { schemas: object }).schemas)).toEqual(["a", "b"]);
    expect((spec.components as Record<string, unknown>).responses).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain("examples/big");
    expect((spec.info as Record<string, string>)["x-trimmed-from"]).toBe("@octokit/openapi@1.2.3");
    expect(missing).toContain("GET /repos/{owner}/{repo}");
  });
});

describe("request validation", () => {
  const v = loadValidator();

  it("matches multi-segment parameters (refs, paths, basehead) whether slashes are encoded or not", () => {
    expect(v.match("GET", "/repos/o/r/git/ref/heads%2Ffeature%2Fx")?.params.ref).toBe("heads/feature/x");
    expect(v.match("GET", "/repos/o/r/git/ref/heads/feature/x")?.params.ref).toBe("heads/feature/x");
    expect(v.match("GET", "/repos/o/r/contents/content/questions/a/question.md")).toMatchObject({
      operationId: "repos/get-content",
      params: { path: "content/questions/a/question.md" },
    });
    expect(v.match("GET", "/repos/o/r/compare/main...contrib%2Fq-1")?.params.basehead).toBe("main...contrib/q-1");
    expect(v.match("GET", "/repos/o/r/commits/heads%2Fmain/check-runs")?.operationId).toBe("checks/list-for-ref");
    expect(v.match("POST", "/repos/o/r/git/refs")?.operationId).toBe("git/create-ref");
    expect(v.match("PATCH", "/repos/o/r/git/refs/heads/main")?.operationId).toBe("git/update-ref");
    expect(v.match("GET", "/user")?.operationId).toBe("users/get-authenticated");
    expect(v.match("GET", "/users/alice")?.operationId).toBe("users/get-by-username");
  });

  it("reports missing required fields, wrong types, unknown enum values and bad query parameters with operationId and pointer", () => {
    const r = v.validateRequest({ method: "POST", path: "/repos/o/r/pulls", body: { title: 5, base: "main" } });
    expect(r.violations).toEqual(["pulls/create body/head: must have required property 'head'", "pulls/create body/title: must be string"]);

    const tree = v.validateRequest({ method: "POST", path: "/repos/o/r/git/trees", body: { tree: [{ path: "a", mode: "100600", type: "blob", sha: null }] } });
    expect(tree.violations).toHaveLength(1);
    expect(tree.violations[0]).toMatch(/^git\/create-tree body\/tree\/0\/mode: must be equal to one of the allowed values/);

    const q = v.validateRequest({ method: "GET", path: "/repos/o/r/pulls", query: new URLSearchParams("state=opne&per_page=ten") });
    expect(q.violations).toEqual([
      'pulls/list query/state: must be equal to one of the allowed values: "open", "closed", "all"',
      "pulls/list query/per_page: must be integer",
    ]);
    const ok = v.validateRequest({ method: "GET", path: "/repos/o/r/pulls", query: new URLSearchParams("state=all&per_page=100&head=o:b") });
    expect(ok.violations).toEqual([]);
    expect(ok.query).toEqual({ state: "all", per_page: 100, head: "o:b" });

    expect(v.validateRequest({ method: "GET", path: "/repos/o/r/pulls/abc" })).toMatchObject({ badPathParam: true });
    expect(v.validateRequest({ method: "POST", path: "/repos/o/r/git/blobs" }).violations).toEqual([
      "git/create-blob body/: a request body is required",
    ]);
    expect(v.validateRequest({ method: "PUT", path: "/repos/o/r/pulls" })).toMatchObject({ unknownRoute: true });
    expect(v.validateRequest({ method: "GET", path: "/repos/o/r/issues" }).violations[0]).toMatch(/no operation in the spec matches/);
  });

  it("forbids additional properties where the spec does, and accepts OpenAPI `nullable`", () => {
    // public-user has additionalProperties: false; pull-request.body is nullable.
    const user = v.validateResponse("users/get-by-username", 200, { login: "x" });
    expect(user).toContain("users/get-by-username response 200/id: must have required property 'id'");
    expect(v.validateResponse("users/get-by-username", 200, { ...PUBLIC_USER, favourite_colour: "blue" }).join("\n")).toContain(
      "must NOT have additional properties (not allowed: 'favourite_colour')",
    );
    expect(v.validateResponse("users/get-by-username", 200, PUBLIC_USER)).toEqual([]);
    expect(v.validateResponse("users/get-by-username", 200, { ...PUBLIC_USER, name: null, email: null })).toEqual([]);
    expect(v.validateResponse("users/get-by-username", 200, { ...PUBLIC_USER, email: "not-an-email" }).join()).toContain('must match format "email"');
  });

  it("checks responses: undocumented 2xx statuses and missing fields are violations", () => {
    expect(v.validateResponse("git/create-ref", 200, {})[0]).toMatch(/response status 200 is not documented/);
    expect(v.validateResponse("git/create-ref", 201, { ref: "refs/heads/x", url: "http://x/y" })).toEqual([
      "git/create-ref response 201/node_id: must have required property 'node_id'",
      "git/create-ref response 201/object: must have required property 'object'",
    ]);
    // Error statuses are checked against basic-error / validation-error when documented.
    expect(v.validateResponse("git/create-ref", 422, { message: "Reference already exists", documentation_url: "https://docs.github.com" })).toEqual([]);
  });
});

describe("strict mode catches the fake's own dishonest responses", () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it("a request that GitHub would reject gets 422 and is listed as a violation", async () => {
    fake = await startFakeGitHub({ users: [{ login: "alice", token: "t", permission: "write" }] });
    const octokit = octokitFor(fake.url, "t");
    const error = await octokit
      .request("POST /repos/{owner}/{repo}/pulls", { owner: "django-questions", repo: "content", title: 5 as unknown as string } as never)
      .then(() => undefined, (e: unknown) => e as RequestError);
    expect(error?.status).toBe(422);
    expect((error?.response?.data as { message: string }).message).toMatch(/^Invalid request\.\n\n/);
    expect(fake.violations).toEqual([
      "pulls/create body/head: must have required property 'head'",
      "pulls/create body/base: must have required property 'base'",
      "pulls/create body/title: must be string",
    ]);
    expect(fake.pulls()).toEqual([]);
    expect(fake.requests.at(-1)).toMatchObject({ method: "POST", path: "/repos/django-questions/content/pulls", status: 422, operationId: "pulls/create" });
    expect(() => fake!.assertNoViolations()).toThrow(/pulls\/create body\/head/);

    const unknown = await octokit.request("GET /repos/{owner}/{repo}/hooks", { owner: "django-questions", repo: "content" }).catch((e: RequestError) => e);
    expect((unknown as RequestError).status).toBe(404);
    expect(fake.violations.at(-1)).toMatch(/GET \/repos\/django-questions\/content\/hooks: no operation/);
  });
});

describe("git object hashing", () => {
  it("gives the SHAs git gives", () => {
    const store = new ObjectStore();
    // `printf 'hello\n' | git hash-object --stdin`
    expect(store.putBlob("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(store.putTree([])).toBe(EMPTY_TREE_SHA);
    // `git mktree` of one file `hello.txt` with the blob above.
    expect(store.putTree([{ name: "hello.txt", mode: "100644", type: "blob", sha: "ce013625030ba8dba906f756967f9e9ca394464a" }])).toBe(
      "aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7",
    );
  });

  it("orders nested trees like git and hashes commits like `git commit-tree`", () => {
    const store = new ObjectStore();
    const flat = new Map([
      ["a/b.txt", { mode: "100644", type: "blob" as const, sha: store.putBlob("x\n") }],
      ["a.txt", { mode: "100644", type: "blob" as const, sha: store.putBlob("y\n") }],
      ["a-b", { mode: "100644", type: "blob" as const, sha: store.putBlob("z\n") }],
    ]);
    const tree = store.buildTree(flat);
    expect(tree).toBe("bd11e26ba7864cb337249c149feca0000a91be34");
    const who = { name: "A", email: "a@x", date: "2024-01-01T00:00:00Z" };
    expect(store.putCommit({ tree, parents: [], author: who, committer: who, message: "msg\n" })).toBe("7f759ae61bd37ab519baae6ce7d69a1597fb8865");
    expect([...store.flatten(tree).keys()].sort()).toEqual(["a-b", "a.txt", "a/b.txt"]);
  });

  it("produces unified-diff patches with GitHub's counts", () => {
    const d = lineDiff("a\nb\nc\n", "a\nB\nc\nd\n");
    expect([d.additions, d.deletions]).toEqual([2, 1]);
    expect(d.patch).toBe("@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d");
  });
});

const PUBLIC_USER = {
  login: "alice",
  id: 1,
  node_id: "MDQ6VXNlcjE=",
  avatar_url: "https://avatars.githubusercontent.com/u/1?v=4",
  gravatar_id: "",
  url: "https://api.github.com/users/alice",
  html_url: "https://github.com/alice",
  followers_url: "https://api.github.com/users/alice/followers",
  following_url: "https://api.github.com/users/alice/following{/other_user}",
  gists_url: "https://api.github.com/users/alice/gists{/gist_id}",
  starred_url: "https://api.github.com/users/alice/starred{/owner}{/repo}",
  subscriptions_url: "https://api.github.com/users/alice/subscriptions",
  organizations_url: "https://api.github.com/users/alice/orgs",
  repos_url: "https://api.github.com/users/alice/repos",
  events_url: "https://api.github.com/users/alice/events{/privacy}",
  received_events_url: "https://api.github.com/users/alice/received_events",
  type: "User",
  site_admin: false,
  name: "Alice",
  company: null,
  blog: "",
  location: null,
  email: "alice@example.org",
  hireable: null,
  bio: null,
  public_repos: 1,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: "2024-01-01T00:00:00Z",
  updated_at: "2024-01-01T00:00:00Z",
};
