/**
 * The bundled content folder itself: it passes the content check, every seed
 * question has an answer, every curated answer points to official
 * documentation, and the seed list is credited and licensed as its author
 * asked. A question merged through the app may have no answer yet: that is
 * valid content. CONTENT_TEST_DIR runs these tests on another folder (see
 * tests/review/merged-content.test.ts: a checkout after a merge).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Link, Definition, Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { beforeAll, describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import type { Question } from "~/modules/content/types";
import { checkContent, formatFindings, parseContent, RULES_BY_ID, type ContentFile, type Finding } from "~/modules/validation";
import { checkDocsLink, parseDocsLink } from "~/modules/validation/django-docs";
import { DJANGO_DOCS } from "~/modules/validation/django-docs-data";

const CONTENT_DIR = process.env.CONTENT_TEST_DIR
  ? path.resolve(process.env.CONTENT_TEST_DIR)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../content");
const SEED_COUNT = 69;
/** Questions 1-81: the original list as its author last published it (70-81 added in 2024). */
const ORIGINAL_COUNT = 81;
const SEED_AUTHOR = "Şuayip Üzülmez";
/** The answers the project wrote for the seed list; answers contributed through the site are reviewed instead. */
const CURATED_AUTHOR = "Django Questions maintainers";

/**
 * Official documentation an answer may point to: Django's own docs (the
 * "stable" alias, so links follow new releases) or a tool's own documentation.
 */
const DOC_SITES: { host: string | RegExp; path: RegExp }[] = [
  { host: "docs.djangoproject.com", path: /^\/en\/(?:stable|dev|\d+\.\d+)\// },
  { host: "docs.celeryq.dev", path: /^\// },
  { host: "www.postgresql.org", path: /^\/docs\// },
  { host: "docs.gunicorn.org", path: /^\// },
  { host: "www.psycopg.org", path: /\/docs\// },
  { host: "redis.io", path: /^\/docs\// },
  { host: "nginx.org", path: /^\/en\/docs\// },
  { host: "docs.python.org", path: /^\// },
  // a package's own documentation on Read the Docs (pyjwt, flower, django-parler, …)
  { host: /^[a-z0-9-]+\.readthedocs\.io$/, path: /^\// },
];

function isDocumentationLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:") return false;
  return DOC_SITES.some((site) =>
    (typeof site.host === "string" ? parsed.hostname === site.host : site.host.test(parsed.hostname)) && site.path.test(parsed.pathname),
  );
}

/** Every link target of a Markdown text: inline links, autolinks (GFM) and reference definitions. */
function linkTargets(markdown: string): string[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;
  const urls: string[] = [];
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === "link") urls.push((node as Link).url);
    if (node.type === "definition") urls.push((node as Definition).url);
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) visit(child);
  };
  visit(tree);
  return urls;
}

let files: ContentFile[];
let findings: Finding[];
let questions: Question[];

beforeAll(async () => {
  files = await readContentFolder(CONTENT_DIR);
  findings = checkContent(files);
  questions = parseContent(files).questions;
});

function describeFindings(list: Finding[]): string {
  return formatFindings(list, "text", { prefix: "content", files: files.length });
}

describe("the content folder", () => {
  it("passes the content check without errors", () => {
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors, describeFindings(errors)).toEqual([]);
  });

  it(`serves at least ${SEED_COUNT} questions numbered 1..N without gaps, one per question folder`, () => {
    const folders = fs
      .readdirSync(path.join(CONTENT_DIR, "questions"), { withFileTypes: true })
      .filter((d) => d.isDirectory()).length;
    expect(questions.length).toBeGreaterThanOrEqual(SEED_COUNT);
    expect(questions.length).toBe(folders);
    expect(questions.map((q) => q.number)).toEqual(Array.from({ length: questions.length }, (_, i) => i + 1));
  });

  it(`gives every seed question (1-${SEED_COUNT}) at least one answer; a newer one may still wait for its first`, () => {
    const unanswered = questions.filter((q) => q.number <= SEED_COUNT && q.answers.length === 0).map((q) => `${q.number} ${q.slug}`);
    expect(unanswered).toEqual([]);
  });

  it("links every curated answer to official documentation", () => {
    const missing: string[] = [];
    for (const q of questions) {
      for (const a of q.answers.filter((x) => x.author === CURATED_AUTHOR)) {
        const targets = linkTargets(a.body);
        if (!targets.some(isDocumentationLink)) missing.push(`${a.path}: ${targets.join(", ") || "no links"}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("links pages of Django's documentation that exist, in English, over HTTPS", () => {
    const wrong: string[] = [];
    for (const q of questions) {
      for (const text of [q.body, ...q.answers.map((a) => a.body)]) {
        for (const url of linkTargets(text)) {
          if (!/^https?:\/\/docs\.djangoproject\.com\//.test(url)) continue;
          const link = parseDocsLink(url);
          if (!url.startsWith("https://docs.djangoproject.com/en/") || !link || !checkDocsLink(link, DJANGO_DOCS).ok) wrong.push(url);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers that declare Django versions link those versions' documentation, not /stable/", () => {
    const loose: string[] = [];
    for (const q of questions) {
      for (const a of q.answers) {
        if (!a.django?.length) continue;
        for (const url of linkTargets(a.body)) {
          const link = parseDocsLink(url);
          if (link?.version === "stable" && !link.page.startsWith("releases/")) loose.push(`${a.path}: ${url}`);
        }
      }
    }
    expect(loose).toEqual([]);
  });

  it(`credits ${SEED_AUTHOR} on every question of the original list (1-${ORIGINAL_COUNT})`, () => {
    const seeds = questions.filter((q) => q.number <= ORIGINAL_COUNT);
    expect(seeds).toHaveLength(ORIGINAL_COUNT);
    const uncredited = seeds.filter((q) => !q.credit?.includes(SEED_AUTHOR)).map((q) => `${q.number} ${q.slug}`);
    expect(uncredited).toEqual([]);
  });

  it("carries the seed list's BSD 3-Clause licence with its copyright line", () => {
    const license = fs.readFileSync(path.join(CONTENT_DIR, "LICENSE"), "utf8");
    const text = license.replace(/\s+/g, " ");
    expect(text).toMatch(/Copyright \(c\) 20\d\d, Şuayip Üzülmez/);
    for (const clause of [
      "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:",
      "1. Redistributions of source code must retain the above copyright notice, this list of conditions and the following disclaimer.",
      "2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the following disclaimer in the documentation and/or other materials provided with the distribution.",
      "3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
      'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"',
      "EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.",
    ]) {
      expect(text).toContain(clause);
    }
    // and it says where the seed questions come from, and which
    expect(text).toContain("realsuayip/django-questions");
    expect(text).toContain(`1-${ORIGINAL_COUNT}`);
  });

  it("has every fenced code block name a language: the content check enforces it, for answers too", () => {
    const rule = RULES_BY_ID.get("code-language");
    expect(rule?.severity).toBe("error");
    // The check really covers answers: an unlabelled fence in a real answer is reported.
    const answer = questions[0]!.answers[0]!;
    const broken = files.map((f) =>
      f.path === answer.path
        ? { path: f.path, bytes: new TextEncoder().encode(new TextDecoder().decode(f.bytes) + "\n```\nprint('hi')\n```\n") }
        : f,
    );
    const hits = checkContent(broken).filter((f) => f.rule === "code-language");
    expect(hits.map((f) => f.path)).toEqual([answer.path]);
  });
});

describe("the documentation allow-list used above", () => {
  it("accepts official documentation and rejects everything else", () => {
    expect(isDocumentationLink("https://docs.djangoproject.com/en/stable/topics/db/transactions/")).toBe(true);
    expect(isDocumentationLink("https://docs.celeryq.dev/en/stable/userguide/tasks.html")).toBe(true);
    expect(isDocumentationLink("https://www.postgresql.org/docs/current/backup.html")).toBe(true);
    expect(isDocumentationLink("https://docs.djangoproject.com/en/4.2/topics/db/")).toBe(true);
    expect(isDocumentationLink("https://docs.djangoproject.com/en/latest/topics/db/")).toBe(false);
    expect(isDocumentationLink("http://docs.djangoproject.com/en/stable/")).toBe(false);
    expect(isDocumentationLink("https://docs.djangoproject.com.evil.example/en/stable/")).toBe(false);
    expect(isDocumentationLink("https://github.com/django/django")).toBe(false);
    expect(isDocumentationLink("https://example.com/")).toBe(false);
  });

  it("finds links in the Markdown tree, not in code", () => {
    expect(linkTargets("See [the docs](https://docs.djangoproject.com/en/stable/).")).toEqual([
      "https://docs.djangoproject.com/en/stable/",
    ]);
    expect(linkTargets("Read [x][1].\n\n[1]: https://docs.celeryq.dev/en/stable/")).toEqual(["https://docs.celeryq.dev/en/stable/"]);
    expect(linkTargets("Bare https://redis.io/docs/latest/ works with GFM.")).toEqual(["https://redis.io/docs/latest/"]);
    expect(linkTargets("`https://docs.djangoproject.com/en/stable/` in code\n\n```text\nhttps://docs.gunicorn.org/\n```")).toEqual([]);
  });
});
