/**
 * Markdown helpers for the content rules. They parse with the renderer's own
 * syntax (`markdown/parse.ts`: remark-parse + remark-gfm, pure), so the check
 * sees a document exactly as the site's renderer parses it.
 */
import { parseMarkdown as parseSyntax } from "../markdown/parse";

/** The parts of an mdast node the rules read (kept structural to avoid pinning an @types/mdast version). */
export interface MdNode {
  type: string;
  value?: string;
  lang?: string | null;
  meta?: string | null;
  /** Link and definition targets. */
  url?: string;
  children?: MdNode[];
  position?: {
    start: { line: number; column: number; offset?: number };
    end: { line: number; column: number; offset?: number };
  };
}


/**
 * Parsed bodies, by text: a proposal is checked together with the whole
 * content folder, whose bodies rarely change between two checks. Rules only
 * read the trees, so sharing them is safe. Bounded (oldest out first) to
 * about a whole folder of today's size: each tree of a long answer holds
 * ~150 KB, and the site's incremental check parses each changed file once.
 */
const memo = new Map<string, MdNode>();
const MEMO_ENTRIES = 300;

export function parseMarkdown(markdown: string): MdNode {
  const hit = memo.get(markdown);
  if (hit) return hit;
  const tree = parseSyntax(markdown) as unknown as MdNode;
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(markdown, tree);
  return tree;
}

/** Depth-first walk; `visit` gets each node and its parent. */
export function walk(node: MdNode, visit: (node: MdNode, parent: MdNode | null) => void, parent: MdNode | null = null): void {
  visit(node, parent);
  for (const child of node.children ?? []) walk(child, visit, node);
}

/** Whether a `code` node was written as a ``` or ~~~ fence (rather than indented by four spaces). */
export function isFenced(source: string, offset: number | undefined): boolean {
  if (offset === undefined) return false;
  return /^(?:`{3}|~{3})/.test(source.slice(offset, offset + 3));
}

/** Text a reader sees, without code blocks and HTML (inline code is kept). */
export function proseText(node: MdNode): string {
  if (node.type === "code" || node.type === "html") return "";
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  if (node.children) return node.children.map(proseText).join(node.type === "paragraph" || node.type === "heading" ? "" : " ");
  return "";
}
