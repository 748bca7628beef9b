import { describe, expect, it } from "vitest";
import { excerpt, markdownToProse, markdownToText } from "./text";

describe("markdownToText", () => {
  it("keeps the words, drops the Markdown syntax", () => {
    expect(markdownToText("# What is **WSGI**?\n\nThe *Web Server* [Gateway](https://x.example) Interface.")).toBe(
      "What is WSGI? The Web Server Gateway Interface.",
    );
  });

  it("keeps inline and fenced code", () => {
    expect(markdownToText("Use `select_related()`:\n\n```python\nQuestion.objects.select_related('author')\n```")).toBe(
      "Use select_related(): Question.objects.select_related('author')",
    );
  });

  it("drops raw HTML and comments but keeps text between inline tags", () => {
    expect(markdownToText("Say <b>hello</b><!-- secret --> <script>alert(1)</script>now")).toBe("Say hello alert(1)now");
    expect(markdownToText("Before\n\n<div>\nblock html\n</div>\n\nAfter")).toBe("Before After");
  });

  it("separates blocks, list items and table cells by one space", () => {
    const md = "Para one.\nsame para\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| c | d |\n\n> quoted";
    expect(markdownToText(md)).toBe("Para one. same para item one item two a b c d quoted");
  });

  it("uses image alt text and skips definitions and footnote markers", () => {
    expect(markdownToText("![The admin](admin.png) see[^1] [docs][d]\n\n[d]: https://docs.example\n\n[^1]: A note.")).toBe(
      "The admin see docs A note.",
    );
  });

  it("decodes entities, collapses whitespace, handles empty input", () => {
    expect(markdownToText("  Tom &amp; Jerry\n\n\n  &lt;3\t and\u00a0more  ")).toBe("Tom & Jerry <3 and more");
    expect(markdownToText("")).toBe("");
  });
});

describe("excerpt", () => {
  const md = "Django's **ORM** maps models to database tables, and querysets are lazy.";

  it("returns the whole text when it fits", () => {
    const text = markdownToText(md);
    expect(excerpt(md, text.length)).toBe(text);
    expect(excerpt(md, 500)).toBe(text);
  });

  it("cuts on a word boundary, adds an ellipsis and stays within the limit", () => {
    for (let max = 2; max < 80; max += 1) {
      const result = excerpt(md, max);
      expect(result.length).toBeLessThanOrEqual(max);
    }
    expect(excerpt(md, 20)).toBe("Django's ORM maps…");
    // No dangling punctuation before the ellipsis.
    expect(excerpt(md, 48)).toBe("Django's ORM maps models to database tables…");
  });

  it("cuts a single overlong word hard, without splitting an emoji", () => {
    expect(excerpt("Supercalifragilisticexpialidocious", 10)).toBe("Supercali…");
    expect(excerpt("ab😀cd", 4)).toBe("ab…");
  });

  it("returns an empty string for a non-positive limit", () => {
    expect(excerpt(md, 0)).toBe("");
    expect(excerpt(md, -5)).toBe("");
  });
});

describe("markdownToProse and excerpts: code is not flattened into prose", () => {
  const md =
    "Consider this model:\n\n```python\nclass Entry(models.Model):\n    name = models.CharField(max_length=10)\n```\n\n" +
    "What happens when you call `save()` twice?\n\n```python\ne.save()\n```\n\n```python\ne.save()\n```\n";

  it("leaves a code block out, marking where it was; inline code stays in its sentence", () => {
    expect(markdownToProse(md)).toBe("Consider this model: … What happens when you call save() twice?");
    expect(excerpt(md, 180)).toBe("Consider this model: … What happens when you call save() twice?");
    expect(excerpt(md, 180)).not.toContain("CharField");
    // the search text keeps the code
    expect(markdownToText(md)).toContain("models.CharField(max_length=10)");
  });

  it("has no prose for a document that is only code, and no dangling marks at either end", () => {
    expect(markdownToProse("```python\nx = 1\n```\n")).toBe("");
    expect(excerpt("```python\nx = 1\n```\n", 160)).toBe("");
    expect(markdownToProse("Look:\n\n```python\nx = 1\n```")).toBe("Look:");
    expect(markdownToProse("```python\nx = 1\n```\n\nWhy?")).toBe("Why?");
  });
});
