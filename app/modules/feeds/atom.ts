import { feedId } from "./ids";
import { dayToTimestamp, xmlEscape } from "./xml";

export interface FeedEntry {
  /** A permanent id that does not depend on the host (see ids.ts). */
  id: string;
  title: string;
  url: string;
  /** ISO date. */
  date: string;
  author: string;
  /** Rendered, sanitised HTML. */
  html: string;
  category?: string[];
}

/**
 * An Atom 1.0 feed (RFC 4287). Entries newest first (entries of the same date
 * keep the order they were given in); `updated` of the feed is the newest
 * entry's date.
 */
export function atomFeed(options: { id?: string; origin: string; title: string; subtitle: string; entries: FeedEntry[] }): string {
  const { origin } = options;
  // Array.prototype.sort is stable: same-day entries keep the caller's order.
  const entries = [...options.entries].sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? 1 : -1));
  const updated = entries[0] ? dayToTimestamp(entries[0].date) : "1970-01-01T00:00:00Z";
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <title>${xmlEscape(options.title)}</title>`,
    `  <subtitle>${xmlEscape(options.subtitle)}</subtitle>`,
    `  <id>${xmlEscape(options.id ?? feedId())}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(origin + "/feed.xml")}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(origin + "/")}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>Django Questions community</name></author>`,
  ];
  for (const e of entries) {
    lines.push(
      `  <entry>`,
      `    <title>${xmlEscape(e.title)}</title>`,
      `    <id>${xmlEscape(e.id)}</id>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(e.url)}"/>`,
      `    <updated>${dayToTimestamp(e.date)}</updated>`,
      `    <published>${dayToTimestamp(e.date)}</published>`,
      `    <author><name>${xmlEscape(e.author)}</name></author>`,
      ...(e.category ?? []).map((c) => `    <category term="${xmlEscape(c)}"/>`),
      `    <content type="html">${xmlEscape(e.html)}</content>`,
      `  </entry>`,
    );
  }
  lines.push(`</feed>`, ``);
  return lines.join("\n");
}

export function sitemap(urls: { loc: string; lastmod?: string }[]): string {
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`];
  for (const u of urls) {
    lines.push(`  <url><loc>${xmlEscape(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ""}</url>`);
  }
  lines.push(`</urlset>`, ``);
  return lines.join("\n");
}
