/**
 * Stopping the production server, with real signals to real processes:
 *
 * - SIGTERM: no new connections, the request in flight still gets its whole answer, exit 0;
 * - a request that never ends does not hold the process past SHUTDOWN_TIMEOUT (exit 1);
 * - a proposal being delivered when SIGTERM comes is delivered before the process exits;
 * - `npm start`: killing npm's process (or the start script, even with SIGKILL) stops the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { copyContent, ROOT, startAppServer, type AppServer } from "../support/app-server";
import { startGitHubModeApp, type GitHubMode } from "../support/fake-github-app";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Whether a process is alive (a zombie waiting for its parent counts as gone). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A POST whose body is sent in two parts: the request stays in flight until `finish()`. */
function slowPost(server: AppServer, pathname: string, body: string) {
  const half = Math.floor(body.length / 2);
  let resolveResponse!: (r: { status: number; headers: http.IncomingHttpHeaders; body: string }) => void;
  let rejectResponse!: (e: Error) => void;
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });
  const req = http.request(`${server.url}${pathname}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": Buffer.byteLength(body),
      Origin: server.url,
    },
  });
  req.on("response", (res) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (c: string) => (text += c));
    res.on("end", () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    res.on("error", rejectResponse);
  });
  req.on("error", rejectResponse);
  req.write(body.slice(0, half));
  return {
    response,
    finish: () => void req.end(body.slice(half)),
    abandon: () => void req.destroy(),
  };
}

const PREVIEW_FORM = new URLSearchParams({
  kind: "question",
  title: "What does a graceful shutdown wait for?",
  body: "Explain what happens to requests in flight when the server is asked to stop.",
  tags: "deployment",
}).toString();

describe("SIGTERM and SIGINT", () => {
  it("SIGTERM: new connections are refused, the request in flight gets its whole answer, the process exits 0", async () => {
    const server = await startAppServer();
    cleanups.push(() => server.stop());
    const inFlight = slowPost(server, "/contribute/preview", PREVIEW_FORM);
    await new Promise((r) => setTimeout(r, 300));
    server.kill("SIGTERM");
    await until("the server says it is shutting down", () => server.output().includes("shutting down"));
    await expect(fetch(`${server.url}/healthz/live`)).rejects.toThrow();

    inFlight.finish();
    const answer = await inFlight.response;
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe("close");
    // The whole preview: the body the client finished sending after the signal was read and answered.
    expect(JSON.parse(answer.body)).toMatchObject({ question: { title: "What does a graceful shutdown wait for?", html: expect.stringContaining("requests in flight") } });
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/"clean":true,"msg":"stopped"/);
  });

  it("SIGINT with a request that never ends: the process exits at SHUTDOWN_TIMEOUT anyway, with code 1", async () => {
    const server = await startAppServer({ SHUTDOWN_TIMEOUT: "1" });
    cleanups.push(() => server.stop());
    const stuck = slowPost(server, "/contribute/preview", PREVIEW_FORM);
    stuck.response.catch(() => undefined); // the connection is cut: expected
    cleanups.push(() => stuck.abandon());
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    server.kill("SIGINT");
    expect(await server.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.output()).toMatch(/shutdown deadline \(SHUTDOWN_TIMEOUT=1s\) reached/);
  });
});

describe("a delivery in flight", () => {
  let gh: GitHubMode | undefined;

  it("SIGTERM while GitHub is still answering the pull request: the delivery finishes and is recorded before the process exits", async () => {
    gh = await startGitHubModeApp({ env: { PROPOSAL_RATE_LIMIT: "1000", SHUTDOWN_TIMEOUT: "20" } });
    cleanups.push(() => gh!.stop());
    // GitHub opens the pull request, and its answer takes 3 s to come back.
    gh.fake.injectAfter({ path: "pulls/create", delayMs: 3000 });
    const app = gh.app;
    const res = await fetch(`${app.url}/contribute/question`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
      body: new URLSearchParams({
        intent: "submit",
        kind: "question",
        title: "How does the outbox finish a delivery when the server stops?",
        body: "Explain what a graceful shutdown waits for before the process exits.",
        tags: "deployment",
        name: "Grace Hopper",
        licence: "on",
        submissionKey: "shutdown-during-delivery",
      }).toString(),
    });
    expect(res.status).toBe(303);
    const id = /\/contributions\/(.+)$/.exec(res.headers.get("location") ?? "")![1]!;
    await until("GitHub received the pull request", () => gh!.fake.count("pulls/create") === 1, 30_000);
    app.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    const db = new Database(path.join(app.dataDir, "django-questions.sqlite"), { readonly: true });
    const row = db.prepare("SELECT status, pr_number FROM proposals WHERE id = ?").get(id) as { status: string; pr_number: number };
    db.close();
    expect(row).toEqual({ status: "opened", pr_number: gh.fake.pulls()[0]!.number });
    expect(gh.fake.pulls()).toHaveLength(1);
  });
});

describe("npm start", () => {
  function npmStart(): { child: ChildProcess; output: () => string; ready: Promise<{ url: string; serverPid: number }> } {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-data-"));
    const contentDir = copyContent();
    cleanups.push(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(contentDir, { recursive: true, force: true });
    });
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, CONTENT_DIR: contentDir, LOG_REQUESTS: "0", MAINTAINER_TOKEN: "a-maintainer-token-for-npm-start" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const ready = new Promise<{ url: string; serverPid: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${log}`)), 60_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const line = log.split("\n").find((l) => l.includes("ready on http://localhost:"));
        if (!line) return;
        clearTimeout(timer);
        const { pid, port } = JSON.parse(line) as { pid: number; port: number };
        resolve({ url: `http://127.0.0.1:${port}`, serverPid: pid });
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
    });
    return { child, output: () => log, ready };
  }

  it("killing npm's process stops the start script and the server (gracefully), and frees the port", async () => {
    const npm = npmStart();
    const { url, serverPid } = await npm.ready;
    const startPid = parentOf(serverPid);
    cleanups.push(() => {
      for (const pid of [serverPid, startPid]) if (running(pid)) process.kill(pid, "SIGKILL");
    });
    expect((await fetch(`${url}/healthz/live`)).status).toBe(200);
    process.kill(npm.child.pid!, "SIGTERM");
    await until("the server has exited", () => !running(serverPid));
    await until("the start script has exited", () => !running(startPid));
    await expect(fetch(`${url}/healthz/live`)).rejects.toThrow();
    expect(npm.output()).toMatch(/"msg":"stopped"/);
  });

  it("the start script killed with SIGKILL: the server notices and stops", async () => {
    const npm = npmStart();
    const { serverPid } = await npm.ready;
    const startPid = parentOf(serverPid);
    cleanups.push(() => {
      for (const pid of [serverPid, startPid]) if (running(pid)) process.kill(pid, "SIGKILL");
      if (npm.child.exitCode === null) npm.child.kill("SIGKILL");
    });
    process.kill(startPid, "SIGKILL");
    await until("the server has exited", () => !running(serverPid));
    expect(npm.output()).toMatch(/"signal":"parent exited"/);
  });
});
