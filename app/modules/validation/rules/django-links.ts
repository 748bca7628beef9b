/**
 * Shared by the rules about links to Django's documentation: every link
 * (inline, reference definition, autolink) of a question or answer body that
 * points at docs.djangoproject.com, with where it is and what it says.
 */
import type { MarkdownEntry } from "../context";
import { parseDocsLink, type DocsLink } from "../django-docs";
import { proseText, walk, type MdNode } from "../markdown";

export interface FoundDocsLink {
  url: string;
  link: DocsLink;
  /** The link's text (empty for a reference definition). */
  text: string;
  line: number;
  column: number;
}

export function docsLinks(entry: MarkdownEntry): FoundDocsLink[] {
  const tree = entry.markdown();
  if (!tree) return [];
  const found: FoundDocsLink[] = [];
  walk(tree, (node: MdNode) => {
    if ((node.type !== "link" && node.type !== "definition") || !node.url || !node.position) return;
    const link = parseDocsLink(node.url);
    if (!link) return;
    found.push({
      url: node.url,
      link,
      text: node.type === "link" ? proseText(node) : "",
      line: node.position.start.line + entry.bodyLine - 1,
      column: node.position.start.column,
    });
  });
  return found;
}
