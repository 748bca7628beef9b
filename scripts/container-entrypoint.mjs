// The container's command (Dockerfile): prepares the content checkout, then runs the server.
//
// CONTENT_GIT_URL set (the content repository, e.g. https://github.com/OWNER/REPO.git, with a
// read token in the URL for a private one): on the first start it is cloned into CONTENT_CHECKOUT
// (a volume of this instance), and the site serves CONTENT_CHECKOUT/content — a git checkout, so
// the push webhook and the poll fast-forward it (live updates). Unset: the content bundled in the
// image (CONTENT_DIR) is served as it is, without live updates.
import "./require-node.mjs";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const env = process.env;
const url = env.CONTENT_GIT_URL?.trim();
if (url) {
  const checkout = path.resolve(env.CONTENT_CHECKOUT?.trim() || "/data/content-repository");
  if (!fs.existsSync(path.join(checkout, ".git"))) {
    console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), msg: `cloning the content repository into ${checkout}` }));
    fs.mkdirSync(path.dirname(checkout), { recursive: true });
    execFileSync("git", ["clone", "--quiet", url, checkout], { stdio: "inherit", env: { ...env, GIT_TERMINAL_PROMPT: "0" } });
  }
  process.env.CONTENT_DIR = path.join(checkout, "content");
}
await import("../server.mjs");
