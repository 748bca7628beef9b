import { describe, expect, it } from "vitest";
import { unsafeParts } from "./html-safety";
import { createMarkdownRenderer, markdownRenderer, renderMarkdown } from "./render";

const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\`\n`;

describe("renderMarkdown: memo", () => {
  it("serves the same input from the cache without rendering again", () => {
    const renderer = createMarkdownRenderer({ cacheSize: 10 });
    const first = renderer.render("# Cached *once*");
    expect(renderer.stats()).toMatchObject({ hits: 0, misses: 1, size: 1 });
    const second = renderer.render("# Cached *once*");
    expect(second).toBe(first);
    expect(renderer.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it("keys by the whole content and by the options", () => {
    const renderer = createMarkdownRenderer({ cacheSize: 10 });
    const a = renderer.render("# Title");
    const b = renderer.render("# Title!");
    const c = renderer.render("# Title", { topHeadingLevel: 3 });
    expect(renderer.stats()).toMatchObject({ hits: 0, misses: 3, size: 3 });
    expect(a).toContain("<h2");
    expect(b).toContain("Title!");
    expect(c).toContain("<h3");
    // Same options written differently are the same cache entry.
    renderer.render("# Title", { topHeadingLevel: 2, idPrefix: "", internalHosts: [] });
    expect(renderer.stats().hits).toBe(1);
  });

  it("is bounded and evicts the least recently used entry", () => {
    const renderer = createMarkdownRenderer({ cacheSize: 3 });
    for (const n of [1, 2, 3]) renderer.render(`doc ${n}`);
    renderer.render("doc 1"); // 1 is now the most recently used
    renderer.render("doc 4"); // evicts 2
    expect(renderer.stats()).toMatchObject({ size: 3, hits: 1, misses: 4 });
    renderer.render("doc 1");
    renderer.render("doc 3");
    renderer.render("doc 4");
    expect(renderer.stats().hits).toBe(4);
    renderer.render("doc 2");
    expect(renderer.stats().misses).toBe(5);
    expect(renderer.stats().size).toBe(3);
  });

  it("the site-wide renderer holds 2,000 entries", () => {
    expect(markdownRenderer.stats().maxEntries).toBe(2000);
    const text = `unique ${Math.random()}`;
    const before = markdownRenderer.stats();
    expect(renderMarkdown(text)).toBe(renderMarkdown(text));
    expect(markdownRenderer.stats().hits).toBe(before.hits + 1);
  });

  it("rejects a non-positive cache size and a bad id prefix", () => {
    expect(() => createMarkdownRenderer({ cacheSize: 0 })).toThrow(RangeError);
    expect(() => renderMarkdown("# x", { idPrefix: 'a" onclick="x' })).toThrow(TypeError);
  });
});

describe("renderMarkdown: syntax highlighting on the server", () => {
  const cases: Array<[string, string, string]> = [
    ["python", "def f():\n    return 1", "hljs-keyword"],
    ["py", "import os", "hljs-keyword"],
    ["django", "{% if user %}{{ user.name }}{% endif %}", "hljs-template-tag"],
    ["htmldjango", "{% block content %}{% endblock %}", "hljs-template-tag"],
    ["jinja2", "{% for x in xs %}{% endfor %}", "hljs-template-tag"],
    ["bash", 'export DJANGO_SETTINGS_MODULE="mysite.settings"', "hljs-built_in"],
    ["sh", "echo $HOME", "hljs-variable"],
    ["shell", "$ python manage.py runserver", "hljs-meta"],
    ["console", "$ pip install django", "hljs-meta"],
    ["sql", "SELECT * FROM auth_user;", "hljs-keyword"],
    ["postgresql", "CREATE INDEX CONCURRENTLY i ON t (c);", "hljs-keyword"],
    ["json", '{"a": 1}', "hljs-attr"],
    ["yaml", "services:\n  web: {}", "hljs-attr"],
    ["ini", "[section]\nkey = value", "hljs-section"],
    ["toml", '[project]\nname = "x"', "hljs-section"],
    ["diff", "-old\n+new", "hljs-addition"],
    ["http", "GET /polls/ HTTP/1.1\nHost: example.com", "hljs-keyword"],
    ["nginx", "location /static/ { alias /srv/static/; }", "hljs-section"],
    ["dockerfile", "FROM python:3.12\nRUN pip install django", "hljs-keyword"],
    ["html", "<p class=\"x\">hi</p>", "hljs-tag"],
    ["javascript", "const x = 1;", "hljs-keyword"],
  ];

  it.each(cases)("highlights %s", (lang, code, expectedClass) => {
    const html = createMarkdownRenderer({ cacheSize: 1 }).render(fence(lang, code));
    expect(html).toContain(`class="${expectedClass}`);
    expect(html).toContain(`<pre data-language="${lang}" tabindex="0" role="group" aria-label="Code: ${lang}">`);
    expect(html).not.toContain("<script");
  });

  it("renders unknown languages and plain fences as escaped, unhighlighted code", () => {
    const html = renderMarkdown(fence("brainfudge", "<b>++[>+<-]</b>") + fence("", "<i>plain</i>"));
    expect(html).toContain("&#x3C;b>++[>+&#x3C;-]&#x3C;/b>");
    expect(html).toContain(`<pre tabindex="0" role="group" aria-label="Code"><code>&#x3C;i>plain&#x3C;/i>\n</code></pre>`);
    expect(html).not.toContain('class="hljs-');
  });

  it("does not guess a language for code without one", () => {
    const html = renderMarkdown(fence("", "def f():\n    return 1"));
    expect(html).not.toContain("hljs");
  });
});

describe("renderMarkdown: headings", () => {
  it("puts the body's highest heading at h2 and caps at h6", () => {
    const html = renderMarkdown("# A\n\n## B\n\n###### F");
    expect(html).toMatch(/<h2 id="a">A<\/h2>/);
    expect(html).toMatch(/<h3 id="b">B<\/h3>/);
    expect(html).toMatch(/<h6 id="f">F<\/h6>/);
    expect(html).not.toContain("<h1");
  });

  it("anchor links have an accessible name and no text of their own", () => {
    const html = renderMarkdown("## Class-based *views*");
    const anchor = /<a class="heading-anchor"[^>]*>(.*?)<\/a>/.exec(html);
    expect(anchor?.[0]).toContain('aria-label="Link to this section: Class-based views"');
    expect(anchor?.[0]).toContain('href="#class-based-views"');
    // No text inside the link: copying/extracting the page text stays clean.
    expect(anchor?.[1]?.replace(/<[^>]+>/g, "")).toBe("");
    // The anchor is outside the heading, so the heading's own name is just its text.
    expect(html).toMatch(/<h2 id="class-based-views">Class-based <em>views<\/em><\/h2><a /);
  });

  it("keeps duplicate headings distinct and in-page links working", () => {
    const html = renderMarkdown("# Setup\n\n# Setup\n\n[first](#setup) [second](#setup-1)");
    expect(html).toContain('id="setup"');
    expect(html).toContain('id="setup-1"');
    expect(html).toContain('<a href="#setup">first</a>');
    expect(html).toContain('<a href="#setup-1">second</a>');
  });

  it("prefixes ids so a question and its answers can share a page", () => {
    const question = renderMarkdown("# Example\n\nNote[^1]\n\n[^1]: q", { idPrefix: "q-" });
    const answer = renderMarkdown("# Example\n\nNote[^1]\n\n[^1]: a", { idPrefix: "answer-1-", topHeadingLevel: 3 });
    const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const questionIds = ids(question);
    const answerIds = ids(answer);
    expect(questionIds.length).toBeGreaterThan(0);
    expect(questionIds.filter((id) => answerIds.includes(id))).toEqual([]);
    expect(answer).toContain('<h3 id="answer-1-example">');
  });

  it("footnote links point at existing ids", () => {
    const html = renderMarkdown("Claim[^src].\n\n[^src]: Source.");
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    for (const target of targets) expect(ids.has(target)).toBe(true);
    // Never double-prefixed.
    expect(html).not.toContain("user-content-user-content-");
  });
});

describe("renderMarkdown: links", () => {
  it("marks external links nofollow ugc noopener, leaves internal ones alone", () => {
    const html = renderMarkdown(
      "[ext](https://evil.example/) [own](https://questions.example/q/1) [rel](/q/2) [frag](#x) [mail](mailto:a@b.c)",
      { internalHosts: ["Questions.example"] },
    );
    expect(html).toContain('<a href="https://evil.example/" rel="nofollow ugc noopener">ext</a>');
    expect(html).toContain('<a href="https://questions.example/q/1">own</a>');
    expect(html).toContain('<a href="/q/2">rel</a>');
    expect(html).toContain('<a href="#x">frag</a>');
    expect(html).toContain('<a href="mailto:a@b.c">mail</a>');
    expect(html).not.toContain("target=");
  });
});

describe("renderMarkdown: hostile input", () => {
  const vectors = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<!-- comment --><b>bold</b>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    "- a\n  - <img src=x onerror=alert(1)>\n    - [x](javascript:alert(1))",
    '```js"><img src=x onerror=alert(1)>\ncode\n```',
    '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
    '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
    "www.example.com/<script>alert(1)</script>",
  ];

  it.each(vectors)("neutralises %s", (markdown) => {
    const html = renderMarkdown(markdown);
    expect(unsafeParts(html)).toEqual([]);
    expect(html).not.toMatch(/<(script|iframe|svg|form|input(?![^>]*type="checkbox")|style|object|meta|base)\b/i);
  });
});
