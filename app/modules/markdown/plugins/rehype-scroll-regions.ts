/**
 * rehype plugin: code blocks and tables scroll sideways inside their own box
 * (never the page), so each is a keyboard-reachable, labelled group:
 *
 *   <pre tabindex="0" role="group" aria-label="Code: python">…</pre>
 *   <div class="table-scroll" tabindex="0" role="group" aria-label="Table"><table>…</table></div>
 *
 * Code keeps its lines (no wrapping, see app/styles/app.css), so a long line
 * scrolls; tabindex lets a keyboard user scroll it (WCAG 2.1.1, axe's
 * scrollable-region-focusable). "group", not "region": a page has many code
 * blocks, and same-named landmarks would be noise in a screen reader's list.
 * Runs after sanitising and after rehype-code-language-label (it reads
 * data-language).
 */
import { type Element, type Root, visitElements } from "../hast";

export const TABLE_SCROLL_CLASS = "table-scroll";

export default function rehypeScrollRegions() {
  return (tree: Root): void => {
    visitElements(tree, (node, parent, index) => {
      if (node.tagName === "pre") {
        const language = node.properties.dataLanguage;
        node.properties.tabIndex = 0;
        node.properties.role = "group";
        node.properties.ariaLabel = typeof language === "string" && language ? `Code: ${language}` : "Code";
        return "skip";
      }
      if (node.tagName === "table") {
        const wrapper: Element = {
          type: "element",
          tagName: "div",
          properties: { className: [TABLE_SCROLL_CLASS], tabIndex: 0, role: "group", ariaLabel: "Table" },
          children: [node],
        };
        parent.children[index] = wrapper;
        return "skip";
      }
      return undefined;
    });
  };
}
