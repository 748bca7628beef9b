import { describe, expect, it } from "vitest";
import { checkDocsLink, compareVersions, parseDocsLink, versionsNamed, type DjangoDocsData } from "./django-docs";
import { DJANGO_DOCS } from "./django-docs-data";

/** Two exact listings (5.2 and dev) and nothing else. */
const DATA: DjangoDocsData = {
  generatedBy: "test",
  sources: [
    { version: "5.2", from: "stable/5.2.x at abc", files: 4 },
    { version: "dev", from: "main at def", files: 5 },
  ],
  stable: "5.2",
  dev: "6.0",
  releases: ["4.2", "5.0", "5.1", "5.2"],
  pages: {
    "": ["5.2", "dev"],
    "ref/models/querysets": ["5.2", "dev"],
    "topics/tasks": ["dev"],
    "releases/5.2": ["5.2", "dev"],
    "releases/6.0": ["dev"],
  },
};

const check = (url: string, data = DATA) => checkDocsLink(parseDocsLink(url)!, data);

describe("parseDocsLink", () => {
  it("splits language, version and page, ignoring anchors, queries and slashes", () => {
    expect(parseDocsLink("https://docs.djangoproject.com/en/stable/ref/models/querysets/#iterator")).toEqual({
      language: "en",
      version: "stable",
      page: "ref/models/querysets",
    });
    expect(parseDocsLink("https://docs.djangoproject.com/pt-br/5.2/topics/db?x=1")).toEqual({ language: "pt-br", version: "5.2", page: "topics/db" });
    expect(parseDocsLink("http://DOCS.djangoproject.com/en/dev/")).toEqual({ language: "en", version: "dev", page: "" });
  });

  it("ignores other sites and the site's other sections", () => {
    expect(parseDocsLink("https://www.djangoproject.com/download/")).toBeNull();
    expect(parseDocsLink("https://docs.djangoproject.com/")).toBeNull();
    expect(parseDocsLink("https://docs.djangoproject.com.evil.example/en/stable/")).toBeNull();
    expect(parseDocsLink("not a url")).toBeNull();
  });
});

describe("checkDocsLink", () => {
  it("checks a version that has its own listing exactly", () => {
    expect(check("https://docs.djangoproject.com/en/dev/topics/tasks/")).toEqual({ ok: true });
    expect(check("https://docs.djangoproject.com/en/6.0/topics/tasks/")).toEqual({ ok: true }); // 6.0 is dev here, no listing: any
    const stable = check("https://docs.djangoproject.com/en/stable/topics/tasks/");
    expect(stable).toMatchObject({ ok: false, reason: "page" });
    expect(stable.ok ? "" : stable.message).toBe("topics/tasks/ is not a page of the stable (5.2) documentation (it is in dev)");
    expect(check("https://docs.djangoproject.com/en/5.2/releases/6.0/")).toMatchObject({ ok: false });
  });

  it("accepts a page of any listing for a version without its own", () => {
    expect(check("https://docs.djangoproject.com/en/4.2/ref/models/querysets/")).toEqual({ ok: true });
    expect(check("https://docs.djangoproject.com/en/4.2/ref/models/querysetz/")).toMatchObject({
      ok: false,
      reason: "page",
      suggestion: "ref/models/querysets",
    });
  });

  it("refuses versions that do not exist, and words that are no version", () => {
    expect(check("https://docs.djangoproject.com/en/5.3/")).toMatchObject({ ok: false, reason: "version" });
    expect(check("https://docs.djangoproject.com/en/7.0/")).toMatchObject({ ok: false, reason: "version", message: expect.stringContaining("no documentation yet") });
    expect(check("https://docs.djangoproject.com/en/latest/")).toMatchObject({ ok: false, reason: "version" });
  });

  it("accepts the front page and the generated pages of every version", () => {
    for (const page of ["", "genindex/", "search/?q=x", "py-modindex/", "_modules/django/db/models/query/"]) {
      expect(check(`https://docs.djangoproject.com/en/5.2/${page}`)).toEqual({ ok: true });
    }
  });
});

describe("the committed data", () => {
  it("knows Django's main pages and a stable version older than the one in development", () => {
    for (const page of ["ref/models/querysets", "topics/db/transactions", "ref/settings", "howto/deployment/checklist", "releases/5.2"]) {
      expect(DJANGO_DOCS.pages[page], page).toBeDefined();
    }
    expect(DJANGO_DOCS.releases).toContain(DJANGO_DOCS.stable);
    if (DJANGO_DOCS.dev) expect(compareVersions(DJANGO_DOCS.dev, DJANGO_DOCS.stable)).toBeGreaterThan(0);
    expect(DJANGO_DOCS.sources.length).toBeGreaterThan(0);
  });
});

describe("versions", () => {
  it("compares X.Y numerically", () => {
    expect(["5.10", "5.2", "6.0", "4.2"].sort(compareVersions)).toEqual(["4.2", "5.2", "5.10", "6.0"]);
  });

  it("finds the Django versions a text names", () => {
    expect(versionsNamed("Since Django 5.2 (and Django 6.0.1, Django 4.2+), not Python 3.12 or Django's 2.0")).toEqual(["5.2", "6.0", "4.2"]);
  });
});
