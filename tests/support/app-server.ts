import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withServerNodeOptions } from "../../scripts/server-node-options.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AppServer {
  url: string;
  contentDir: string;
  dataDir: string;
  /** The server process's id. */
  pid: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop: () => Promise<void>;
  /** Sends a signal (SIGKILL: the instance dies at once, as in a crash). */
  kill: (signal: NodeJS.Signals) => void;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
}

/** Resident memory of a process (Linux: /proc/<pid>/status), or undefined where that cannot be read. */
export function residentBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
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
 * How many questions a content folder holds (folders with a question.md). Tests that count what a
 * page lists compare with the folder the server was started on, so they hold on any valid content
 * (also after questions were merged through the app).
 */
export function questionCount(contentDir: string): number {
  const dir = path.join(contentDir, "questions");
  return fs.readdirSync(dir).filter((slug) => fs.existsSync(path.join(dir, slug, "question.md"))).length;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request to `app` exactly as given, through node:http (fetch refuses TRACE and odd bodies, and follows its own rules for headers). */
export function rawRequest(app: Pick<AppServer, "url">, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Sends a question proposal through the form's endpoint (URL-encoded, as a browser without JavaScript does) and
 * returns the path of its status page. Fields default to a valid proposal; `title`, `body` and `tags` are asked.
 */
export async function proposeQuestion(app: AppServer, fields: { title: string; body: string; tags: string } & Record<string, string>): Promise<string> {
  const res = await fetch(app.url + "/contribute/question", {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name: "Test Contributor", licence: "on", intent: "submit", ...fields }).toString(),
  });
  if (res.status !== 303) throw new Error(`the proposal was not accepted (${res.status}): ${(await res.text()).slice(0, 300)}`);
  return res.headers.get("location")!;
}

/**
 * Start the production server (server.mjs over the current build) on a free
 * port. Resolves once it prints its ready line.
 */
export async function startAppServer(env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<AppServer> {
  const contentDir = env.CONTENT_DIR ?? copyContent();
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "dq-data-"));
  let log = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "server.mjs")], {
    cwd: ROOT,
    // The server's V8 options, as `npm start` and the container image give them.
    env: withServerNodeOptions({
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_REQUESTS: "0",
      ...env,
      CONTENT_DIR: contentDir,
      DATA_DIR: dataDir,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), options.timeoutMs ?? 30_000);
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
    pid: child.pid!,
    output: () => log,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
