import { describe, expect, it } from "vitest";
import type { LoadedContent } from "~/modules/content/index.server";
import type { Answer, Question, Tag } from "~/modules/content/types";
import { contentSnapshot } from "~/modules/content/snapshot";
import { nameUuid } from "./ids";
import { contentFeed, contentSitemap, robotsTxt } from "./index.server";
import { parseXml } from "../../../tests/support/xml";

const ORIGIN = "https://example.org";

const href = (e: any): string => e.link[0]["@_href"];


function question(number: number, slug: string, added: string, answers: Omit<Answer, "questionSlug" | "path">[] = []): Question {
  return {
    slug,
    number,
    title: `Title ${number}`,
    tags: ["orm"],
    added,
    body: `What about **${slug}**?`,
    path: `questions/${slug}/question.md`,
    answers: answers.map((a) => ({ ...a, questionSlug: slug, path: `questions/${slug}/answers/${a.id}.md` })),
  };
}

function content(questions: Question[], tags: Tag[] = [{ id: "orm", label: "ORM", description: "d" }]): LoadedContent {
  return {
    ...contentSnapshot("test", questions, tags),
    findings: [],
    search: undefined as never,
    checked: true,
    loadedAt: new Date(),
  };
}

describe("contentFeed", () => {
  const site = content([
    question(1, "first", "2026-01-01", [{ id: "late-answer", author: "Bea", date: "2026-06-01", body: "Use `select_related`." }]),
    question(2, "second", "2026-03-01", [
      { id: "a1", author: "Cy", date: "2026-03-01", body: "Same day as the question." },
      { id: "a2", author: "Di", date: "2026-03-01", body: "Also same day." },
    ]),
    question(3, "third", "2026-02-01"),
  ]);

  it("lists questions and answers newest first, same-day items by number and answer order, newer first", () => {
    const f = parseXml(contentFeed(site, ORIGIN)).feed;
    expect(f.entry.map(href)).toEqual([
      `${ORIGIN}/q/first#answer-late-answer`,
      `${ORIGIN}/q/second#answer-a2`,
      `${ORIGIN}/q/second#answer-a1`,
      `${ORIGIN}/q/second`,
      `${ORIGIN}/q/third`,
      `${ORIGIN}/q/first`,
    ]);
    expect(f.updated).toBe("2026-06-01T00:00:00Z");
  });

  it("renders the Markdown to HTML content and links entries to the site's pages", () => {
    const f = parseXml(contentFeed(site, ORIGIN)).feed;
    const q = f.entry.find((e: any) => href(e) === `${ORIGIN}/q/second`);
    expect(q.title).toBe("Question 2: \u2068Title 2\u2069");
    expect(q.content["@_type"]).toBe("html");
    expect(q.content["#text"]).toContain("<strong>second</strong>");
    expect(q.category.map((c: any) => c["@_term"])).toEqual(["orm"]);
    const a = f.entry.find((e: any) => href(e) === `${ORIGIN}/q/first#answer-late-answer`);
    expect(a.title).toBe("Answer to question 1: \u2068Title 1\u2069");
    expect(a.author.name).toBe("Bea");
    expect(a.content["#text"]).toContain("<code>select_related</code>");
  });

  it("gives the feed and every entry a permanent urn:uuid id that does not depend on the host", () => {
    const a = parseXml(contentFeed(site, ORIGIN)).feed;
    const b = parseXml(contentFeed(site, "http://127.0.0.1:3000")).feed;
    expect(a.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.id).toBe(a.id);
    const ids = a.entry.map((e: any) => e.id as string);
    for (const id of ids) expect(id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(new Set([a.id, ...ids]).size).toBe(ids.length + 1);
    expect(b.entry.map((e: any) => e.id)).toEqual(ids);
    // only the links follow the host
    expect(b.entry.map(href)).toEqual(a.entry.map((e: any) => href(e).replace(ORIGIN, "http://127.0.0.1:3000")));
  });

  it("keeps an entry's id when the content around it changes", () => {
    const before = parseXml(contentFeed(site, ORIGIN)).feed.entry as any[];
    const grown = content([...site.questions, question(4, "fourth", "2026-07-01", [{ id: "x", author: "Ed", date: "2026-07-02", body: "b" }])]);
    const after = parseXml(contentFeed(grown, ORIGIN)).feed.entry as any[];
    for (const e of before) expect(after.find((x) => href(x) === href(e))?.id, href(e)).toBe(e.id);
  });

  it("keeps only the newest 50 entries", () => {
    const many = Array.from({ length: 60 }, (_, i) => question(i + 1, `q-${i + 1}`, `2026-01-${String((i % 28) + 1).padStart(2, "0")}`));
    const f = parseXml(contentFeed(content(many), ORIGIN)).feed;
    expect(f.entry).toHaveLength(50);
    const dates = f.entry.map((e: any) => e.updated as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    // the oldest days are the ones left out
    expect(dates.at(-1)! >= "2026-01-03").toBe(true);
  });
});

describe("nameUuid", () => {
  it("computes RFC 9562 version-5 UUIDs (the RFC's example for www.example.com)", () => {
    expect(nameUuid("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
});

describe("contentSitemap", () => {
  it("lists the fixed pages, every tag and every question with the date of its latest change", () => {
    const site = content(
      [question(1, "first", "2026-01-01", [{ id: "x", author: "A", date: "2026-05-05", body: "b" }]), question(2, "second", "2026-02-02")],
      [
        { id: "orm", label: "ORM", description: "d" },
        { id: "security", label: "Security", description: "d" },
      ],
    );
    const urls = parseXml(contentSitemap(site, ORIGIN)).urlset.url as { loc: string; lastmod?: string }[];
    const locs = urls.map((u) => u.loc);
    expect(locs).toEqual(
      expect.arrayContaining([`${ORIGIN}/`, `${ORIGIN}/practice`, `${ORIGIN}/tags/orm`, `${ORIGIN}/tags/security`, `${ORIGIN}/q/first`, `${ORIGIN}/q/second`]),
    );
    expect(new Set(locs).size).toBe(locs.length);
    expect(urls.find((u) => u.loc === `${ORIGIN}/q/first`)?.lastmod).toBe("2026-05-05");
    expect(urls.find((u) => u.loc === `${ORIGIN}/q/second`)?.lastmod).toBe("2026-02-02");
  });
});

describe("robotsTxt", () => {
  it("points crawlers to the absolute sitemap URL and keeps them out of review pages", () => {
    const lines = robotsTxt(ORIGIN).split("\n");
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Disallow: /review");
    expect(lines).toContain(`Sitemap: ${ORIGIN}/sitemap.xml`);
  });
});
