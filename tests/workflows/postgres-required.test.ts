/**
 * The PostgreSQL tests never pass silently: run against a server that is not
 * there, they fail, and say how to get PostgreSQL; only TEST_WITHOUT_POSTGRES=1
 * skips them, and the run says so. (A nested `vitest run` of the sequence
 * tests, which run on both dialects.)
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function runSequenceTests(extraEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, CI: "1", FORCE_COLOR: "0" };
  if (!("TEST_WITHOUT_POSTGRES" in extraEnv)) delete env.TEST_WITHOUT_POSTGRES;
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "app/modules/db/db.test.ts", "-t", "named counters"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("PostgreSQL tests without PostgreSQL", () => {
  it("fail, naming the server and how to get PostgreSQL", () => {
    const run = runSequenceTests({ TEST_DATABASE_URL: "postgres://nobody@127.0.0.1:1/postgres" });
    expect(run.status, run.output).toBe(1);
    expect(run.output).toMatch(/named counters \(sequences\) \[postgres\]/);
    expect(run.output).toMatch(/1 failed/);
    expect(run.output).toMatch(/PostgreSQL is not reachable at nobody@127\.0\.0\.1:1\/postgres/);
    expect(run.output).toMatch(/sudo apt-get install -y postgresql/);
    expect(run.output).toMatch(/docker compose up -d postgres/);
  });

  it("are skipped only with TEST_WITHOUT_POSTGRES=1, and the run says it is not a full one", () => {
    const run = runSequenceTests({ TEST_DATABASE_URL: "postgres://nobody@127.0.0.1:1/postgres", TEST_WITHOUT_POSTGRES: "1" });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/1 passed/);
    expect(run.output).toMatch(/skipped/);
    expect(run.output).toMatch(/TEST_WITHOUT_POSTGRES=1: the PostgreSQL tests are skipped\. This is not a full run\./);
  });
});
