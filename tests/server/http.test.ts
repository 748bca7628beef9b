import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { parseContent } from "~/modules/validation";

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.stop();
});

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `<head>` and `<body>` of an HTML page. */
function headAndBody(html: string): { head: string; body: string } {
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1];
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1];
  expect(head, "a <head>").toBeTruthy();
  expect(body, "a <body>").toBeTruthy();
  return { head: head!, body: body! };
}

describe("error pages", () => {
  for (const target of ["/no/such/page", "/q/no-such-question", "/tags/no-such-tag"]) {
    it(`${target}: a 404 whose only <title> is in <head>, with a description`, async () => {
      const res = await fetch(server.url + target);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html.match(/<title>/g)).toHaveLength(1);
      const { head, body } = headAndBody(html);
      expect(/<title>([^<]*)<\/title>/.exec(head)?.[1]).toMatch(/not found/i);
      expect(body).not.toContain("<title");
      const description = /<meta name="description" content="([^"]*)"/.exec(head)?.[1];
      expect(description?.length ?? 0).toBeGreaterThan(20);
      expect(body).toContain("<h1>Page not found</h1>");
    });
  }
});

describe("the production server", () => {
  it("reports health with the content it serves", async () => {
    const res = await fetch(server.url + "/healthz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; questions: number; contentErrors: number };
    expect(body.status).toBe("ok");
    // Every question of the served folder (a copy of content/), whatever their number.
    const served = parseContent(await readContentFolder(server.contentDir)).questions.length;
    expect(served).toBeGreaterThanOrEqual(69);
    expect(body.questions).toBe(served);
    expect(body.contentErrors).toBe(0);
  });

  it("sends security headers and a CSP whose nonce changes per response and matches the page's scripts", async () => {
    const a = await fetch(server.url + "/about");
    const b = await fetch(server.url + "/about");
    const csp = a.headers.get("content-security-policy")!;
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    const nonceA = /'nonce-([^']+)'/.exec(csp)![1]!;
    const nonceB = /'nonce-([^']+)'/.exec(b.headers.get("content-security-policy")!)![1]!;
    expect(nonceA).not.toBe(nonceB);
    const html = await a.text();
    expect(html).toContain(`nonce="${nonceA}"`);
    expect(html).not.toContain("__CSP_NONCE");
    await b.text();
  });

  it("answers a matching If-None-Match with 304 and caches rendered pages", async () => {
    const first = await fetch(server.url + "/q/1");
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toContain("must-revalidate");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    await first.text();
    const second = await fetch(server.url + "/q/1");
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(etag);
    await second.text();
    const revalidated = await fetch(server.url + "/q/1", { headers: { "If-None-Match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
  });

  it("compresses responses for clients that accept gzip", async () => {
    const res = await fetch(server.url + "/", { headers: { "Accept-Encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.text()).toContain("Django");
  });

  it("refuses request bodies over 100 KB with 413", async () => {
    const res = await fetch(server.url + "/contribute/question", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "body=" + "x".repeat(120 * 1024),
    });
    expect(res.status).toBe(413);
  });

  it("picks up a changed content file without a restart, in pages and search", async () => {
    const before = (await (await fetch(server.url + "/healthz")).json()) as { contentVersion: string };
    const dir = path.join(server.contentDir, "questions");
    const slug = fs.readdirSync(dir).sort()[0]!;
    const file = path.join(dir, slug, "question.md");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace(/^title: .*$/m, "title: Zanzibar quokka question"));
    const html = await waitFor(async () => {
      const page = await (await fetch(server.url + `/q/${slug}`)).text();
      return page.includes("Zanzibar quokka question") ? page : undefined;
    });
    expect(html).toMatch(/<h1[^>]*>Zanzibar quokka question<\/h1>/);
    const search = await (await fetch(server.url + "/search?q=quokka")).text();
    expect(search).toContain(`/q/${slug}`);
    const after = (await (await fetch(server.url + "/healthz")).json()) as { contentVersion: string };
    expect(after.contentVersion).not.toBe(before.contentVersion);
  });
});
