import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { unsafeParts } from "./html-safety";
import { checkMarkdownLimits, MARKDOWN_LIMITS } from "./limits";
import { createMarkdownRenderer } from "./render";
import { excerpt, markdownToText } from "./text";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "__fixtures__");

describe("checkMarkdownLimits: ordinary content passes", () => {
  it("accepts every fixture input", () => {
    for (const name of readdirSync(fixtures)) {
      expect(checkMarkdownLimits(readFileSync(path.join(fixtures, name, "input.md"), "utf8")), name).toBeUndefined();
    }
  });

  it("accepts long answers with code full of * and _, tables and nested lists", () => {
    const python = "```python\n" + "class A:\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n".repeat(100) + "```\n";
    const table = "| " + Array.from({ length: 12 }, (_, i) => `c${i}`).join(" | ") + " |\n|" + "---|".repeat(12) + "\n";
    const list = ["- a", "  - b", "    - c", "      1. d", "         > quote *em* [link](https://x.example)"].join("\n");
    const prose = "Use **`select_related`** for _foreign keys_ and see [the docs](https://docs.djangoproject.com/).[^1]\n\n".repeat(60);
    const md = `${python}\n${table}\n${list}\n\n${prose}[^1]: Note.\n`;
    expect(md.length).toBeGreaterThan(10_000);
    expect(checkMarkdownLimits(md)).toBeUndefined();
  });
});

describe("checkMarkdownLimits: pathological input", () => {
  const cases: Array<[string, string, string]> = [
    ["too long", "a".repeat(MARKDOWN_LIMITS.maxChars + 1), "markdown-too-long"],
    ["nested link text", "[".repeat(2000) + "x" + "](y)".repeat(2000), "markdown-bracket-depth"],
    ["nested emphasis", "*_".repeat(3000) + "x" + "_*".repeat(3000), "markdown-emphasis"],
    ["many footnote references", "[^a]".repeat(2000) + "\n\n[^a]: x", "markdown-footnotes"],
    ["very wide table", "|a".repeat(2000) + "\n" + "|-".repeat(2000), "markdown-table-width"],
    ["deep block quotes", ">".repeat(5000) + " x", "markdown-nesting"],
    ["deep lists on one line", "- ".repeat(3000) + "x", "markdown-nesting"],
    ["deep ordered lists", "1. ".repeat(2000) + "x", "markdown-nesting"],
    ["deep indented lists", Array.from({ length: 120 }, (_, i) => " ".repeat(i * 2) + "- x").join("\n"), "markdown-nesting"],
  ];

  it.each(cases)("%s is reported and rendered quickly as plain, escaped text", (_name, md, rule) => {
    const problem = checkMarkdownLimits(md);
    expect(problem?.rule).toBe(rule);
    expect(problem?.line).toBeGreaterThanOrEqual(1);

    const started = performance.now();
    const html = createMarkdownRenderer({ cacheSize: 1 }).render(md);
    markdownToText(md);
    excerpt(md, 160);
    // Without the guard these take from seconds to minutes, or overflow the stack.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(html.startsWith('<div class="markdown-fallback"><p>This text is shown unformatted.')).toBe(true);
    expect(html).toContain(problem!.message.replace(/"/g, "&quot;"));
  });

  it("the unformatted fallback is escaped", () => {
    const md = `<script>alert(1)</script><img src=x onerror=alert(1)>${"[".repeat(100)}`;
    const html = createMarkdownRenderer({ cacheSize: 1 }).render(md);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(unsafeParts(html)).toEqual([]);
  });

  it("brackets, emphasis and pipes inside fenced code do not count", () => {
    const md = "```\n" + "[".repeat(100) + "\n" + "*".repeat(1000) + "\n```\n\nText.";
    expect(checkMarkdownLimits(md)).toBeUndefined();
    expect(checkMarkdownLimits(md.replace(/```/g, ""))?.rule).toBe("markdown-bracket-depth");
  });

  it("a blank line ends the bracket count, escaped brackets never count", () => {
    const para = "[".repeat(20) + "\n";
    expect(checkMarkdownLimits(`${para}\n${para}\n${para}`)).toBeUndefined();
    expect(checkMarkdownLimits(`${para}${para}`)?.rule).toBe("markdown-bracket-depth");
    expect(checkMarkdownLimits("\\[".repeat(100))).toBeUndefined();
  });
});
