/**
 * React 18 streams what Remix renders after the document (the loader data
 * for hydration, in `<script>` tags) after `</body></html>`, which the HTML
 * standard forbids (the Nu HTML Checker: "Stray start tag script"). Browsers
 * put such content at the end of the body anyway; this moves the closing
 * tags to the very end, so the document is valid and the DOM is the same.
 * Pure; app/entry.server.tsx runs it on the whole rendered document.
 */
const DOCUMENT_END = "</body></html>";

export function closeDocumentLast(html: string): string {
  // The last literal one is React's: text and the streamed data escape "<".
  const at = html.lastIndexOf(DOCUMENT_END);
  if (at === -1 || at + DOCUMENT_END.length === html.length) return html;
  return html.slice(0, at) + html.slice(at + DOCUMENT_END.length) + DOCUMENT_END;
}
