import { describe, expect, it } from "vitest";
import { fixtureDocs } from "./__fixtures__/docs";
import { buildSearchIndex, similarQuestions } from "./index";

const index = buildSearchIndex(fixtureDocs);
const similarSlugs = (title: string, body?: string, options?: Parameters<typeof similarQuestions>[2]) =>
  similarQuestions(index, { title, body }, options).map((s) => s.slug);

describe("similarQuestions", () => {
  it("surfaces the migrations question first for a migrations draft, and nothing unrelated", () => {
    const found = similarSlugs("How do Django migrations work in the background?");
    expect(found[0]).toBe("how-django-migrations-work");
    expect(found).toEqual(["how-django-migrations-work", "conflicting-migrations-after-clean-rebase"]);
  });

  it("finds both the gunicorn and the WSGI question for 'Is gunicorn a WSGI server?'", () => {
    expect(similarSlugs("Is gunicorn a WSGI server?").sort()).toEqual(["what-is-gunicorn", "wsgi-and-asgi"]);
  });

  it("matches a paraphrase of the CSRF question", () => {
    expect(similarSlugs("How to protect a form against cross-site request forgery")).toEqual([
      "csrf-and-djangos-protection",
    ]);
  });

  it("matches on the question words, not on phrasing like 'Why', 'Django' or 'run'", () => {
    expect(similarSlugs("Why are my Celery workers blocked by slow tasks?")).toEqual(["multiple-celery-workers"]);
    expect(similarSlugs("Should I use signals or override save()?")).toEqual([
      "post-save-signal-vs-overriding-save",
    ]);
    expect(similarSlugs("When does a QuerySet hit the database?")).toEqual(["querysets-are-lazy"]);
  });

  it("suggests nothing for questions the site does not have", () => {
    expect(similarSlugs("What is the GIL in Python?")).toEqual([]);
    expect(similarSlugs("Custom template tags and filters")).toEqual([]);
    expect(similarSlugs("How does Django work?")).toEqual([]);
    expect(similarSlugs("")).toEqual([]);
    expect(similarSlugs("What is it?")).toEqual([]);
  });

  it("uses the body when the title alone is too vague", () => {
    const found = similarSlugs(
      "Admin question",
      "My changelist is slow on a large table, should I use list_select_related or raw_id_fields?",
    );
    expect(found[0]).toBe("slow-django-admin");
  });

  it("matches a paraphrase of the admin question", () => {
    expect(similarSlugs("How to speed up the admin changelist")).toEqual(["slow-django-admin"]);
  });

  it("lets setting names meet prose: CSRF_COOKIE_SECURE finds the CSRF question", () => {
    expect(similarSlugs("What is CSRF_COOKIE_SECURE for?")[0]).toBe("csrf-and-djangos-protection");
  });

  it("excludes the question being edited and respects the limit", () => {
    expect(similarSlugs("How do Django migrations work?", undefined, { excludeSlug: "how-django-migrations-work" })).not.toContain(
      "how-django-migrations-work",
    );
    expect(similarSlugs("Is gunicorn a WSGI server?", undefined, { limit: 1 })).toHaveLength(1);
  });

  it("returns scores in decreasing order with number and title", () => {
    const found = similarQuestions(index, { title: "Migrations conflict after rebasing my branch" });
    expect(found[0]).toMatchObject({ number: 2, title: "Conflicting migrations after a clean rebase" });
    for (let i = 1; i < found.length; i++) expect(found[i]!.score).toBeLessThanOrEqual(found[i - 1]!.score);
  });

  it("a stricter minScore keeps only the clearly best match", () => {
    const loose = similarSlugs("How do Django migrations work in the background?", undefined, { minScore: 0 });
    const strict = similarSlugs("How do Django migrations work in the background?", undefined, { minScore: 0.95 });
    expect(loose.length).toBeGreaterThanOrEqual(2);
    expect(strict).toEqual(["how-django-migrations-work"]);
  });

  it("never throws on odd input", () => {
    for (const title of ["*", "title:", "~~~", "<script>alert(1)</script>", "🍮".repeat(500), "x".repeat(10_000)]) {
      expect(() => similarQuestions(index, { title, body: title })).not.toThrow();
    }
  });
});
