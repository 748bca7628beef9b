/**
 * The Nu HTML Checker finds no error on the site's pages (the production
 * build): home, a question, a tag, search results, about, the three
 * contribution forms, practice, a proposal's status page, the browser's list
 * of proposals, the sign-in page and the 404 page — including the document's end (React streams its data
 * scripts after </html> unless app/entry.server.tsx moves them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeQuestion, startAppServer, type AppServer } from "../support/app-server";
import { checkHtml } from "../support/vnu";

let server: AppServer;
beforeAll(async () => {
  server = await startAppServer({ PROPOSAL_RATE_LIMIT: "1000" });
});
afterAll(async () => {
  await server?.stop();
});

async function page(path: string, status = 200): Promise<{ name: string; html: string }> {
  const res = await fetch(server.url + path);
  expect(res.status, path).toBe(status);
  return { name: path, html: await res.text() };
}

describe("valid HTML (Nu HTML Checker)", () => {
  it("finds 0 errors on every page type", { timeout: 120_000 }, async () => {
    const first = await fetch(server.url + "/q/1");
    const question = new URL(first.url).pathname;
    const status = await proposeQuestion(server, {
      title: "Why does a validator care where scripts go?",
      body: "Where may a `<script>` element appear in a document?\n\n```html\n<p>hi</p>\n```\n",
      tags: "security",
      name: "Val Idator",
    });
    const documents = await Promise.all([
      page("/"),
      page(question),
      page("/tags/orm"),
      page("/search?q=csrf"),
      page("/search?q=%22unclosed"),
      page("/about"),
      page("/contribute/question"),
      page(`${question}/answer`),
      page(`${question}/edit`),
      page("/practice?tag=orm"),
      page(status),
      page("/auth/token"),
      page("/contributions"),
      page("/no/such/page", 404),
    ]);
    // The data scripts of the pages that hydrate end up inside <body>.
    for (const d of documents) expect(d.html.trimEnd().endsWith("</body></html>"), d.name).toBe(true);
    const errors = checkHtml(documents);
    expect(errors.map((e) => `${e.document}:${e.line}:${e.column} ${e.message} [${e.extract ?? ""}]`)).toEqual([]);
  });

  it("the checker does report errors (it is not silently passing)", () => {
    const errors = checkHtml([{ name: "broken", html: "<!DOCTYPE html><html lang=en><head><title>x</title></head><body><p>a</body></html><script>1</script>" }]);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/Stray start tag/);
  });
});
