import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { atomFeed, sitemap, type FeedEntry } from "./atom";
import { xmlEscape } from "./xml";
import { parseXml } from "../../../tests/support/xml";

const ATOM_NS = "http://www.w3.org/2005/Atom";
const ORIGIN = "https://example.org";
const FEED_ID = "urn:uuid:00000000-0000-5000-8000-000000000000";


/** An entry for the question page `/q/<key>`, with id `urn:key:<key>`. */
function entry(overrides: Partial<FeedEntry> & { id: string; date: string }): FeedEntry {
  return {
    title: `Entry ${overrides.id}`,
    url: `${ORIGIN}/q/${overrides.id}`,
    author: "Ada",
    html: "<p>Body</p>",
    ...overrides,
    id: `urn:key:${overrides.id}`,
  };
}

function feed(entries: FeedEntry[]): string {
  return atomFeed({ id: FEED_ID, origin: ORIGIN, title: "Django Questions", subtitle: "New questions & answers", entries });
}

describe("atomFeed", () => {
  it("produces a well-formed Atom 1.0 document with the required elements", () => {
    const xml = feed([entry({ id: "a", date: "2026-11-20", category: ["orm", "models"] }), entry({ id: "b", date: "2026-11-01" })]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const doc = parseXml(xml, { trimValues: false });
    const f = doc.feed;
    expect(f["@_xmlns"]).toBe(ATOM_NS);
    expect(f.id).toBe(FEED_ID);
    expect(f.title).toBe("Django Questions");
    expect(f.subtitle).toBe("New questions & answers");
    expect(f.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(f.author.name).toBeTruthy();
    const self = f.link.find((l: any) => l["@_rel"] === "self");
    expect(self["@_href"]).toBe(`${ORIGIN}/feed.xml`);
    expect(self["@_type"]).toBe("application/atom+xml");
    expect(f.entry).toHaveLength(2);
    for (const e of f.entry) {
      expect(e.id).toMatch(/^urn:key:[ab]$/);
      expect(e.title).toMatch(/^Entry /);
      expect(e.updated).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      expect(e.link[0]["@_href"]).toBe(`${ORIGIN}/q/${e.id.slice("urn:key:".length)}`);
      expect(e.author.name).toBe("Ada");
      expect(e.content["@_type"]).toBe("html");
      expect(e.content["#text"]).toBe("<p>Body</p>");
    }
    expect(f.entry[0].category.map((c: any) => c["@_term"])).toEqual(["orm", "models"]);
  });

  it("lists entries newest first and dates the feed by its newest entry, whatever order it is given", () => {
    const xml = feed([
      entry({ id: "old", date: "2025-01-02" }),
      entry({ id: "newest", date: "2026-11-25" }),
      entry({ id: "middle", date: "2026-03-10" }),
      entry({ id: "middle-second", date: "2026-03-10" }),
    ]);
    const f = parseXml(xml, { trimValues: false }).feed;
    expect(f.entry.map((e: any) => e.id)).toEqual([
      "urn:key:newest",
      "urn:key:middle",
      // same day: the order the caller chose is kept
      "urn:key:middle-second",
      "urn:key:old",
    ]);
    expect(f.updated).toBe("2026-11-25T00:00:00Z");
    expect(f.entry[0].updated).toBe("2026-11-25T00:00:00Z");
  });

  it("escapes markup in titles, authors and HTML content so it reads back verbatim", () => {
    const title = `Why <script>alert("x")</script> & 'quotes' fail`;
    const html = `<p>Use <code>&lt;form&gt;</code> &amp; "CSRF"</p><pre><code class="language-python">a &lt; b</code></pre>`;
    const xml = feed([entry({ id: "x", date: "2026-01-01", title, author: "O'Brien & <Co>", html })]);
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("<p>Use");
    const e = parseXml(xml, { trimValues: false }).feed.entry[0];
    expect(e.title).toBe(title);
    expect(e.author.name).toBe("O'Brien & <Co>");
    // a feed reader gets back exactly the HTML the site renders
    expect(e.content["#text"]).toBe(html);
  });

  it("drops control characters XML 1.0 forbids, keeping tabs and newlines", () => {
    const xml = feed([entry({ id: "c", date: "2026-01-01", title: "bell\u0007 null\u0000 esc\u001b end", html: "<p>a\tb\nc\u0008</p>" })]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const e = parseXml(xml, { trimValues: false }).feed.entry[0];
    expect(e.title).toBe("bell null esc end");
    expect(e.content["#text"]).toBe("<p>a\tb\nc</p>");
  });

  it("still makes a valid feed with no entries", () => {
    const f = parseXml(feed([]), { trimValues: false }).feed;
    expect(f.entry).toBeUndefined();
    expect(f.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(f.id).toBe(FEED_ID);
  });

  it("escapes URLs in attributes", () => {
    const xml = feed([entry({ id: "u", date: "2026-01-01", url: `${ORIGIN}/search?q=a&tag="b"` })]);
    expect(parseXml(xml, { trimValues: false }).feed.entry[0].link[0]["@_href"]).toBe(`${ORIGIN}/search?q=a&tag="b"`);
  });
});

describe("xmlEscape", () => {
  it("escapes the five XML special characters", () => {
    expect(xmlEscape(`<a href="x">Tom & 'Jerry'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
  });
});

describe("sitemap", () => {
  it("parses as a sitemaps.org urlset listing every URL with its lastmod", () => {
    const xml = sitemap([
      { loc: `${ORIGIN}/` },
      { loc: `${ORIGIN}/q/what-is-wsgi`, lastmod: "2026-11-25" },
      { loc: `${ORIGIN}/search?q=a&b` },
    ]);
    const doc = parseXml(xml, { trimValues: false });
    expect(doc.urlset["@_xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
    expect(doc.urlset.url.map((u: any) => u.loc)).toEqual([`${ORIGIN}/`, `${ORIGIN}/q/what-is-wsgi`, `${ORIGIN}/search?q=a&b`]);
    expect(doc.urlset.url[1].lastmod).toBe("2026-11-25");
    expect(doc.urlset.url[0].lastmod).toBeUndefined();
  });
});
