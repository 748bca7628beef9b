import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatFindings, formatMarkdownSummary, summaryLine } from "./format";
import type { Finding } from "./types";

const findings: Finding[] = [
  {
    path: "questions/x/question.md",
    line: 3,
    column: 1,
    severity: "error",
    message: 'title is 134 characters; the limit is 100',
    rule: "question-title",
  },
  {
    path: "questions/x/answers/a,b.md",
    line: 2,
    column: 5,
    severity: "warning",
    message: "50% done\nsecond line | with pipe",
    rule: "unknown-field",
  },
  {
    path: "questions/y/question.md",
    line: 3,
    column: 1,
    severity: "warning",
    message: 'title is very similar (0.90) to question #4 "What is X?" (questions/x/question.md)',
    rule: "possible-duplicate",
    related: "questions/x/question.md",
  },
];

describe("formatFindings", () => {
  it("text: one line per finding with the prefixed path, then a summary", () => {
    const out = formatFindings(findings.slice(0, 1), "text", { prefix: "content", files: 71 });
    expect(out).toBe(
      "content/questions/x/question.md:3:1: error: title is 134 characters; the limit is 100 (question-title)\n" +
        "1 error, 0 warnings in 71 files\n",
    );
  });

  it("text: counts errors and warnings and says when there is nothing", () => {
    expect(summaryLine(findings, 71)).toBe("1 error, 2 warnings in 71 files");
    expect(formatFindings([], "text", { prefix: "content", files: 1 })).toBe("No problems in 1 file\n");
  });

  it("github: workflow commands with escaped properties and data", () => {
    const out = formatFindings(findings, "github", { prefix: "content", files: 3 }).trimEnd().split("\n");
    expect(out[0]).toBe(
      "::error file=content/questions/x/question.md,line=3,col=1,title=question-title::title is 134 characters; the limit is 100",
    );
    expect(out[1]).toBe(
      "::warning file=content/questions/x/answers/a%2Cb.md,line=2,col=5,title=unknown-field::50%25 done%0Asecond line | with pipe",
    );
    expect(out.at(-1)).toBe("1 error, 2 warnings in 3 files");
    expect(escapeData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
    expect(escapeProperty("C:\\x,y")).toBe("C%3A\\x%2Cy");
  });

  it("json: a document with counts and the findings", () => {
    const doc = JSON.parse(formatFindings(findings, "json", { prefix: "content", files: 71 }));
    expect(doc).toMatchObject({ files: 71, errors: 1, warnings: 2 });
    expect(doc.findings).toHaveLength(3);
    expect(doc.findings[0]).toEqual({
      file: "content/questions/x/question.md",
      path: "questions/x/question.md",
      line: 3,
      column: 1,
      severity: "error",
      rule: "question-title",
      message: "title is 134 characters; the limit is 100",
    });
  });

  it("an empty prefix prints paths relative to the content folder", () => {
    expect(formatFindings(findings.slice(0, 1), "text", { prefix: "", files: 1 })).toMatch(/^questions\/x\/question\.md:3:1:/);
  });
});

describe("formatMarkdownSummary", () => {
  it("has the counts, a findings table with escaped cells and the possible duplicates", () => {
    const md = formatMarkdownSummary(findings, { prefix: "content", files: 71 });
    expect(md).toContain("| 71 | 1 | 2 |");
    expect(md).toContain("failed");
    const rows = md.split("\n").filter((l) => l.startsWith("| `content/"));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain("second line \\| with pipe");
    // Without a base URL there is nothing to link to: both files as code.
    expect(md).toContain(
      "### Possible duplicate questions\n\n- `content/questions/y/question.md` is very close to `content/questions/x/question.md`: title is very similar",
    );
  });

  it("links both questions of a possible duplicate to their files under the base URL", () => {
    const md = formatMarkdownSummary(findings, { prefix: "content", files: 71, linkBase: "https://github.com/o/r/blob/abc123/" });
    const item = md.split("\n").find((l) => l.startsWith("- "));
    expect(item).toBe(
      "- [`content/questions/y/question.md`](https://github.com/o/r/blob/abc123/content/questions/y/question.md)" +
        " is very close to [`content/questions/x/question.md`](https://github.com/o/r/blob/abc123/content/questions/x/question.md)" +
        ': title is very similar (0.90) to question #4 "What is X?" (questions/x/question.md)',
    );
  });

  it("encodes link targets so a path cannot break out of the link", () => {
    const odd: Finding = { ...findings[2]!, path: "questions/a b(1)/question.md", related: "questions/c#d/question.md" };
    const md = formatMarkdownSummary([odd], { prefix: "", files: 2, linkBase: "https://github.com/o/r/blob/abc" });
    expect(md).toContain("(https://github.com/o/r/blob/abc/questions/a%20b%281%29/question.md)");
    expect(md).toContain("(https://github.com/o/r/blob/abc/questions/c%23d/question.md)");
  });

  it("says the check passed when there is nothing to report", () => {
    const md = formatMarkdownSummary([], { prefix: "content", files: 5 });
    expect(md).toContain("passed");
    expect(md).not.toContain("### Findings");
    expect(md).not.toContain("Possible duplicate");
  });
});
