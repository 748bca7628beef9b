/**
 * Security and robustness of the production server (server.mjs over the
 * build), from the outside: XSS payloads in content files and proposals,
 * page-cache and header safety, path traversal, request limits, redirects,
 * error pages and the Content-Security-Policy. One server for the file.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyContent, highestQuestionNumber, ROOT, startAppServer, type AppServer } from "../support/app-server";

const SLUG = "hostile-probe";
const TOKEN = "hardening-maintainer-token-0123456789";
let server: AppServer;
let port: number;
/** The hostile question's number: the next free one of the content it is added to. */
let NUMBER: number;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A request exactly as given (no URL normalisation, any Host header), through node:http. */
function raw(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer, chunked = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined && chunked) {
      // No Content-Length: node sends Transfer-Encoding: chunked.
      const buf = Buffer.from(body);
      for (let i = 0; i < buf.length; i += 16 * 1024) req.write(buf.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

const get = (target: string, headers: Record<string, string> = {}) => raw("GET", target, headers);

function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return params.toString();
}

const post = (target: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
  raw("POST", target, { "Content-Type": "application/x-www-form-urlencoded", ...headers }, form(fields));

/** The CSP nonce of a response, checked against every script of its HTML. */
function checkNonce(res: Raw): string {
  const csp = String(res.headers["content-security-policy"] ?? "");
  const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp)?.[1];
  expect(nonce, "Content-Security-Policy with a nonce").toBeTruthy();
  expect(csp).toContain("object-src 'none'");
  // Attribute values may hold escaped text such as `</h2><script>` (an aria-label): count real tags only.
  const scripts = (withoutAttributeValues(res.text).match(/<script\b/g) ?? []).length;
  expect(scripts).toBeGreaterThan(0);
  expect((res.text.match(new RegExp(`<script nonce="${nonce}"`, "g")) ?? []).length).toBe(scripts);
  expect(res.text).not.toContain("__CSP_NONCE");
  return nonce!;
}

/** React and rehype double-quote attribute values and escape `"` inside them. */
function withoutAttributeValues(html: string): string {
  return html.replace(/="[^"]*"/g, '=""');
}

/** Element tags that could run script in a page. Attribute values are only read for URLs. */
function scriptable(html: string): string[] {
  const found: string[] = [];
  for (const tag of withoutAttributeValues(html).match(/<[a-zA-Z][^>]*>/g) ?? []) {
    if (/^<(iframe|object|embed|svg|math|base)\b/i.test(tag)) found.push(tag);
    if (/^<script\b/i.test(tag) && !/\bnonce=/.test(tag)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) found.push(tag);
  }
  for (const m of html.matchAll(/\s(?:href|src|action|formaction)="\s*(?:javascript|vbscript|data):[^"]*"/gi)) found.push(m[0]);
  return found;
}

function submissionKey(html: string): string {
  return /name="submissionKey" value="([^"]+)"/.exec(html)![1]!;
}

beforeAll(async () => {
  const contentDir = copyContent();
  NUMBER = highestQuestionNumber(contentDir) + 1;
  // Payloads that pass the content check (the site refuses raw HTML in content), so the site really serves them.
  const dir = path.join(contentDir, "questions", SLUG);
  fs.mkdirSync(path.join(dir, "answers"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "question.md"),
    [
      "---",
      `number: ${NUMBER}`,
      `title: "Is 1 < 2 && \\"q\\" & 'a' --> <!-- or </ safe in a title?"`,
      "tags: [security]",
      "added: 2099-12-31", // newer than any real content, so it heads the feed
      `credit: "Mallory \\" onmouseover=\\"alert(3)"`,
      "---",
      "Why is this safe?",
      "",
      "[click](javascript:alert(6)) ![img](javascript:alert(7)) [mixed](JaVaScRiPt:alert(8)) [ent](java&#x73;cript:alert(9))",
      "",
      "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==) <javascript:alert(10)> [vb](vbscript:msgbox(11))",
      "",
      "```html",
      "</code></pre><script>alert(12)</script>",
      "```",
      "",
      "# Heading `</h2><script>alert(13)</script>`",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "answers", "2026-11-26-mallory.md"),
    [
      "---",
      `author: "Mallory \\" onmouseover=\\"alert(16)"`,
      "github: mallory",
      "date: 2026-11-27",
      "---",
      'An answer with [a link](vbscript:msgbox(1)). ![x](https://images.example/x.png "t\\" onerror=\\"alert(17)")',
      "",
    ].join("\n"),
  );
  server = await startAppServer({ CONTENT_DIR: contentDir, MAINTAINER_TOKEN: TOKEN, PROPOSAL_RATE_LIMIT: "50", CONTENT_POLL_INTERVAL: "0" });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server?.stop();
});

describe("XSS: hostile content files", () => {
  it("the question page shows the payloads as text: no handler, no script URL, every script has the nonce", async () => {
    const res = await get(`/q/${SLUG}`);
    expect(res.status).toBe(200);
    checkNonce(res);
    expect(scriptable(res.text)).toEqual([]);
    expect(res.text).toContain("Is 1 &lt; 2 &amp;&amp; &quot;q&quot; &amp; &#x27;a&#x27; --&gt; &lt;!-- or &lt;/ safe in a title?</h1>");
    expect(res.text).toContain('href="https://github.com/mallory"');
    // The title in <title>, meta tags and the JSON Remix embeds cannot end a script or a comment.
    const embedded = res.text.slice(res.text.indexOf("window.__remixContext"));
    expect(embedded).not.toMatch(/<\/script><script>alert/);
    expect(embedded).not.toContain("<!-- or");
  });

  it("lists, tag pages, search (query echo and snippets) and the feed stay safe", async () => {
    for (const target of ["/", "/tags/security", "/?tag=security", "/search?q=safe+title"]) {
      const res = await get(target);
      expect(res.status, target).toBe(200);
      checkNonce(res);
      expect(scriptable(res.text), target).toEqual([]);
    }
    const search = await get(`/search?q=${encodeURIComponent(`"><script>alert(1)</script><img src=x onerror=alert(2)> title:safe`)}`);
    checkNonce(search);
    expect(scriptable(search.text)).toEqual([]);
    expect(search.text).toContain("&lt;script&gt;alert(1)");

    const feed = await get("/feed.xml");
    expect(feed.text).toContain(`<title>Question ${NUMBER}: \u2068Is 1 &lt; 2 &amp;&amp; &quot;q&quot;`);
    // Atom content is escaped HTML: decoded once, it is the sanitised rendering.
    const content = new RegExp(`<entry>[\\s\\S]*?Question ${NUMBER}:[\\s\\S]*?<content type="html">([\\s\\S]*?)</content>`).exec(feed.text)![1]!;
    const decoded = content.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
    expect(scriptable(decoded)).toEqual([]);
  });

  it("a 404 with the unknown tag in its message escapes it", async () => {
    const res = await get(`/tags/${encodeURIComponent("<script>alert(1)</script>")}`);
    expect(res.status).toBe(404);
    checkNonce(res);
    expect(scriptable(res.text)).toEqual([]);
  });
});

describe("proposals", () => {
  let statusPath = "";

  it("a hostile proposal is stored once (submissionKey), and its status page shows no e-mail and no markup", async () => {
    const key = submissionKey((await get("/contribute/question")).text);
    const fields = {
      kind: "question",
      title: "Why is 1 < 2 && \"x\" safe for @octocat in #12 of the form?",
      body: "How does `<script>alert(3)</script>` and [x](javascript:alert(4)) work in Django?",
      tags: "security",
      name: "Mallory <b onmouseover=alert(5)>",
      github: "mallory",
      email: "secret-mail@example.org",
      note: "Please --> <!-- review @octocat #1 </details><script>alert(6)</script>",
      licence: "on",
      website: "",
      submissionKey: key,
      intent: "submit",
    };
    const first = await post("/contribute/question", fields);
    const second = await post("/contribute/question", fields);
    expect(first.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    statusPath = first.headers.location!;
    expect(statusPath).toMatch(/^\/contributions\/[a-z0-9]{12}$/);

    for (const target of [statusPath, `${statusPath}.data`]) {
      const res = await get(target);
      expect(res.status).toBe(200);
      expect(res.headers["cache-control"]).toBe("private, no-store");
      expect(res.text).not.toContain("secret-mail");
      if (target === statusPath) {
        checkNonce(res);
        expect(scriptable(res.text)).toEqual([]);
        expect(res.text).toContain("Mallory &lt;b onmouseover=alert(5)&gt;");
      }
    }
  });

  it("a filled honeypot is refused and stores nothing", async () => {
    const key = submissionKey((await get("/contribute/question")).text);
    const res = await post("/contribute/question", {
      kind: "question",
      title: "A question a bot would send, is it stored?",
      body: "Why would a bot fill every field of this form?",
      tags: "security",
      name: "Bot",
      licence: "on",
      website: "https://spam.example",
      submissionKey: key,
      intent: "submit",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Leave the field marked “leave empty” empty.");
    const db = new Database(path.join(server.dataDir, "django-questions.sqlite"), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM proposals WHERE submission_key = ?").get(key)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("a pathological body is answered within 2 s with a clear error, as a submit and as a preview", async () => {
    const body = "Why?\n" + "a\n=\n".repeat(4_900); // 19,605 characters: inside the form's limit
    for (const intent of ["submit", "preview"]) {
      const started = Date.now();
      const res = await post("/contribute/question", {
        kind: "question",
        title: "Does this body stall the server at all?",
        body,
        tags: "security",
        name: "Mallory",
        licence: "on",
        intent,
      });
      expect(Date.now() - started, intent).toBeLessThan(2000);
      expect(res.status).toBe(intent === "submit" ? 422 : 200);
      expect(res.text).toMatch(/More than 32 headings underlined with (&quot;|&#34;)=/);
    }
    // Meanwhile other readers are served.
    const started = Date.now();
    expect((await get("/about")).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("an error thrown in a loader shows the error page: 500, no stack trace, no file path, a valid nonce", async () => {
    const id = statusPath.split("/").pop()!;
    const db = new Database(path.join(server.dataDir, "django-questions.sqlite"));
    try {
      db.prepare("UPDATE proposals SET files = '{not json' WHERE id = ?").run(id);
    } finally {
      db.close();
    }
    const res = await get(statusPath);
    expect(res.status).toBe(500);
    checkNonce(res);
    expect(res.text).toContain("Something went wrong");
    for (const leak of ["SyntaxError", "Unexpected token", "not json", "in JSON", ROOT, "node_modules", "build/server", "    at "]) {
      expect(res.text, leak).not.toContain(leak);
    }
  });
});

describe("page cache and headers", () => {
  it("a HEAD request never stores an empty page: the next GET gets the whole page", async () => {
    const head = await raw("HEAD", "/tags/orm");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const length = Number(head.headers["content-length"]);
    expect(length).toBeGreaterThan(2000);
    const page = await get("/tags/orm");
    expect(page.headers["x-page-cache"]).toBe("hit");
    expect(page.text).toContain("</html>");
    expect(page.body.length).toBeGreaterThan(2000);
    // Same length: only the nonce differs, and nonces have one length.
    expect(page.body.length).toBe(length);
  });

  it("a forged Host header cannot put its origin into pages other readers get", async () => {
    const forged = { Host: "attacker.invalid" };
    const feed = await get("/feed.xml", forged);
    expect(feed.text).toContain("http://attacker.invalid/q/"); // PUBLIC_URL unset: the request's origin, for that request only
    const page = await get(`/q/${SLUG}`, forged);
    expect(page.text).toContain("attacker.invalid");
    for (const target of ["/feed.xml", `/q/${SLUG}`, "/sitemap.xml"]) {
      const res = await get(target);
      expect(res.text, target).not.toContain("attacker.invalid");
    }
    expect((await get("/", { Host: "a/b" })).status).toBe(400);
    expect((await get("/", { Host: "user@attacker.invalid" })).status).toBe(400);
    // A path that looks like a network-path reference stays a path on this site.
    const slashes = await get("//attacker.invalid/");
    expect(slashes.text).not.toContain("attacker.invalid");
  });

  it("a signed-in session never reads from or writes to the page cache", async () => {
    const signIn = await post("/auth/token", { token: TOKEN });
    const cookie = [signIn.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("__session="));
    expect(cookie, "sign-in sets the session cookie").toBeTruthy();
    const session = { Cookie: cookie!.split(";")[0]! };

    await get("/about"); // cached for everyone
    const mine = await get("/about", session);
    expect(mine.headers["x-page-cache"]).toBe("off");
    const personal = await get("/tags/models", session);
    expect(personal.headers["x-page-cache"]).toBe("off");
    // What the signed-in reader caused was not stored: the next anonymous reader renders afresh.
    expect((await get("/tags/models")).headers["x-page-cache"]).toBe("miss");
    // A response that sets a cookie is never stored either.
    expect(signIn.headers["x-page-cache"]).toBeUndefined();
  });

  it("HTML, 304s and static files say Vary: Accept-Encoding, compressed or not", async () => {
    const plain = await get("/about");
    const gzip = await get("/about", { "Accept-Encoding": "gzip" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString("utf8")).toContain("About Django Questions");
    for (const res of [plain, gzip]) expect(res.headers.vary).toMatch(/Accept-Encoding/i);

    const etag = String(plain.headers.etag);
    for (const enc of [{}, { "Accept-Encoding": "gzip" }] as Record<string, string>[]) {
      const revalidated = await get("/about", { "If-None-Match": etag, ...enc });
      expect(revalidated.status).toBe(304);
      expect(revalidated.body.length).toBe(0);
      expect(revalidated.headers.vary).toMatch(/Accept-Encoding/i);
      expect(revalidated.headers["content-security-policy"]).toBeUndefined();
    }
    expect((await get("/favicon.svg")).headers.vary).toMatch(/Accept-Encoding/i);
  });

  it("data requests: public question data is cacheable, personal data is private, no-store", async () => {
    const data = await get(`/q/${SLUG}.data`);
    expect(data.status).toBe(200);
    expect(data.headers["cache-control"]).toContain("public");
    for (const target of ["/contribute/question", "/contribute/question.data", `/q/${SLUG}/answer`, `/q/${SLUG}/edit`, `/q/${SLUG}/answer.data`]) {
      const res = await get(target);
      expect(res.status, target).toBe(200);
      expect(res.headers["cache-control"], target).toBe("private, no-store");
    }
  });
});

describe("paths, limits and redirects", () => {
  it("serves nothing outside build/client, whatever the encoding", async () => {
    const secrets = [fs.readFileSync(path.join(ROOT, "package.json"), "utf8").slice(0, 60), "createServerHandler", "import compression"];
    const targets = [
      "/assets/../server/index.js",
      "/assets/..%2fserver/index.js",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/..%5c..%5cpackage.json",
      "/%2e%2e/package.json",
      "/%2e%2e/server.mjs",
      "/favicon.svg/..",
      "/favicon.svg/../../package.json",
      "/q/..%2f..%2fpackage.json",
      "/q/%2e%2e%2f%2e%2e%2fserver.mjs",
      "/..%5c..%5cpackage.json",
      `/q/${SLUG}/edit?answer=../../question`,
      `/q/${SLUG}/edit?answer=..%2f..%2fquestion`,
      `/q/${SLUG}/edit?answer=../../../../package`,
    ];
    for (const target of targets) {
      const res = await get(target);
      for (const secret of secrets) expect(res.text, target).not.toContain(secret);
      expect([200, 400, 403, 404], target).toContain(res.status);
      if (target.includes("edit?answer")) expect(res.status, target).toBe(404);
    }
  });

  it("refuses bodies over 100 KB with 413, with or without Content-Length", async () => {
    const big = "body=" + "x".repeat(120 * 1024);
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    expect((await raw("POST", "/contribute/question", headers, big)).status).toBe(413);
    expect((await raw("POST", "/contribute/question", headers, big, true)).status).toBe(413);
    expect((await raw("POST", "/contribute/preview", headers, big, true)).status).toBe(413);
  });

  it("huge query strings and headers are refused; a 10 KB search answers quickly", async () => {
    expect((await get("/search?q=" + "x".repeat(20_000))).status).toBe(431);
    expect((await get("/about", { "X-Big": "y".repeat(20_000) })).status).toBe(431);
    const started = Date.now();
    const res = await get("/search?q=" + encodeURIComponent("select_related migrat* csrf~2 +orm -x title: ".repeat(220)));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.text).toContain("search-message");
  });

  it("redirects only to the site's own question slugs", async () => {
    const res = await get(`/q/${NUMBER}?next=https://attacker.invalid&redirect=//attacker.invalid`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`/q/${SLUG}`);
    for (const target of ["/q/%2F%2Fattacker.invalid", "/q/..%2F..%2F%2Fattacker.invalid", `//attacker.invalid/q/${NUMBER}`, `/q/${NUMBER}%2F..%2F..%2F%2Fattacker.invalid`]) {
      const other = await get(target);
      expect(String(other.headers.location ?? ""), target).not.toContain("attacker.invalid");
    }
  });
});
