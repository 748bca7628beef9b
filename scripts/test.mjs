// `npm test`: every test — typecheck, unit and integration tests (on SQLite and
// PostgreSQL), the browser tests against a production build, then the cluster
// tests (three production servers on one PostgreSQL). Ends with one plain
// summary line. Without PostgreSQL the tests that need it fail, saying how to
// get it; TEST_WITHOUT_POSTGRES=1 skips them on purpose (never in CI).
import "./require-node.mjs";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "dq-test-"));
const only = process.argv.slice(2); // e.g. `npm test -- unit`

function firstLine(text) {
  const line = String(text ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim()) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function run(label, command, args) {
  console.log(`\n━━ ${label} ━━`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" } });
  console.log(`━━ ${label}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result.status === 0;
}

const stages = [
  { id: "typecheck", label: "Typecheck", command: "npx", args: ["tsc", "--noEmit"] },
  { id: "unit", label: "Unit and integration tests", command: "npx", args: ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "unit.json")}`] },
  { id: "browser", label: "Browser tests (Chromium)", command: "npx", args: ["vitest", "run", "--config", "vitest.browser.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "browser.json")}`] },
  { id: "cluster", label: "Cluster tests (three servers, one PostgreSQL)", command: "npx", args: ["vitest", "run", "--config", "vitest.cluster.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "cluster.json")}`] },
];

let passed = 0;
let failed = 0;
const failures = []; // "stage › file › test: first line of the message", printed again at the end
let skipped = 0;
let ok = true;
for (const stage of stages) {
  if (only.length && !only.includes(stage.id)) continue;
  const stageOk = run(stage.label, stage.command, stage.args);
  ok &&= stageOk;
  const report = path.join(reports, `${stage.id}.json`);
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      const where = path.relative(root, file.name);
      const tests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of tests) failures.push(`${stage.id} › ${where} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      if (!tests.length && file.status === "failed") failures.push(`${stage.id} › ${where}: ${firstLine(file.message)}`);
    }
    // A suite that failed to load counts as a failure even with no test in it.
    if (!stageOk && r.numFailedTests === 0) failed += 1;
  } else if (!stageOk) {
    failed += 1; // the typecheck, or a runner that crashed before reporting
    failures.push(`${stage.id}: failed (see its output above)`);
  }
}
if (failures.length) {
  // Repeated at the end, where a CI log's tail shows it.
  console.log(`\nFailed:\n${failures.map((f) => `  ✗ ${f}`).join("\n")}`);
}
if (["1", "true", "yes"].includes((process.env.TEST_WITHOUT_POSTGRES ?? "").trim().toLowerCase())) {
  console.log("\nTEST_WITHOUT_POSTGRES=1: the PostgreSQL and cluster tests were skipped — not a full run.");
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(ok && failed === 0 ? 0 : 1);
