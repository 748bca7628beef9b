/**
 * A separate process that runs the outbox with the GitHub forge, so a test can
 * kill it (SIGKILL) in the middle of a delivery. Run with
 * `node --import tsx tests/contributions/outbox-worker.ts <dataDir> <apiUrl> <token>`.
 * Prints "ready" once the outbox runs and "done" when nothing is left to deliver.
 */
import Bottleneck from "bottleneck";
import { startOutbox } from "~/modules/contributions/outbox.server";
import { sqliteDataLayer } from "~/modules/db/data.server";
import { openDatabase } from "~/modules/db/index.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";

const [dataDir, apiUrl, token] = process.argv.slice(2);
if (!dataDir || !apiUrl || !token) throw new Error("usage: outbox-worker.ts <dataDir> <apiUrl> <token>");

const db = openDatabase(dataDir);
const forge = createGitHubForge(
  { kind: "github", owner: "django-questions", repo: "content", apiUrl, auth: { type: "token", token } },
  {
    requestTimeoutMs: 60_000,
    retries: 0,
    throttleGroups: {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    },
    log: { warn() {}, info() {} },
  },
);
const quiet = { info() {}, warn() {}, error() {} };
const box = startOutbox({ data: sqliteDataLayer(db), forge, intervalMs: 60_000, log: quiet });
console.log("ready");
await box.drain();
console.log("done");
await box.stop();
db.close();
