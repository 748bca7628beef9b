/**
 * Feeds and discovery against the production build: the Atom feed, the
 * sitemap, robots.txt, and the social-card meta of question pages.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseXml } from "../support/xml";
import { startAppServer, type AppServer } from "../support/app-server";

const ATOM_NS = "http://www.w3.org/2005/Atom";

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.stop();
});


async function getFeed(base: string) {
  const res = await fetch(base + "/feed.xml");
  expect(res.status).toBe(200);
  const contentType = res.headers.get("content-type") ?? "";
  return { contentType, feed: parseXml(await res.text()).feed };
}

/** GET a path with a chosen Host header (fetch would not send a forged one). */
function getWithHost(base: string, target: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + target, { headers: { Host: host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${target}: ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

/** Slugs of the question folders of a content folder. */
function questionSlugs(contentDir: string): string[] {
  return fs
    .readdirSync(path.join(contentDir, "questions"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Every date in the front matter of the content's questions (`added`) and answers (`date`). */
function contentDates(contentDir: string): string[] {
  const dates: string[] = [];
  for (const slug of questionSlugs(contentDir)) {
    const dir = path.join(contentDir, "questions", slug);
    const files = [path.join(dir, "question.md")];
    const answers = path.join(dir, "answers");
    if (fs.existsSync(answers)) files.push(...fs.readdirSync(answers).map((f) => path.join(answers, f)));
    for (const file of files) {
      const m = /^(?:added|date):\s*["']?(\d{4}-\d{2}-\d{2})/m.exec(fs.readFileSync(file, "utf8"));
      if (m) dates.push(m[1]!);
    }
  }
  return dates.sort();
}

/** The attributes of every `<meta>` element of an HTML page. */
function metaTags(html: string): Record<string, string>[] {
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return [...html.matchAll(/<meta\s([^>]*?)\/?>/g)].map((m) => {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    return attrs;
  });
}

function metaContent(tags: Record<string, string>[], key: string): string | undefined {
  return tags.find((t) => t.property === key || t.name === key)?.content;
}

describe("/feed.xml", () => {
  it("is an Atom feed of the newest questions and answers, newest first", async () => {
    const { contentType, feed } = await getFeed(server.url);
    expect(contentType).toMatch(/^application\/atom\+xml/);
    expect(feed["@_xmlns"]).toBe(ATOM_NS);
    expect(feed.title).toBe("Django Questions");
    expect(feed.id).toBeTruthy();
    const entries = feed.entry as any[];
    expect(entries.length).toBeGreaterThan(10);
    for (const e of entries) {
      expect(e.id, JSON.stringify(e.title)).toBeTruthy();
      expect(e.title).toBeTruthy();
      expect(e.author.name).toBeTruthy();
      expect(e.content["@_type"]).toBe("html");
      expect(e.content["#text"]).toMatch(/<p>/);
    }
    const updated = entries.map((e) => e.updated as string);
    expect(updated).toEqual([...updated].sort().reverse());
    // the newest item of the content folder heads the feed and dates it
    const newest = contentDates(server.contentDir).at(-1)!;
    expect(updated[0]).toBe(`${newest}T00:00:00Z`);
    expect(feed.updated).toBe(`${newest}T00:00:00Z`);
  });

  it("contains both question and answer entries whose links open real pages", async () => {
    const { feed } = await getFeed(server.url);
    const entries = feed.entry as any[];
    const answers = entries.filter((e) => /#answer-/.test(e.link[0]["@_href"]));
    const questions = entries.filter((e) => !/#/.test(e.link[0]["@_href"]));
    expect(answers.length).toBeGreaterThan(0);
    expect(questions.length).toBeGreaterThan(0);
    expect(answers[0].title).toMatch(/^Answer to question \d+: /);
    expect(questions[0].title).toMatch(/^Question \d+: /);
    for (const e of [answers[0], questions[0]]) {
      const href = e.link[0]["@_href"] as string;
      const page = await fetch(href);
      expect(page.status, href).toBe(200);
      const html = await page.text();
      const anchor = new URL(href).hash.slice(1);
      if (anchor) expect(html).toContain(`id="${anchor}"`);
    }
  });

  it("uses absolute links to the server's own origin only", async () => {
    const { feed } = await getFeed(server.url);
    const hrefs: string[] = [...feed.link.map((l: any) => l["@_href"])];
    for (const e of feed.entry) hrefs.push(...e.link.map((l: any) => l["@_href"]));
    for (const href of hrefs) expect(href.startsWith(server.url + "/"), href).toBe(true);
    expect(feed.link.find((l: any) => l["@_rel"] === "self")["@_href"]).toBe(`${server.url}/feed.xml`);
  });

  it("keeps the same, unique ids whichever host it is fetched from, while the links follow the host", async () => {
    const port = new URL(server.url).port;
    const a = parseXml(await getWithHost(server.url, "/feed.xml", `127.0.0.1:${port}`)).feed;
    const b = parseXml(await getWithHost(server.url, "/feed.xml", `questions.example:${port}`)).feed;
    const ids = (f: any): string[] => [f.id, ...f.entry.map((e: any) => e.id)];
    expect(ids(b)).toEqual(ids(a));
    expect(new Set(ids(a)).size).toBe(ids(a).length);
    for (const id of ids(a)) {
      expect(id).toMatch(/^urn:uuid:/);
      expect(id).not.toContain("127.0.0.1");
    }
    expect(a.entry[0].link[0]["@_href"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/q\//);
    expect(b.entry[0].link[0]["@_href"]).toMatch(/^http:\/\/questions\.example:\d+\/q\//);
  });

  it("shows a newly merged answer at the top without a restart", async () => {
    const slug = questionSlugs(server.contentDir)[0]!;
    const file = path.join(server.contentDir, "questions", slug, "answers", "feed-test-newest.md");
    fs.writeFileSync(
      file,
      "---\nauthor: Feed Tester\ndate: 2099-01-01\n---\nA fresh answer. See [the docs](https://docs.djangoproject.com/en/stable/).\n",
    );
    try {
      await expect
        .poll(async () => (await getFeed(server.url)).feed.entry[0].link[0]["@_href"] as string, { timeout: 15_000, interval: 200 })
        .toBe(`${server.url}/q/${slug}#answer-feed-test-newest`);
      const { feed } = await getFeed(server.url);
      expect(feed.updated).toBe("2099-01-01T00:00:00Z");
      expect(feed.entry[0].author.name).toBe("Feed Tester");
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe("/sitemap.xml", () => {
  it("lists every question and every tag page with absolute URLs", async () => {
    const res = await fetch(server.url + "/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/xml/);
    const urlset = parseXml(await res.text()).urlset;
    expect(urlset["@_xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
    const locs = (urlset.url as { loc: string }[]).map((u) => u.loc);
    for (const loc of locs) expect(loc.startsWith(server.url + "/"), loc).toBe(true);

    const questionLocs = locs.filter((l) => l.startsWith(server.url + "/q/")).sort();
    const slugs = questionSlugs(server.contentDir);
    expect(slugs.length).toBeGreaterThanOrEqual(69);
    expect(questionLocs).toEqual(slugs.map((s) => `${server.url}/q/${s}`).sort());

    const tagIds = (parseYaml(fs.readFileSync(path.join(server.contentDir, "tags.yml"), "utf8")) as { id: string }[]).map((t) => t.id);
    const tagLocs = locs.filter((l) => l.startsWith(server.url + "/tags/"));
    expect(tagLocs.sort()).toEqual(tagIds.map((t) => `${server.url}/tags/${t}`).sort());
    expect(locs).toContain(`${server.url}/`);
    expect(locs).toContain(`${server.url}/practice`);
  });

  it("agrees with the questions the home page lists", async () => {
    // Every page of the home list, following its rel="next" links.
    const listed = new Set<string>();
    for (let next: string | undefined = "/"; next; ) {
      const home = await (await fetch(server.url + next)).text();
      for (const m of home.matchAll(/href="\/q\/([a-z0-9-]+)"/g)) listed.add(m[1]!);
      next = /<link rel="next" href="([^"]+)"/.exec(home)?.[1]?.replaceAll("&amp;", "&");
    }
    const sitemap = await (await fetch(server.url + "/sitemap.xml")).text();
    const inSitemap = new Set([...sitemap.matchAll(/\/q\/([a-z0-9-]+)<\/loc>/g)].map((m) => m[1]!));
    expect(listed.size).toBeGreaterThanOrEqual(69);
    expect([...inSitemap].sort()).toEqual([...listed].sort());
  });
});

describe("/robots.txt", () => {
  it("references the sitemap by absolute URL and keeps crawlers out of /review", async () => {
    const res = await fetch(server.url + "/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const lines = (await res.text()).split(/\r?\n/);
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Disallow: /review");
    expect(lines).toContain(`Sitemap: ${server.url}/sitemap.xml`);
    const sitemap = await fetch(`${server.url}/sitemap.xml`);
    expect(sitemap.status).toBe(200);
    await sitemap.body?.cancel();
  });
});

describe("question pages", () => {
  it("carry a description, Open Graph article tags and a Twitter card", async () => {
    for (const slug of questionSlugs(server.contentDir)) {
      const res = await fetch(`${server.url}/q/${slug}`);
      expect(res.status, slug).toBe(200);
      const html = await res.text();
      const tags = metaTags(html);
      const h1 = /<h1[^>]*>([^<]+)<\/h1>/.exec(html)?.[1]?.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      const description = metaContent(tags, "description");
      expect(description, `${slug}: description`).toBeTruthy();
      expect(description!.length, slug).toBeLessThanOrEqual(200);
      expect(metaContent(tags, "og:title"), slug).toContain(h1);
      expect(metaContent(tags, "og:description"), slug).toBe(description);
      expect(metaContent(tags, "og:type"), slug).toBe("article");
      expect(metaContent(tags, "og:url"), slug).toBe(`${server.url}/q/${slug}`);
      expect(metaContent(tags, "twitter:card"), slug).toBe("summary_large_image");
      expect(metaContent(tags, "twitter:title"), slug).toContain(h1);
      expect(metaContent(tags, "og:image"), slug).toBe(`${server.url}/social-card.png`);
    }
  });
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("social card", () => {
  it("every kind of page names the site and shows a large 1200×630 image with alt text, by absolute URL", async () => {
    const slug = questionSlugs(server.contentDir)[0]!;
    for (const target of ["/", `/q/${slug}`, "/tags/orm", "/practice", "/search", "/about"]) {
      const tags = metaTags(await (await fetch(server.url + target)).text());
      expect(metaContent(tags, "og:site_name"), target).toBe("Django Questions");
      expect(metaContent(tags, "twitter:card"), target).toBe("summary_large_image");
      expect(metaContent(tags, "og:image:alt")?.length ?? 0, target).toBeGreaterThan(20);
      expect(metaContent(tags, "og:image"), target).toBe(`${server.url}/social-card.png`);
      expect(tags.filter((t) => t.property === "og:image"), target).toHaveLength(1);
    }
    const res = await fetch(`${server.url}/social-card.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const size = pngSize(Buffer.from(await res.arrayBuffer()));
    expect(size).toEqual({ width: 1200, height: 630 });
    const tags = metaTags(await (await fetch(server.url + "/")).text());
    expect(metaContent(tags, "og:image:width")).toBe(String(size.width));
    expect(metaContent(tags, "og:image:height")).toBe(String(size.height));
  });
});

describe("with PUBLIC_URL set", () => {
  let proxied: AppServer;
  beforeAll(async () => {
    proxied = await startAppServer({ PUBLIC_URL: "https://example.org" });
  });
  afterAll(async () => {
    await proxied?.stop();
  });

  it("builds feed, sitemap and robots.txt links on the public URL, not the request's origin", async () => {
    const { feed } = await getFeed(proxied.url);
    const hrefs: string[] = [...feed.link.map((l: any) => l["@_href"])];
    for (const e of feed.entry) hrefs.push(...e.link.map((l: any) => l["@_href"]));
    for (const href of hrefs) expect(href.startsWith("https://example.org/"), href).toBe(true);

    const sitemap = parseXml(await (await fetch(proxied.url + "/sitemap.xml")).text()).urlset;
    for (const u of sitemap.url) expect(u.loc.startsWith("https://example.org/"), u.loc).toBe(true);

    const robots = await (await fetch(proxied.url + "/robots.txt")).text();
    expect(robots.split("\n")).toContain("Sitemap: https://example.org/sitemap.xml");
  });

  it("points the social card image at the public URL", async () => {
    const tags = metaTags(await (await fetch(proxied.url + "/about")).text());
    expect(metaContent(tags, "og:image")).toBe("https://example.org/social-card.png");
  });
});
