import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../support/app-server";

/** Build once before the browser tests (unless the build is current). */
export default function setup() {
  if (process.env.SKIP_BUILD === "1") return;
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-if-needed.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("build failed");
}
