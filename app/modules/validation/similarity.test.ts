import { describe, expect, it } from "vitest";
import { DUPLICATE_TITLE_THRESHOLD, titleSimilarity, titleWords } from "./similarity";

describe("titleSimilarity", () => {
  it("is 1 for the same title, whatever the case and punctuation", () => {
    expect(titleSimilarity("What is a QuerySet?", "what is a queryset")).toBe(1);
  });

  it("flags the same question asked in other words", () => {
    const a = "What is the difference between select_related and prefetch_related?";
    const b = "Explain the difference between select_related and prefetch_related in Django.";
    expect(titleSimilarity(a, b)).toBeGreaterThanOrEqual(DUPLICATE_TITLE_THRESHOLD);
    expect(titleSimilarity("How do Django signals work?", "What are signals in Django?")).toBeGreaterThanOrEqual(
      DUPLICATE_TITLE_THRESHOLD,
    );
  });

  it("does not flag questions of the same shape on different topics", () => {
    expect(titleSimilarity("What are Django signals?", "What are Django middlewares?")).toBe(0);
    expect(titleSimilarity("What is WSGI?", "What is ASGI?")).toBe(0);
    expect(titleSimilarity("How is a QuerySet evaluated?", "What is a QuerySet?")).toBeLessThan(DUPLICATE_TITLE_THRESHOLD);
  });

  it("is symmetric and between 0 and 1", () => {
    const pairs: Array<[string, string]> = [
      ["Model inheritance in Django", "Abstract base classes and multi-table inheritance"],
      ["What is a migration?", "How do you squash migrations?"],
      ["", "What is the ORM?"],
    ];
    for (const [a, b] of pairs) {
      const s = titleSimilarity(a, b);
      expect(s).toBe(titleSimilarity(b, a));
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it("folds plurals and keeps identifiers whole", () => {
    expect([...titleWords("What are the Models' queries for select_related?")]).toEqual(["model", "query", "select_related"]);
  });
});
