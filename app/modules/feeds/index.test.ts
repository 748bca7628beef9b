import { describe, expect, it } from "vitest";
import type { LoadedContent } from "~/modules/content/index.server";
import type { Answer, Question, Tag } from "~/modules/content/types";
import { contentFeed, contentSitemap, robotsTxt } from "./index.server";
import { parseXml } from "../../../tests/support/xml";

const ORIGIN = "https://example.org";


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
    version: "test",
    questions,
    tags,
    bySlug: new Map(questions.map((q) => [q.slug, q])),
    byNumber: new Map(questions.map((q) => [q.number, q])),
    findings: [],
    search: undefined as never,
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
    expect(f.entry.map((e: any) => e.id)).toEqual([
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
    const q = f.entry.find((e: any) => e.id === `${ORIGIN}/q/second`);
    expect(q.title).toBe("Question 2: Title 2");
    expect(q.content["@_type"]).toBe("html");
    expect(q.content["#text"]).toContain("<strong>second</strong>");
    expect(q.link[0]["@_href"]).toBe(`${ORIGIN}/q/second`);
    expect(q.category.map((c: any) => c["@_term"])).toEqual(["orm"]);
    const a = f.entry.find((e: any) => e.id === `${ORIGIN}/q/first#answer-late-answer`);
    expect(a.title).toBe("Answer to question 1: Title 1");
    expect(a.author.name).toBe("Bea");
    expect(a.content["#text"]).toContain("<code>select_related</code>");
    expect(a.link[0]["@_href"]).toBe(`${ORIGIN}/q/first#answer-late-answer`);
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
