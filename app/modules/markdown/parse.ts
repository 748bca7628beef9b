/**
 * The Markdown syntax every part of the project reads: remark-parse +
 * remark-gfm. The renderer (`processor.ts`) starts from it, and the content
 * check, the search text and the README importer parse with it, so all of
 * them see the very same document the site renders.
 *
 * Pure (no node:*, no Remix): the content check and the CLI import it.
 */
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified, type Preset } from "unified";

/** The syntax as a unified preset, for pipelines that go on from the tree. */
export const markdownSyntax: Preset = { plugins: [remarkParse, remarkGfm] };

const parser = unified().use(markdownSyntax).freeze();

/** Markdown → mdast, exactly as the renderer parses it. */
export function parseMarkdown(markdown: string) {
  return parser.parse(markdown);
}
