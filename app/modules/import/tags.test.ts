import { describe, expect, it } from "vitest";
import { FALLBACK_TAG, MAX_TAGS, TAG_RULES, guessTags, tagById } from "./tags";

describe("guessTags", () => {
  it.each([
    ["Why is annotate with two Count calls wrong on a QuerySet?", "orm"],
    ["Explain select_related.", "orm"],
    ["Why do migrations conflict after a rebase?", "migrations"],
    ["Explain the CSRF vulnerability.", "security"],
    ["Where do you keep a secret API key?", "security"],
    ["Can a signal cause a recursion error?", "signals"],
    ["How would you test this functionality?", "testing"],
    ["What is gunicorn?", "deployment"],
    ["What is WSGI; how about ASGI?", "deployment"],
    ["How do you scale a Django application?", "deployment"],
    ["Name some middleware classes.", "middleware"],
    ["What does this setting do?", "settings"],
    ["Why is the admin slow?", "admin"],
    ["How would you handle a multi-language project?", "i18n"],
    ["How would you optimize the overall performance?", "performance"],
    ["Why adding null=True to a CharField field is a bad idea?", "models"],
    ["How would you upgrade a Postgres database and its backups?", "database"],
    ["Why would one need multiple Celery workers?", "tasks"],
  ])("%s → %s", (text, tag) => {
    expect(guessTags(text)).toContain(tag);
  });

  it("falls back to the general tag when no keyword matches", () => {
    expect(guessTags("Django is often considered to have a monolithic architecture, what does this mean?")).toEqual([
      FALLBACK_TAG,
    ]);
  });

  it("matches whole words only", () => {
    // "latest" is not "test", "administrative" is not "admin", "formal" is not "orm"
    expect(guessTags("The latest administrative formal process")).toEqual([FALLBACK_TAG]);
  });

  it("is case-insensitive and reads identifiers from code", () => {
    expect(guessTags("Other than omitting PREFETCH_RELATED, what slows things down?")).toEqual(
      expect.arrayContaining(["orm", "performance"]),
    );
  });

  it("returns at most five tags, the best-scoring ones, in vocabulary order", () => {
    const text =
      "model field queryset migration migrations database csrf signal test gunicorn middleware admin " +
      "performance performance performance orm orm orm database database";
    const tags = guessTags(text);
    expect(tags.length).toBe(MAX_TAGS);
    expect(tags).toContain("orm");
    expect(tags).toContain("performance");
    expect(tags).toContain("database");
    const order = TAG_RULES.map((r) => r.id);
    expect([...tags].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(tags);
  });
});

describe("tag vocabulary", () => {
  it("has unique kebab-case ids, each with a label and a description, and the fallback", () => {
    const ids = TAG_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of TAG_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.label.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(10);
    }
    expect(tagById(FALLBACK_TAG)?.label).toBe("General");
    expect(tagById("nope")).toBeUndefined();
  });
});
