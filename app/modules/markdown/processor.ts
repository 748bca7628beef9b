/**
 * THE unified pipeline for user-written (untrusted) Markdown → HTML.
 * See README.md in this folder for the order of the steps and why.
 */
import rehypeAutolinkHeadings from "rehype-autolink-headings";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import type { Options as SanitizeSchema } from "rehype-sanitize";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { type Element, type ElementContent, isFootnotesSection, textOf } from "./hast";
import { languageAliases, languages } from "./languages";
import { markdownSyntax } from "./parse";
import rehypeCodeLanguageLabel from "./plugins/rehype-code-language-label";
import rehypeExternalLinks from "./plugins/rehype-external-links";
import rehypeFragmentLinks from "./plugins/rehype-fragment-links";
import rehypeScrollRegions from "./plugins/rehype-scroll-regions";
import rehypeShiftHeadings from "./plugins/rehype-shift-headings";

export interface RenderOptions {
  /**
   * Level of the body's highest heading (default 2: pages use `<h1>` for the
   * question title). Use 3 for answers shown under an `<h2>`.
   */
  topHeadingLevel?: number;
  /**
   * Prefix for heading and footnote ids, so several bodies rendered on one
   * page (a question and its answers) do not produce duplicate ids.
   * Letters, digits, `-` and `_` only (default `""`).
   */
  idPrefix?: string;
  /** Host names whose absolute links are not marked as external. */
  internalHosts?: readonly string[];
}

/** What rehype-sanitize prefixes ids from the Markdown (footnotes) with. */
export const CLOBBER_PREFIX = "user-content-";

/**
 * GitHub's schema (`defaultSchema`), unchanged except for one thing: remark-
 * rehype is told NOT to prefix footnote ids itself (it would otherwise be
 * done twice: `user-content-user-content-fn-1`); sanitize prefixes them
 * once, and rehype-fragment-links repairs the matching `#fn-1` links.
 * Everything our own plugins add (classes, ids, rel, aria-*) is added AFTER
 * sanitising, so the schema needs no extension for them.
 */
export function sanitizeSchema(idPrefix = ""): SanitizeSchema {
  return { ...defaultSchema, clobberPrefix: CLOBBER_PREFIX + idPrefix };
}

export const HEADING_ANCHOR_CLASS = "heading-anchor";
export const HEADING_GROUP_CLASS = "heading";

export function normaliseOptions(options: RenderOptions = {}): Required<RenderOptions> {
  const idPrefix = options.idPrefix ?? "";
  if (!/^[A-Za-z0-9_-]*$/.test(idPrefix)) {
    throw new TypeError(`idPrefix may only contain letters, digits, "-" and "_": ${JSON.stringify(idPrefix)}`);
  }
  return {
    topHeadingLevel: Math.min(6, Math.max(1, Math.trunc(options.topHeadingLevel ?? 2))),
    idPrefix,
    internalHosts: [...(options.internalHosts ?? [])].map((host) => host.toLowerCase()).sort(),
  };
}

export function createProcessor(options: RenderOptions = {}) {
  const { topHeadingLevel, idPrefix, internalHosts } = normaliseOptions(options);
  return (
    unified()
      .use(markdownSyntax)
      // No allowDangerousHtml: raw HTML in the Markdown never reaches the tree.
      .use(remarkRehype, { clobberPrefix: "" })
      .use(rehypeSanitize, sanitizeSchema(idPrefix))
      // ---- trusted from here on: only our own plugins touch the tree ----
      .use(rehypeShiftHeadings, { top: topHeadingLevel })
      .use(rehypeCodeLanguageLabel)
      .use(rehypeScrollRegions)
      .use(rehypeHighlight, { languages, aliases: languageAliases, detect: false })
      .use(rehypeSlug, { prefix: idPrefix })
      .use(rehypeAutolinkHeadings, {
        behavior: "after",
        group: headingGroup,
        properties: anchorProperties,
        content: anchorContent,
        test: (_node: Element, _index?: number, parent?: unknown) =>
          !(parent && typeof parent === "object" && isFootnotesSection(parent as Element)),
      })
      .use(rehypeFragmentLinks, { prefixes: [CLOBBER_PREFIX + idPrefix, idPrefix] })
      .use(rehypeExternalLinks, { internalHosts })
      .use(rehypeStringify)
  );
}

/** `<div class="heading">` around a heading and its anchor link. */
function headingGroup(): Element {
  return { type: "element", tagName: "div", properties: { className: [HEADING_GROUP_CLASS] }, children: [] };
}

/**
 * The anchor link has an accessible name ("Link to this section: <title>")
 * and no text of its own (the visible "#" is drawn by CSS on the empty
 * span), so copying or extracting the text of the page does not pick it up;
 * it sits after the heading, not inside it, so the heading's own
 * accessible name stays just its text.
 */
function anchorProperties(heading: Readonly<Element>) {
  const title = textOf(heading as Element).replace(/\s+/g, " ").trim();
  return {
    className: [HEADING_ANCHOR_CLASS],
    ariaLabel: title ? `Link to this section: ${title}` : "Link to this section",
  };
}

function anchorContent(): ElementContent {
  return {
    type: "element",
    tagName: "span",
    properties: { className: [`${HEADING_ANCHOR_CLASS}-icon`], ariaHidden: "true" },
    children: [],
  };
}
