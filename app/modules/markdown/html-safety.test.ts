import { describe, expect, it } from "vitest";
import { unsafeParts } from "./html-safety";

describe("unsafeParts (the checker the fixture tests rely on)", () => {
  it.each([
    ['<script>alert(1)</script>', "forbidden element"],
    ['<p><iframe src="https://x"></iframe></p>', "forbidden element"],
    ['<svg><g></g></svg>', "forbidden element"],
    ['<form action="/x"></form>', "forbidden element"],
    ['<img src="x" onerror="alert(1)">', "event handler"],
    ['<p style="color:red">x</p>', "style attribute"],
    ['<a href="javascript:alert(1)">x</a>', "href with javascript"],
    ['<a href="&#x6A;avascript:alert(1)">x</a>', "href with javascript"],
    ['<a href="java&#x9;script:alert(1)">x</a>', "href with javascript"],
    ['<a href="data:text/html,x">x</a>', "href with data"],
    ['<img src="data:image/png;base64,AA">', "src with data"],
    ['<input type="text">', "non-checkbox input"],
    ['<input type="checkbox">', "enabled input"],
    ["<p>a<!-- hidden --></p>", "HTML comment"],
  ])("flags %s", (html, problem) => {
    expect(unsafeParts(html).join("\n")).toContain(problem);
  });

  it("accepts what the pipeline legitimately produces", () => {
    const html = [
      '<p><a href="https://docs.djangoproject.com/" rel="nofollow ugc noopener">docs</a> <a href="#x">x</a> <a href="mailto:a@b.c">m</a></p>',
      '<img src="https://example.com/i.png" alt="alt&#x22; onerror=&#x22;alert(1)">',
      '<li class="task-list-item"><input type="checkbox" checked disabled> done</li>',
      '<pre data-language="python"><code class="hljs language-python"><span class="hljs-keyword">def</span></code></pre>',
      '<a href="/questions/what-is-wsgi">relative</a>',
    ].join("\n");
    expect(unsafeParts(html)).toEqual([]);
  });
});
