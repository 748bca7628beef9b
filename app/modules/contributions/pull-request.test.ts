import { describe, expect, it } from "vitest";
import { parseProposalMarker } from "~/modules/forge/marker";
import { neutralise, proposalSummary, pullRequestTitle, renderPullRequestBody, statusUrl } from "./pull-request";

const data = {
  id: "abc123def456",
  kind: "answer" as const,
  summary: proposalSummary({ kind: "answer", questionTitle: "Why QuerySets are lazy" }),
  contributor: { name: "Bob <b>Builder</b>", github: "bob" },
  files: [{ path: "content/questions/querysets-are-lazy/answers/2026-12-01-bob.md" }],
  statusUrl: statusUrl("abc123def456", "https://questions.example.org"),
  note: "First line\n@django please review, closes #4",
};

describe("renderPullRequestBody", () => {
  it("fills every placeholder and keeps the hidden marker", () => {
    const body = renderPullRequestBody("{{summary}}\n{{contributor}}\n{{statusUrl}}\n{{files}}\n{{note}}\n<!-- django-questions:proposal {{proposalJson}} -->\n", data);
    expect(body).toBe(
      "A new answer to the question **\u2068Why QuerySets are lazy\u2069**\n" +
        "\u2068Bob &lt;b&gt;Builder&lt;/b&gt;\u2069 (@bob)\n" +
        "https://questions.example.org/contributions/abc123def456\n" +
        "- `content/questions/querysets-are-lazy/answers/2026-12-01-bob.md` (new)\n" +
        "> \u2068First line\u2069\n> \u2068@\u200bdjango please review, closes #\u200b4\u2069\n" +
        '<!-- django-questions:proposal {"id":"abc123def456","kind":"answer"} -->\n',
    );
    expect(parseProposalMarker(body)).toEqual({ id: "abc123def456", kind: "answer" });
  });

  it("appends the marker when the template lacks it", () => {
    const body = renderPullRequestBody("Just {{summary}}", data);
    expect(parseProposalMarker(body)).toEqual({ id: "abc123def456", kind: "answer" });
    expect(parseProposalMarker("no marker")).toBeUndefined();
    expect(parseProposalMarker('<!-- django-questions:proposal {"id":1} -->')).toBeUndefined();
  });

  it("renders the repository's template", async () => {
    const fs = await import("node:fs");
    const template = fs.readFileSync(".github/proposal-template.md", "utf8");
    const body = renderPullRequestBody(template, data);
    expect(body).not.toMatch(/\{\{/);
    expect(body).toContain("### Reviewer checklist");
    expect(body.match(/django-questions:proposal/g)).toHaveLength(1);
  });

  it("titles pull requests by kind", () => {
    expect(pullRequestTitle("question", "What is WSGI?")).toBe("Question: \u2068What is WSGI?\u2069");
    expect(pullRequestTitle("answer", "What is WSGI?")).toBe("Answer: \u2068What is WSGI?\u2069");
    expect(pullRequestTitle("edit", "What is WSGI?")).toBe("Edit: \u2068What is WSGI?\u2069");
    expect(neutralise("a --> b")).toBe("\u2068a --&gt; b\u2069");
    // contributor text is isolated: a right-to-left name cannot reorder the words around it
    expect(neutralise("\u202Eevil")).toBe("\u2068evil\u2069");
    expect(statusUrl("x")).toBe("/contributions/x");
  });
});
