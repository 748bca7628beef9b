import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { excerpt, proseExcerpt } from "~/modules/markdown/text";
import { analyseContent, attachBody, bodyFromBytes, copyModel, withoutBody, type HashedFile } from "./analyse";

const encoder = new TextEncoder();
function file(path: string, text: string): HashedFile {
  const bytes = encoder.encode(text);
  return { path, bytes, hash: createHash("sha1").update(bytes).digest("hex") };
}

const LONG = Array.from({ length: 40 }, (_, i) => `Sentence ${i} about querysets — “lazy” evaluation.`).join(" ");
const QUESTION = `---\nnumber: 1\ntitle: "How are querysets evaluated?"\ntags: [orm]\nadded: 2026-01-01\n---\n${LONG}\n\n\`\`\`python\nqs = Book.objects.all()\n\`\`\`\n\nAnd **then**?\n`;

describe("analyses keep a body once (the file's bytes), not twice", () => {
  it.each([
    ["LF", QUESTION],
    ["CRLF", QUESTION.replace(/\n/g, "\r\n")],
    ["a byte-order mark", `\uFEFF${QUESTION}`],
    ["an empty body", "---\nnumber: 1\ntitle: \"How are querysets evaluated?\"\ntags: [orm]\nadded: 2026-01-01\n---\n"],
  ])("gives back the very body the parser cut from a file with %s, read from the bytes when asked for", (_, text) => {
    const [a] = analyseContent([file("questions/q/question.md", text)]);
    expect(a!.bodyLine).toBeTypeOf("number");
    const expected = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n").split("\n").slice(a!.bodyLine! - 1).join("\n");
    expect(a!.model!.body).toBe(expected);
    // Plain data for the cache and other processes: no body, and JSON gives none back.
    const plain = withoutBody(a!);
    expect(JSON.parse(JSON.stringify(plain)).model.body).toBeUndefined();
    // Attached to the bytes again, and kept lazy by a copy (a spread would hold the string).
    const again = attachBody(JSON.parse(JSON.stringify(plain)), encoder.encode(text));
    expect(again.model!.body).toBe(expected);
    const copy = copyModel(again.model!);
    expect(Object.getOwnPropertyDescriptor(copy, "body")?.get).toBeTypeOf("function");
    expect(copy.body).toBe(expected);
    expect(bodyFromBytes(encoder.encode(text), a!.bodyLine!)).toBe(expected);
  });

  it("keeps the start of the prose, enough for the list excerpt and the page description without parsing again", () => {
    const [a] = analyseContent([file("questions/q/question.md", QUESTION)]);
    expect(a!.prose!.length).toBeLessThanOrEqual(401);
    for (const n of [160, 180]) {
      expect(proseExcerpt(a!.prose!, n)).toBe(excerpt(a!.model!.body, n));
    }
  });
});
