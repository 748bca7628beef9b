/**
 * rehype plugin: fit user-written headings under the page's own headings.
 *
 * A page uses `<h1>` for the question title, so the top heading level used
 * in a body is moved to `top` (default 2) and every other heading keeps its
 * distance to it: a body using `#`/`##` renders `<h2>`/`<h3>`, a body that
 * only uses `###` renders `<h2>` too (no gap in the outline). Levels deeper
 * than 6 are capped at `<h6>`. The visually-hidden "Footnotes" heading that
 * remark-rehype adds is put at the top level.
 */
import { type Element, headingRank, isFootnotesSection, type Root, visitElements } from "../hast";

export interface ShiftHeadingsOptions {
  /** Level the highest heading of the body gets; 1–6, default 2. */
  top?: number;
}

export default function rehypeShiftHeadings(options: ShiftHeadingsOptions = {}) {
  const top = Math.min(6, Math.max(1, Math.trunc(options.top ?? 2)));
  return (tree: Root): void => {
    const headings: Array<{ node: Element; rank: number }> = [];
    const footnoteLabels: Element[] = [];
    visitElements(tree, (node, parent) => {
      const rank = headingRank(node);
      if (rank === undefined) return;
      if (isFootnotesSection(parent)) footnoteLabels.push(node);
      else headings.push({ node, rank });
    });
    if (headings.length > 0) {
      const highest = Math.min(...headings.map((heading) => heading.rank));
      const shift = top - highest;
      for (const { node, rank } of headings) {
        node.tagName = `h${Math.min(6, rank + shift)}`;
      }
    }
    for (const label of footnoteLabels) label.tagName = `h${top}`;
  };
}
