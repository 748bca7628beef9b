/**
 * An answer that declares the Django versions it was checked against shows
 * them on the question page; one that declares none shows nothing of the kind.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DJANGO_DOCS } from "~/modules/validation/django-docs-data";
import { copyContent, startAppServer, type AppServer } from "../support/app-server";

let server: AppServer;
let slug: string;
const checked = [DJANGO_DOCS.releases.at(-2)!, DJANGO_DOCS.stable];

beforeAll(async () => {
  const dir = copyContent();
  slug = fs.readdirSync(path.join(dir, "questions")).sort()[0]!;
  const answers = path.join(dir, "questions", slug, "answers");
  fs.mkdirSync(answers, { recursive: true });
  const versions = checked.map((v) => `"${v}"`).join(", ");
  fs.writeFileSync(path.join(answers, "2099-01-01-checked.md"), `---\nauthor: Checked Author\ndate: 2099-01-01\ndjango: [${versions}]\n---\nA checked answer.\n`);
  fs.writeFileSync(path.join(answers, "2099-01-02-unchecked.md"), "---\nauthor: Unchecked Author\ndate: 2099-01-02\n---\nAn answer that says nothing about versions.\n");
  server = await startAppServer({ CONTENT_DIR: dir });
});
afterAll(async () => {
  await server?.stop();
});

describe("the Django versions of an answer", () => {
  it("are shown under the answer that declares them, and only there", async () => {
    const html = await (await fetch(`${server.url}/q/${slug}`)).text();
    const article = (id: string) => new RegExp(`<article[^>]*id="answer-${id}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? "";
    expect(article("2099-01-01-checked")).toContain(`Checked against Django ${checked.join(", ")}`);
    expect(article("2099-01-02-unchecked")).toContain("Unchecked Author");
    expect(article("2099-01-02-unchecked")).not.toContain("Checked against");
  });
});
