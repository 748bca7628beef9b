import { describe, expect, it } from "vitest";
import { escapeHtml, highlight, mergeRanges, snippet } from "./highlight";

/** Removes the marks and undoes the escaping, to compare with the original text. */
function plain(html: string): string {
  return html
    .replace(/<\/?mark>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("leaves other text, including Unicode and emoji, alone", () => {
    expect(escapeHtml("Crème brûlée 🍮 日本語")).toBe("Crème brûlée 🍮 日本語");
  });
});

describe("mergeRanges", () => {
  it("sorts ranges and merges overlapping and touching ones", () => {
    // [10,15) and [12,20) overlap; [20,25) touches; [30,32) stands alone.
    const spans = mergeRanges(
      [
        [30, 2],
        [12, 8],
        [10, 5],
        [20, 5],
      ],
      100,
    );
    expect(spans).toEqual([
      { start: 10, end: 25 },
      { start: 30, end: 32 },
    ]);
  });

  it("clips ranges to the text and drops empty or invalid ones", () => {
    expect(
      mergeRanges(
        [
          [-3, 5],
          [8, 10],
          [4, 0],
          [Number.NaN, 2],
          [50, 3],
        ],
        10,
      ),
    ).toEqual([
      { start: 0, end: 2 },
      { start: 8, end: 10 },
    ]);
  });
});

describe("highlight", () => {
  it("wraps the given ranges in <mark>", () => {
    const text = "How Django migrations work";
    expect(highlight(text, [[11, 10]])).toBe("How Django <mark>migrations</mark> work");
  });

  it("escapes text inside and outside the marks", () => {
    const text = `Use <b>"bold"</b> & <script>`;
    const html = highlight(text, [[5, 1], [21, 6]]);
    expect(html).toBe("Use &lt;<mark>b</mark>&gt;&quot;bold&quot;&lt;/b&gt; &amp; &lt;<mark>script</mark>&gt;");
    expect(plain(html)).toBe(text);
  });

  it("merges overlapping ranges into one mark instead of nesting", () => {
    const html = highlight("select_for_update", [[0, 10], [7, 10]]);
    expect(html).toBe("<mark>select_for_update</mark>");
  });

  it("returns the escaped text unchanged without ranges", () => {
    expect(highlight("a < b", [])).toBe("a &lt; b");
  });
});

describe("snippet", () => {
  const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
  const long = words.join(" ");
  const at = (w: string) => long.indexOf(w);

  it("returns short text whole, with marks", () => {
    expect(snippet("What is WSGI?", [[8, 4]])).toBe("What is <mark>WSGI</mark>?");
  });

  it("shows about maxLength characters around the first match, cut at word boundaries", () => {
    const html = snippet(long, [[at("word80"), 6]], 200);
    expect(html).toContain("<mark>word80</mark>");
    expect(html.startsWith("… ")).toBe(true);
    expect(html.endsWith(" …")).toBe(true);
    const text = plain(html).replace(/^… /, "").replace(/ …$/, "");
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.length).toBeGreaterThan(150);
    // Whole words only: the window starts and ends with complete "wordN" tokens.
    expect(long).toContain(text);
    expect(text).toMatch(/^word\d+ .* word\d+$/);
    // Some context precedes the match.
    expect(text.indexOf("word80")).toBeGreaterThan(30);
  });

  it("marks every match inside the window, and only those", () => {
    // The window follows the FIRST match (word40); word100 lies far outside it.
    const html = snippet(long, [[at("word100"), 7], [at("word42"), 6], [at("word40"), 6]], 200);
    expect(html).toContain("<mark>word40</mark>");
    expect(html).toContain("<mark>word42</mark>");
    expect(html).not.toContain("word100");
  });

  it("starts at the beginning without matches", () => {
    const html = snippet(long, [], 200);
    expect(html.startsWith("word0 word1")).toBe(true);
    expect(html.endsWith(" …")).toBe(true);
    expect(html).not.toContain("<mark>");
  });

  it("shows the end of the text when the match is near it", () => {
    const html = snippet(long, [[at("word119"), 7]], 200);
    expect(html.endsWith("<mark>word119</mark>")).toBe(true);
    expect(html.startsWith("… ")).toBe(true);
  });

  it("never splits an emoji (surrogate pair) when a cut falls inside one", () => {
    const emojis = "🍮".repeat(150); // 300 UTF-16 code units, no spaces to snap to
    const html = snippet(emojis, [[150, 2]], 101);
    const text = plain(html).replace(/^… /, "").replace(/ …$/, "");
    expect(text).toMatch(/^(🍮)+$/u);
  });

  it("escapes HTML in the window", () => {
    const text = `${"x ".repeat(100)}<script>alert(1)</script> ${"y ".repeat(100)}`;
    const html = snippet(text, [[text.indexOf("script"), 6]]);
    expect(html).toContain("&lt;<mark>script</mark>&gt;alert(1)&lt;/script&gt;");
    expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });
});
