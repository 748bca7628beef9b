import type { LoadedContent } from "~/modules/content/index.server";
import { renderMarkdown } from "~/modules/markdown/render";
import { atomFeed, sitemap, type FeedEntry } from "./atom";
import { answerEntryId, questionEntryId } from "./ids";
import { isolate } from "~/modules/bidi/isolate";

const FEED_SIZE = 50;

/** The newest questions and answers as an Atom feed: ids are permanent, links point at `origin`. */
export function contentFeed(content: LoadedContent, origin: string): string {
  const entries: (FeedEntry & { order: number })[] = [];
  for (const q of content.questions) {
    const url = `${origin}/q/${q.slug}`;
    entries.push({
      id: questionEntryId(q.slug),
      title: `Question ${q.number}: ${isolate(q.title)}`,
      url,
      date: q.added,
      author: q.credit ?? "Django Questions community",
      html: renderMarkdown(q.body),
      category: q.tags,
      order: q.number * 1000,
    });
    q.answers.forEach((a, i) => {
      entries.push({
        id: answerEntryId(q.slug, a.id),
        title: `Answer to question ${q.number}: ${isolate(q.title)}`,
        url: `${url}#answer-${a.id}`,
        date: a.date,
        author: a.author,
        html: renderMarkdown(a.body),
        order: q.number * 1000 + i + 1,
      });
    });
  }
  // Newest first; on the same day, the later-numbered (newer) item first.
  entries.sort((a, b) => (a.date === b.date ? b.order - a.order : a.date < b.date ? 1 : -1));
  return atomFeed({
    origin,
    title: "Django Questions",
    subtitle: "New self-check questions about Django, and the community's answers.",
    entries: entries.slice(0, FEED_SIZE),
  });
}

export function contentSitemap(content: LoadedContent, origin: string): string {
  const lastmod = (dates: string[]) => dates.sort().at(-1);
  return sitemap([
    { loc: `${origin}/` },
    { loc: `${origin}/about` },
    { loc: `${origin}/practice` },
    ...content.tags.map((t) => ({ loc: `${origin}/tags/${t.id}` })),
    ...content.questions.map((q) => ({ loc: `${origin}/q/${q.slug}`, lastmod: lastmod([q.added, ...q.answers.map((a) => a.date)]) })),
  ]);
}

export function robotsTxt(origin: string): string {
  return ["User-agent: *", "Allow: /", "Disallow: /review", "Disallow: /contributions/", `Sitemap: ${origin}/sitemap.xml`, ""].join("\n");
}
