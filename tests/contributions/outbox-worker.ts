/**
 * A separate process that runs the outbox with the GitHub forge, so a test can
 * kill it (SIGKILL) in the middle of a delivery. Run with
 * `node --import tsx tests/contributions/outbox-worker.ts <dataDir | postgres://…> <apiUrl> <token>`.
 * Prints "ready" once the outbox runs and "done" when nothing is left to deliver.
 */
import { startOutbox } from "~/modules/contributions/outbox.server";
import { openPostgresDataLayer, sqliteDataLayer } from "~/modules/db/data.server";
import { openDatabase } from "~/modules/db/index.server";
import { createGitHubForge } from "~/modules/forge/github/index.server";
import { testForgeDeps } from "../support/forge-deps";

const [dataDir, apiUrl, token] = process.argv.slice(2);
if (!dataDir || !apiUrl || !token) throw new Error("usage: outbox-worker.ts <dataDir> <apiUrl> <token>");

const postgres = /^postgres(ql)?:\/\//.test(dataDir);
const db = postgres ? undefined : openDatabase(dataDir);
const data = db ? sqliteDataLayer(db) : await openPostgresDataLayer(dataDir, { migrate: false, max: 2 });
const forge = createGitHubForge(
  { kind: "github", owner: "django-questions", repo: "content", apiUrl, auth: { type: "token", token } },
  testForgeDeps({ requestTimeoutMs: 60_000 }),
);
const quiet = { info() {}, warn() {}, error() {} };
const box = startOutbox({ data, forge, intervalMs: 60_000, log: quiet });
console.log("ready");
await box.drain();
console.log("done");
await box.stop();
await data.close();
db?.close();
