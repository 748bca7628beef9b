/**
 * rehype plugin: keep in-page links (`href="#…"`) pointing at an existing id.
 *
 * rehype-sanitize prefixes ids that come from the Markdown (footnotes) with
 * its clobber prefix (`user-content-`) so they cannot clobber page globals,
 * and heading ids may carry the caller's `idPrefix`; links to `#fn-1` or to
 * `#my-heading` would then point nowhere. This plugin rewrites such a link to
 * the prefixed id when the bare id does not exist but a prefixed one does.
 */
import { type Root, visitElements } from "../hast";

export interface FragmentLinksOptions {
  /** Prefixes to try, in order. */
  prefixes: readonly string[];
}

export default function rehypeFragmentLinks(options: FragmentLinksOptions) {
  const prefixes = options.prefixes.filter((prefix) => prefix.length > 0);
  return (tree: Root): void => {
    const ids = new Set<string>();
    visitElements(tree, (node) => {
      if (typeof node.properties.id === "string") ids.add(node.properties.id);
    });
    visitElements(tree, (node) => {
      const href = node.properties.href;
      if (node.tagName !== "a" || typeof href !== "string" || !href.startsWith("#")) return;
      let target: string;
      try {
        target = decodeURIComponent(href.slice(1));
      } catch {
        return;
      }
      if (target === "" || ids.has(target)) return;
      for (const prefix of prefixes) {
        if (ids.has(prefix + target)) {
          node.properties.href = `#${prefix}${target}`;
          return;
        }
      }
    });
  };
}
