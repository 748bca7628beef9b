/**
 * rehype plugin: `<pre data-language="python">` for fenced code with a
 * language, so the UI can show a label (e.g. with CSS `attr(data-language)`).
 * Runs after sanitising; only a short, plain language name is copied.
 */
import { classNames, type Root, visitElements } from "../hast";

const LANGUAGE = /^language-([A-Za-z0-9][\w+#.-]{0,31})$/;

export default function rehypeCodeLanguageLabel() {
  return (tree: Root): void => {
    visitElements(tree, (node) => {
      if (node.tagName !== "pre") return;
      const code = node.children.find((child) => child.type === "element" && child.tagName === "code");
      if (!code || code.type !== "element") return;
      for (const name of classNames(code)) {
        const match = LANGUAGE.exec(name);
        if (match?.[1]) {
          node.properties.dataLanguage = match[1].toLowerCase();
          break;
        }
      }
      return "skip";
    });
  };
}
