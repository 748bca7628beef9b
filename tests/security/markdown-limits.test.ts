/**
 * Pathological Markdown must never block the server. The audit found shapes
 * that micromark parses in quadratic time and that the original limits let
 * through (measured on a 20 KB body, the proposal form's limit: setext
 * headings ≈ 7 s, block quotes / lazy quote lines ≈ 3–7 s, `~` runs ≈ 2 s,
 * thousands of `[a]` on one line ≈ 4 s at 64 KB). Each is now refused by a
 * linear scan before parsing, so the site shows it unformatted at once and
 * the content check reports it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkMarkdownLimits, MARKDOWN_LIMITS } from "~/modules/markdown/limits";
import { createMarkdownRenderer } from "~/modules/markdown/render";
import { ROOT } from "../support/app-server";

const SIZE = 20_000;
const fill = (unit: string, size = SIZE) => unit.repeat(Math.floor(size / unit.length));

function timedRender(md: string): { html: string; ms: number } {
  const started = performance.now();
  const html = createMarkdownRenderer({ cacheSize: 1 }).render(md);
  return { html, ms: performance.now() - started };
}

describe("Markdown limits against quadratic parsing", () => {
  const cases: Array<[string, string, string]> = [
    ["thousands of setext headings", fill("a\n=\n"), "markdown-headings"],
    ["setext underlines alone", fill("a\n-\n\n"), "markdown-headings"],
    ["thousands of block quotes", fill("> a\n\n"), "markdown-quotes"],
    ["one quote with thousands of lazy lines", "> a\n" + fill("b\n"), "markdown-quotes"],
    ["quotes inside list items", fill("- > - > a\n"), "markdown-quotes"],
    ["nested quotes", fill("> > a\n\n"), "markdown-quotes"],
    ["strikethrough runs", fill("~a"), "markdown-emphasis"],
    ["shortcut references on one line", fill("[a] ", 64_000), "markdown-links"],
    ["unclosed link destinations", fill("[a](<", 64_000), "markdown-links"],
    ["thousands of list items", fill("- a\n", 64_000), "markdown-lists"],
  ];

  it.each(cases)("%s: refused and shown unformatted within 200 ms", (_name, md, rule) => {
    expect(checkMarkdownLimits(md)?.rule).toBe(rule);
    const { html, ms } = timedRender(md);
    expect(html.startsWith('<div class="markdown-fallback">')).toBe(true);
    expect(ms).toBeLessThan(200);
  });

  it("the same shapes just inside the limits still render, quickly", () => {
    const inside = [
      "a\n=\n\n".repeat(MARKDOWN_LIMITS.maxSetextUnderlines) + fill("Some text about Django.\n\n"),
      "> a\n\n".repeat(MARKDOWN_LIMITS.maxQuoteWork) + fill("Some text.\n\n", 10_000),
      "~a ".repeat(200) + "\n\n" + fill("Text.\n\n", 10_000),
    ];
    for (const md of inside) {
      expect(checkMarkdownLimits(md)).toBeUndefined();
      const { html, ms } = timedRender(md);
      expect(html).not.toContain("markdown-fallback");
      // Generous: the test machine is shared; without the limits these take seconds.
      expect(ms).toBeLessThan(1500);
    }
  });

  it("a long quotation with `>` blank lines and a few lazy lines is ordinary content", () => {
    const quote = Array.from({ length: 300 }, (_, i) => `> Paragraph ${i} of a long quotation.\n>`).join("\n");
    const lazy = "> A quote whose second line\nforgot its marker.\n";
    const md = `${quote}\n\n${lazy}\nText after it.\n\nTitle\n=====\n\nSection\n-------\n\n- [ ] a task ~maybe~\n- [x] done`;
    expect(checkMarkdownLimits(md)).toBeUndefined();
    expect(timedRender(md).html).toContain("<blockquote>");
  });

  it("every body of the site's own content is within the limits", () => {
    const dir = path.join(ROOT, "content/questions");
    let bodies = 0;
    for (const slug of fs.readdirSync(dir)) {
      const files = [path.join(dir, slug, "question.md")];
      const answers = path.join(dir, slug, "answers");
      if (fs.existsSync(answers)) files.push(...fs.readdirSync(answers).map((f) => path.join(answers, f)));
      for (const file of files) {
        const body = fs.readFileSync(file, "utf8").replace(/^---\n[\s\S]*?\n---\n/, "");
        expect(checkMarkdownLimits(body), file).toBeUndefined();
        bodies += 1;
      }
    }
    expect(bodies).toBeGreaterThan(100);
  });
});
