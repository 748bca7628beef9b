// `npm start`: build when the sources are newer than the build, then serve it.
//
// Stopping: SIGINT, SIGTERM and SIGHUP are passed on to the server, which shuts down gracefully
// (server.mjs). `npm start` runs this script under `sh -c`, and killing npm's process does not
// reach us (the shell dies without passing the signal on): so this script also watches its parent,
// and when it is orphaned it stops the server as if it had been sent SIGTERM. The server in turn
// has an IPC channel to this script and shuts down when the channel closes (this script killed).
import "./require-node.mjs";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withServerNodeOptions } from "./server-node-options.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = spawnSync(process.execPath, [path.join(root, "scripts/build-if-needed.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(process.execPath, [path.join(root, "server.mjs")], {
  cwd: root,
  stdio: ["inherit", "inherit", "inherit", "ipc"],
  env: withServerNodeOptions({ NODE_ENV: "production", ...process.env }),
});

let forwarded = false;
function stop(signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  forwarded = true;
  child.kill(signal);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal === "SIGHUP" ? "SIGTERM" : signal));

const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid !== parent && !forwarded) stop("SIGTERM");
}, 250);

child.on("exit", (code, signal) => {
  clearInterval(watch);
  process.exit(code ?? (signal ? 1 : 0));
});
