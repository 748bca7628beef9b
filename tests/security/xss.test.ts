/**
 * Every place user-written text reaches HTML, fed with hostile input: the
 * Markdown pipeline, the question/answer components (title, tags, credit,
 * author, GitHub link), search highlighting, the Atom feed, the proposal
 * preview and the pull request body. These document protections that hold;
 * the server-stage twin is tests/server/hardening.test.ts.
 */
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { beforeAll, describe, expect, it } from "vitest";
import { AnswerView, QuestionView } from "~/components/question-view";
import { ContentStore, type LoadedContent } from "~/modules/content/store.server";
import { previewProposal } from "~/modules/contributions/preview.server";
import { renderPullRequestBody } from "~/modules/contributions/pull-request";
import { parseProposalMarker } from "~/modules/forge/marker";
import { LIMITS } from "~/modules/contributions/schema";
import { atomFeed } from "~/modules/feeds/atom";
import { unsafeParts } from "~/modules/markdown/html-safety";
import { renderMarkdown } from "~/modules/markdown/render";
import { buildSearchIndex, searchQuestions } from "~/modules/search";
import { ROOT } from "../support/app-server";

const SCRIPT = "</script><script>alert(1)</script>";
const IMG = `<img src=x onerror=alert(2)>`;
const ATTR = `" onmouseover="alert(3)`;

/** Tags of a rendered fragment that could run script: event handlers, script/iframe elements, javascript: URLs. */
function scriptable(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    // Attribute values are double-quoted by React and rehype; drop them to look at names only.
    const bare = tag.replace(/"[^"]*"/g, '""');
    if (/^<(script|iframe|object|embed|svg|math|style|base)\b/i.test(bare)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(bare)) found.push(tag);
    if (/\s(?:href|src)="\s*(?:javascript|vbscript|data):/i.test(tag)) found.push(tag);
  }
  return found;
}

describe("Markdown bodies (questions, answers, previews)", () => {
  const payloads = [
    `<script>alert(1)</script>`,
    IMG,
    `<a href="javascript:alert(1)">x</a>`,
    `[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](java&#x73;cript:alert(1)) [w](  javascript:alert(1))`,
    `![i](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox(1)) <javascript:alert(1)>`,
    `<iframe src="https://evil.example"></iframe><svg onload=alert(1)><style>body{display:none}</style>`,
    "```html\n</code></pre><script>alert(1)</script>\n```",
    `# Heading </h2><script>alert(1)</script>\n\n[^1]\n\n[^1]: [f](javascript:alert(1))`,
    `<!-- comment --><details open ontoggle=alert(1)>x</details>`,
    `[ref]\n\n[ref]: javascript:alert(1) "title\\" onerror=\\"alert(1)"`,
  ];

  it.each(payloads)("renders %j without anything that could run", (md) => {
    for (const options of [undefined, { topHeadingLevel: 3 as const, idPrefix: "answer-x-" }]) {
      const html = renderMarkdown(md, options);
      expect(unsafeParts(html)).toEqual([]);
      expect(scriptable(html)).toEqual([]);
    }
  });
});

describe("question and answer components", () => {
  const render = (node: ReturnType<typeof createElement>) => renderToString(createElement(MemoryRouter, null, node));

  it("escape title, tags, credit, author and keep the author link on github.com", () => {
    const question = {
      slug: "q",
      number: 1,
      title: `Title ${SCRIPT} ${IMG}`,
      added: "2026-01-01",
      credit: `Credit ${ATTR} ${SCRIPT}`,
      html: "<p>ok</p>",
      description: "",
    };
    const tags = [{ id: "x", label: `Tag ${SCRIPT}`, description: "" }];
    const html = render(createElement(QuestionView, { question, tags }));
    expect(scriptable(html)).toEqual([]);
    expect(html).toContain("Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");

    for (const github of ["evil", "../../evil.example", ".evil.example", "@evil.example", "javascript:alert(1)", "/\\evil.example"]) {
      const answer = { id: "a", author: `Mallory ${ATTR}${SCRIPT}`, github, date: "2026-01-01", html: "<p>x</p>" };
      const out = render(createElement(AnswerView, { answer, questionSlug: "q" }));
      expect(scriptable(out)).toEqual([]);
      const href = /<a href="([^"]*)"><bdi>Mallory/.exec(out)![1]!.replace(/&amp;/g, "&");
      // Wherever the name points, the link stays on github.com.
      expect(new URL(href).origin).toBe("https://github.com");
    }
  });
});

describe("search highlighting", () => {
  it("escapes titles and snippets, and only adds <mark>", () => {
    const index = buildSearchIndex([
      {
        slug: "evil",
        number: 1,
        title: `Evil ${SCRIPT} csrf ${IMG}`,
        tags: ["security"],
        tagLabels: ["Security"],
        body: `csrf ${ATTR} ${SCRIPT} ` + "filler ".repeat(60) + `csrf ${IMG}`,
        answers: `csrf <b>bold</b>`,
      },
    ]);
    for (const q of ["csrf", "script", "alert", "onerror", "title:evil", "<script>", `"><img src=x>`]) {
      const response = searchQuestions(index, q);
      for (const r of response.results) {
        for (const html of [r.titleHtml, r.snippetHtml ?? ""]) {
          expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
        }
      }
      expect(response.message ?? "").toBeTypeOf("string");
    }
    expect(searchQuestions(index, "csrf").results).toHaveLength(1);
  });
});

describe("Atom feed", () => {
  it("stays well-formed XML and carries hostile text as text", () => {
    const xml = atomFeed({
      origin: "https://example.org",
      title: "Django Questions",
      subtitle: "s",
      entries: [
        {
          id: "https://example.org/q/x",
          title: `Title ${SCRIPT} ]]> & \u0001end`,
          url: "https://example.org/q/x?a=1&b=2",
          date: "2026-01-01",
          author: `Mallory ${ATTR}`,
          html: renderMarkdown(`Body ${IMG} <script>alert(1)</script> ]]>`),
          category: [`tag"><x>`],
        },
      ],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(xml).feed;
    expect(feed.entry.title).toBe(`Title ${SCRIPT} ]]> & end`); // the control character XML forbids is dropped
    expect(feed.entry.author.name).toBe(`Mallory ${ATTR}`);
    // The entry's HTML (what a feed reader renders) is the sanitised rendering.
    expect(scriptable(String(feed.entry.content["#text"]))).toEqual([]);
  });
});

describe("proposal preview", () => {
  let content: LoadedContent;
  let store: ContentStore;
  beforeAll(async () => {
    store = new ContentStore(path.join(ROOT, "content"));
    content = await store.load();
  });

  it("renders hostile title, body, name and GitHub name safely", () => {
    const question = previewProposal(store, {
      kind: "question",
      title: `Why ${SCRIPT}?`,
      body: `Body ${IMG} [x](javascript:alert(1))`,
      name: `Mallory ${ATTR}`,
      tags: ["security"],
    })!;
    expect(question.question.title).toBe(`Why ${SCRIPT}?`); // text: React escapes it
    expect(unsafeParts(question.question.html)).toEqual([]);

    const slug = content.questions[0]!.slug;
    const answer = previewProposal(store, { kind: "answer", questionSlug: slug, body: `Answer ${IMG}`, name: "M", github: "@javascript:alert(1)" })!;
    const proposed = answer.answers.find((a) => a.id === answer.focusAnswerId)!;
    expect(unsafeParts(proposed.html)).toEqual([]);
  });

  it("shows a body longer than the form accepts unformatted, without parsing it", () => {
    // 60 KB of setext headings: inside the renderer's 64 KB, far past the form's 20,000 characters.
    const body = "a\n=\n".repeat(15_000);
    expect(body.length).toBeGreaterThan(LIMITS.body);
    const started = performance.now();
    const preview = previewProposal(store, { kind: "question", title: "A long question?", body, tags: ["orm"] })!;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(preview.question.html).toContain("This text is shown unformatted. The text is 60,000 characters long; the limit is 20,000.");
  });
});

describe("pull request body", () => {
  const template = "## {{summary}}\n\nBy {{contributor}}\n\n{{files}}\n\n{{note}}\n\n{{statusUrl}}\n";
  const body = renderPullRequestBody(template, {
    id: "abc123def456",
    kind: "answer",
    summary: "A new answer",
    contributor: { name: `Mallory ${SCRIPT} @octocat`, github: "mallory", email: "secret@example.org" },
    files: [{ path: "content/questions/x/answers/a.md" }],
    statusUrl: "https://example.org/contributions/abc123def456",
    note: `Fixes #12 @octocat --> <!-- django-questions:proposal {"id":"other","kind":"edit"} -->\n</details>${SCRIPT}`,
  });

  it("never contains the e-mail address", () => {
    expect(body).not.toContain("secret@example.org");
    expect(body).not.toContain("secret");
  });

  it("neutralises HTML, mentions, issue references and forged markers in contributor text", () => {
    expect(body).not.toContain("<script>");
    expect(body).not.toContain("</details>");
    expect(body).not.toMatch(/@octocat/); // a zero-width space follows the @
    expect(body).not.toMatch(/#12/);
    expect(body.match(/<!--/g)).toHaveLength(1); // only the real marker
    expect(parseProposalMarker(body)).toEqual({ id: "abc123def456", kind: "answer" });
  });
});
