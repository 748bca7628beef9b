/**
 * Tiny hast helpers for our own plugins (kept local so the module depends
 * only on the packages listed in package.json, not on transitive ones).
 */
import type rehypeSlug from "rehype-slug";

/*
 * hast v3 types, taken from a plugin's own signature: the top-level
 * node_modules/@types/hast is v2 (pulled in by @remix-run/dev), while the
 * unified 11 ecosystem we use is typed against v3. Importing from "hast"
 * directly would give the wrong version.
 */
export type Root = Parameters<ReturnType<typeof rehypeSlug>>[0];
export type RootContent = Root["children"][number];
export type Element = Extract<RootContent, { type: "element" }>;
export type ElementContent = Element["children"][number];
export type Properties = Element["properties"];
type AnyNode = Root | RootContent;

export type ElementVisitor = (
  node: Element,
  parent: Root | Element,
  index: number,
) => void | "skip";

/** Depth-first, pre-order walk over every element of a tree. Return `"skip"` to not descend. */
export function visitElements(tree: Root | Element, visitor: ElementVisitor): void {
  const walk = (parent: Root | Element): void => {
    // Copy: visitors may replace siblings.
    const children = [...parent.children];
    children.forEach((child, index) => {
      if (child.type !== "element") return;
      if (visitor(child, parent, index) === "skip") return;
      walk(child);
    });
  };
  walk(tree);
}

/** Concatenated text of a node (like `textContent`). */
export function textOf(node: AnyNode): string {
  if (node.type === "text") return node.value;
  if ("children" in node) return node.children.map((child: AnyNode) => textOf(child)).join("");
  return "";
}

/** Heading rank 1–6, or undefined when the element is not a heading. */
export function headingRank(node: Element): number | undefined {
  const match = /^h([1-6])$/.exec(node.tagName);
  return match ? Number(match[1]) : undefined;
}

/** Class names of an element as an array of strings. */
export function classNames(node: Element): string[] {
  const value: unknown = node.properties.className;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean);
  return [];
}

/** True for the `<section data-footnotes>` that remark-rehype generates. */
export function isFootnotesSection(node: Element | Root): boolean {
  return node.type === "element" && node.tagName === "section" && node.properties.dataFootnotes !== undefined;
}
