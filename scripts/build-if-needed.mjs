// Build the site when the sources are newer than the build (used by `npm start` and the browser tests).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const built = path.join(root, "build/server/index.js");

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(p));
    else latest = Math.max(latest, fs.statSync(p).mtimeMs);
  }
  return latest;
}

function needsBuild() {
  if (!fs.existsSync(built)) return true;
  const buildTime = fs.statSync(built).mtimeMs;
  const inputs = ["app", "public"].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const configs = ["vite.config.ts", "package.json", "package-lock.json"].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  return Math.max(...inputs.map(newest), ...configs.map((f) => fs.statSync(f).mtimeMs)) > buildTime;
}

// One build at a time (tests, `npm start` and the benchmark may ask together).
const lock = path.join(root, ".build.lock");
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
function acquire() {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch {
      // a lock older than 10 minutes was left by a killed build
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error("timed out waiting for another build");
      sleep(250);
    }
  }
}

acquire();
try {
  if (process.argv.includes("--force") || needsBuild()) {
    console.log("Building the site (sources changed since the last build)…");
    // NODE_ENV=production whatever the caller has (vitest sets "test", which would build React for development).
    const result = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
} finally {
  fs.rmSync(lock, { recursive: true, force: true });
}
