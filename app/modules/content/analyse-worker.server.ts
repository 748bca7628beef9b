/**
 * Parsing and checking many files at once (a start without a cache, a git
 * pull of a whole folder) in helper processes, one per core (at most four):
 * the work runs in parallel, the request thread stays free, and the parsers'
 * memory lives and dies with the helpers — a process gives all of it back to
 * the system when it exits, which a worker thread's native memory did not
 * (measured: ~150 MB of the server's RSS stayed behind after a cold start of
 * 5,000 questions with `worker_threads`).
 *
 * The production server is one bundle (build/server/index.js); a helper is
 * that same bundle started with DQ_CONTENT_ANALYSIS=1, and the bundle's copy
 * of this file (below) answers the requests over the IPC channel. Given a
 * folder and paths, a helper reads the files itself; texts come back as UTF-8
 * (`textBytes`), never as strings in the server's heap (decisions/035). Only
 * `analyseContent` runs there: pure, plain data in and out (analyse.ts). In
 * development and tests, where there is no bundle, the store analyses in
 * slices on its own thread.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { analyseContent, withoutBody, withTextBytes, type AnalysedFile, type HashedFile } from "./analyse";
import { readHashedContentFiles } from "./read-folder.server";

const ROLE_ENV = "DQ_CONTENT_ANALYSIS";

/** Files to analyse: given with their bytes, or named in a folder for the helper to read (the server then never holds their bytes). */
export type AnalysisInput = HashedFile[] | { dir: string; paths: string[] };

type Request = { id: number; files: HashedFile[] } | { id: number; dir: string; paths: string[] };
type Reply = { id: number; analyses: AnalysedFile[] } | { id: number; error: string };

// In a helper started by `processAnalyser`: answer requests until the channel closes.
if (process.env[ROLE_ENV] === "1" && typeof process.send === "function") {
  // One request at a time per helper: the server sends the next batch once this one is answered.
  process.on("message", async (request: Request) => {
    let reply: Reply;
    try {
      // A file gone meanwhile is left out: its own reload tells the server.
      const files = "files" in request ? request.files : await readHashedContentFiles(request.dir, request.paths);
      // Bodies stay behind: the server reads them from the files (analyse.ts, attachBody); texts travel as UTF-8.
      reply = { id: request.id, analyses: analyseContent(files).map((a) => withTextBytes(withoutBody(a))) };
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    process.send!(reply);
  });
  process.on("disconnect", () => process.exit(0));
}

/** A background helper's niceness (0 is the site's, 19 the lowest): the system runs the site first. */
const BACKGROUND_PRIORITY = 10;

/** Files sent to a helper at a time. */
const BATCH = 48;

/** How many helpers: one per core the process may use, at most four, and no more than there are batches. */
export function helperCount(batches: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), 4, batches));
}

/**
 * An analyser that starts helper processes running `moduleUrl` (a bundle
 * containing this file) for one call and ends them when it is done. Results
 * come back in the order of `files`, without their models' bodies (the
 * caller attaches them: `attachBody`).
 */
export function processAnalyser(moduleUrl: string): (input: AnalysisInput, options?: { background?: boolean }) => Promise<AnalysedFile[]> {
  return async (input, options = {}) => {
    const batches: Array<Omit<Request, "id">> = [];
    if (Array.isArray(input)) for (let i = 0; i < input.length; i += BATCH) batches.push({ files: input.slice(i, i + BATCH) });
    else for (let i = 0; i < input.paths.length; i += BATCH) batches.push({ dir: input.dir, paths: input.paths.slice(i, i + BATCH) });
    const results = new Array<AnalysedFile[]>(batches.length);
    let next = 0;
    const helpers: ChildProcess[] = [];
    const run = (helper: ChildProcess) =>
      new Promise<void>((resolve, reject) => {
        const send = () => {
          if (next >= batches.length) return resolve();
          const id = next++;
          helper.send({ id, ...batches[id]! } as Request);
        };
        helper.on("message", (reply: Reply) => {
          if ("error" in reply) return reject(new Error(`content analysis helper: ${reply.error}`));
          results[reply.id] = reply.analyses;
          send();
        });
        helper.once("error", reject);
        // Before every batch is answered (after that, `finally` ends the helpers and the promise is settled).
        helper.once("exit", (code, signal) => reject(new Error(`content analysis helper exited (${signal ?? `code ${code}`})`)));
        send();
      });
    try {
      // In the background (the site serving meanwhile) one core is left to the site, and the helpers yield to it.
      const count = options.background ? Math.max(1, helperCount(batches.length) - 1) : helperCount(batches.length);
      for (let i = 0; i < count; i++) {
        const helper = fork(fileURLToPath(moduleUrl), [], {
          env: { ...process.env, [ROLE_ENV]: "1" },
          execArgv: [],
          serialization: "advanced",
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        helpers.push(helper);
        if (options.background && helper.pid !== undefined) {
          try {
            os.setPriority(helper.pid, BACKGROUND_PRIORITY);
          } catch {
            // Not allowed here: the helper runs at the site's priority.
          }
        }
      }
      await Promise.all(helpers.map(run));
    } finally {
      await Promise.all(
        helpers.map((h) => {
          h.removeAllListeners("exit");
          // Never started (pid undefined) or already gone: nothing to wait for.
          if (h.pid === undefined || h.exitCode !== null || h.signalCode !== null) return undefined;
          const exited = new Promise((resolve) => h.once("exit", resolve));
          if (h.connected) h.disconnect();
          else h.kill();
          return exited;
        }),
      );
    }
    return results.flat();
  };
}
