/**
 * Malformed requests against the production server: each gets a 400, 405 or
 * 415 with a clear message — never a 500 — and logs one line, never a stack
 * trace (app/modules/server/bad-input.server.ts). Nothing is stored.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startAppServer, type AppServer } from "../support/app-server";

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ PROPOSAL_RATE_LIMIT: "1000" });
});
afterAll(async () => {
  await server?.stop();
});

/** A request exactly as given (fetch refuses TRACE and odd bodies). */
const raw = (method: string, target: string, headers?: Record<string, string>, body?: string) => rawRequest(server, method, target, headers, body);

function storedProposals(): number {
  const file = path.join(server.dataDir, "django-questions.sqlite");
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM proposals").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const FORM = "/contribute/question";

const CASES: { name: string; method: string; path: string; headers?: Record<string, string>; body?: string; status: number; says: RegExp }[] = [
  { name: "a POST with no body", method: "POST", path: FORM, status: 400, says: /no body/ },
  { name: "a POST with an empty body and no type", method: "POST", path: FORM, headers: { "Content-Length": "0" }, body: "", status: 400, says: /no body/ },
  { name: "JSON", method: "POST", path: FORM, headers: { "Content-Type": "application/json" }, body: '{"title":"x"}', status: 415, says: /application\/json is not accepted.*x-www-form-urlencoded/ },
  { name: "text/plain", method: "POST", path: FORM, headers: { "Content-Type": "text/plain" }, body: "title=x", status: 415, says: /text\/plain is not accepted/ },
  { name: "a body without a type", method: "POST", path: FORM, headers: { "Content-Length": "7" }, body: "title=x", status: 415, says: /no Content-Type/ },
  {
    name: "a broken multipart body",
    method: "POST",
    path: FORM,
    headers: { "Content-Type": "multipart/form-data; boundary=XYZ" },
    body: "--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nunterminated",
    status: 400,
    says: /multipart form data is malformed/,
  },
  { name: "multipart without a boundary", method: "POST", path: FORM, headers: { "Content-Type": "multipart/form-data" }, body: "x", status: 400, says: /no boundary/ },
  { name: "a broken multipart preview", method: "POST", path: "/contribute/preview", headers: { "Content-Type": "multipart/form-data; boundary=b" }, body: "garbage", status: 400, says: /malformed/ },
  { name: "a JSON sign-in", method: "POST", path: "/auth/token", headers: { "Content-Type": "application/json" }, body: '{"token":"x"}', status: 415, says: /not accepted/ },
  { name: "TRACE", method: "TRACE", path: "/", status: 405, says: /TRACE is not allowed.*GET, HEAD, POST/ },
  { name: "PUT", method: "PUT", path: FORM, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b", status: 405, says: /PUT is not allowed/ },
  { name: "DELETE", method: "DELETE", path: "/q/1", status: 405, says: /DELETE is not allowed/ },
  { name: "PATCH", method: "PATCH", path: "/review", status: 405, says: /PATCH is not allowed/ },
];

describe("malformed requests", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.status} with a clear message`, async () => {
      const res = await raw(c.method, c.path, c.headers, c.body);
      expect(res.status).toBe(c.status);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.text).toMatch(c.says);
      if (c.status === 405) expect(res.headers.allow).toBe("GET, HEAD, POST");
    });
  }

  it("OPTIONS lists the methods (and grants other sites nothing)", async () => {
    const res = await raw("OPTIONS", "/");
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("a form posted to a page that has none: 405, the site's error page", async () => {
    const res = await raw("POST", "/search", { "Content-Type": "application/x-www-form-urlencoded" }, "q=x");
    expect(res.status).toBe(405);
    expect(res.text).toContain("Error 405");
  });

  it("a form with broken percent-encoding is read as a form: the fields' errors, not a 500", async () => {
    const res = await raw("POST", FORM, { "Content-Type": "application/x-www-form-urlencoded" }, "title=%zz%&body=%E0%A4%A&intent=submit");
    expect(res.status).toBe(422);
    expect(res.text).toContain("error-summary");
  });

  it("a valid multipart form still works", async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ title: "Why is multipart accepted by the forms?", body: "Why does the form accept multipart bodies too?", tags: "security", name: "Multi Part", licence: "on", intent: "submit" })) {
      form.append(k, v);
    }
    const before = storedProposals();
    const log = server.output().length;
    const res = await fetch(server.url + FORM, { method: "POST", body: form, redirect: "manual" });
    expect(res.status).toBe(303);
    expect(storedProposals()).toBe(before + 1);
    // The outbox delivers it in the background (one log line): let that happen here, not in the next test.
    for (let i = 0; i < 100 && !server.output().slice(log).includes("proposal delivered"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.output().slice(log)).toContain("proposal delivered");
  });

  it("stores nothing for them, stays healthy, and logs one line per client error — never a stack trace", async () => {
    const before = storedProposals();
    const log = server.output().length;
    for (const c of CASES) await raw(c.method, c.path, c.headers, c.body);
    await raw("POST", "/search", { "Content-Type": "application/x-www-form-urlencoded" }, "q=x");
    expect(storedProposals()).toBe(before);
    expect((await fetch(server.url + "/healthz")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // let the child's output arrive
    // The server logs JSON lines (pino); a line's message is its `msg`.
    const lines = server
      .output()
      .slice(log)
      .split("\n")
      .filter(Boolean)
      .map((l) => (l.startsWith("{") ? String((JSON.parse(l) as { msg?: unknown }).msg) : l));
    expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
    expect(lines.filter((l) => /Error:/.test(l))).toEqual([]);
    expect(lines).toHaveLength(CASES.length + 1);
    for (const line of lines) expect(line).toMatch(/^client error (400|405|415) [A-Z]+ \/\S* ?: .+/);
  });
});
