import { describe, expect, it } from "vitest";
import { parseFrontMatter, type FrontMatter } from "./front-matter";

function ok(text: string): FrontMatter {
  const result = parseFrontMatter(text);
  if ("error" in result) throw new Error(`unexpected error: ${result.error.message}`);
  return result;
}

describe("parseFrontMatter", () => {
  it("splits YAML fields from the Markdown body and says where the body starts", () => {
    const fm = ok("---\nnumber: 3\ntitle: What is WSGI?\ntags: [views, deployment]\n---\n\nWhat is **WSGI**?\n");
    expect(fm.data).toEqual({ number: 3, title: "What is WSGI?", tags: ["views", "deployment"] });
    expect(fm.body).toBe("\nWhat is **WSGI**?\n");
    expect(fm.bodyLine).toBe(6);
  });

  it("keeps unquoted and quoted ISO dates as the same text (YAML 1.2 core schema)", () => {
    const fm = ok('---\nadded: 2026-11-25\ndate: "2026-11-25"\n---\nx\n');
    expect(fm.data).toEqual({ added: "2026-11-25", date: "2026-11-25" });
  });

  it("accepts Windows line endings and a byte order mark", () => {
    const fm = ok("\uFEFF---\r\nauthor: Ada\r\n---\r\nBody\r\n");
    expect(fm.data).toEqual({ author: "Ada" });
    expect(fm.bodyLine).toBe(4);
    expect(fm.body).toBe("Body\n");
  });

  it("gives null data for empty front matter", () => {
    expect(ok("---\n---\nBody\n").data).toBeNull();
  });

  it("points at the YAML error's line in the whole file", () => {
    const result = parseFrontMatter("---\nauthor: Ada\ndate: 2026-11-25\nauthor: Grace\n---\nBody\n");
    expect(result).toMatchObject({ error: { kind: "yaml", line: 4, column: 1 } });
    expect("error" in result && result.error.message).toMatch(/keys must be unique/);
  });

  it("reports a YAML syntax error with its line", () => {
    const result = parseFrontMatter("---\ntitle: ok\nbad: \"unterminated\n---\nBody\n");
    expect(result).toMatchObject({ error: { kind: "yaml" } });
    if ("error" in result) expect(result.error.line).toBeGreaterThanOrEqual(3);
  });

  it("distinguishes missing from unclosed front matter", () => {
    expect(parseFrontMatter("# Title\n\nText\n")).toMatchObject({ error: { kind: "missing", line: 1 } });
    expect(parseFrontMatter("\n\n---\na: 1\n---\n")).toMatchObject({
      error: { kind: "missing", message: expect.stringContaining("2 blank lines") },
    });
    expect(parseFrontMatter("---\na: 1\nText\n")).toMatchObject({ error: { kind: "unclosed", line: 1 } });
  });

  it("locates keys and list items in the file", () => {
    const fm = ok("---\nnumber: 1\ntags:\n  - orm\n  - models\ntitle: T\n---\nBody\n");
    expect(fm.locate(["number"])).toEqual({ line: 2, column: 1 });
    expect(fm.locate(["title"])).toEqual({ line: 6, column: 1 });
    expect(fm.locate(["tags", 1])).toEqual({ line: 5, column: 5 });
    // unknown paths fall back to the nearest known parent, then to the opening line
    expect(fm.locate(["tags", 9])).toEqual({ line: 3, column: 1 });
    expect(fm.locate(["nope"]).line).toBeLessThanOrEqual(2);
  });
});
