import { describe, expect, it } from "vitest";
import { closeDocumentLast } from "./document";
import { pageShipsScripts } from "./scripts";

describe("closeDocumentLast", () => {
  it("moves what React streamed after </html> inside the body", () => {
    const html = '<!DOCTYPE html><html><head></head><body><p>x</p></body></html><!--$--><script nonce="n">s()</script><!--/$-->';
    expect(closeDocumentLast(html)).toBe('<!DOCTYPE html><html><head></head><body><p>x</p><!--$--><script nonce="n">s()</script><!--/$--></body></html>');
  });

  it("leaves a document that already ends with </body></html> alone, and uses React's own (the last) closing tags", () => {
    const done = "<html><body><p>a</p></body></html>";
    expect(closeDocumentLast(done)).toBe(done);
    expect(closeDocumentLast("<html><body>x</body></html><script>1</script>")).toBe("<html><body>x<script>1</script></body></html>");
    expect(closeDocumentLast("no document")).toBe("no document");
  });
});

describe("pageShipsScripts", () => {
  it("is true only when a matched route asks for scripts", () => {
    expect(pageShipsScripts([undefined, { scripts: true }])).toBe(true);
    expect(pageShipsScripts([undefined, {}, { scripts: false }, null, "x"])).toBe(false);
    expect(pageShipsScripts([])).toBe(false);
  });
});
