import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AppServer {
  url: string;
  contentDir: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** A private copy of the content folder, so tests may change it freely. */
export function copyContent(target = fs.mkdtempSync(path.join(os.tmpdir(), "dq-content-"))): string {
  fs.cpSync(path.join(ROOT, "content"), target, { recursive: true });
  return target;
}

/** The highest question number in a content folder (what a new question follows); 0 for none. */
export function highestQuestionNumber(contentDir: string): number {
  const dir = path.join(contentDir, "questions");
  const numbers = fs.readdirSync(dir).flatMap((slug) => {
    const file = path.join(dir, slug, "question.md");
    const m = fs.existsSync(file) ? /^number:\s*(\d+)\s*$/m.exec(fs.readFileSync(file, "utf8")) : null;
    return m ? [Number(m[1])] : [];
  });
  return Math.max(0, ...numbers);
}

/**
 * Start the production server (server.mjs over the current build) on a free
 * port. Resolves once it prints its ready line.
 */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const contentDir = env.CONTENT_DIR ?? copyContent();
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "dq-data-"));
  let log = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "server.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_REQUESTS: "0",
      ...env,
      CONTENT_DIR: contentDir,
      DATA_DIR: dataDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /ready on (http:\/\/localhost:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    contentDir,
    dataDir,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
