/**
 * rehype plugin: mark links that leave the site.
 *
 * User-written links are untrusted: `nofollow` keeps search engines from
 * rewarding spam, `ugc` says "user-generated content", `noopener` stops a
 * target page from scripting `window.opener`. Relative links, fragments and
 * `mailto:` are left alone; so are absolute links to `internalHosts`.
 * Links are NOT given `target="_blank"`: the reader decides where to open them.
 */
import { type Root, visitElements } from "../hast";

export interface ExternalLinksOptions {
  /** Host names (e.g. `django-questions.example`) that count as our own site. */
  internalHosts?: readonly string[];
  /** Value of `rel` on external links. */
  rel?: readonly string[];
}

export const EXTERNAL_LINK_REL = ["nofollow", "ugc", "noopener"] as const;

/** The host of an absolute http(s) or protocol-relative URL, else undefined. */
export function externalHost(href: string): string | undefined {
  const trimmed = href.trim();
  if (!/^(?:https?:)?\/\//i.test(trimmed)) return undefined;
  try {
    return new URL(trimmed, "https://relative.invalid").hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export default function rehypeExternalLinks(options: ExternalLinksOptions = {}) {
  const internal = new Set((options.internalHosts ?? []).map((host) => host.toLowerCase()));
  const rel = [...(options.rel ?? EXTERNAL_LINK_REL)];
  return (tree: Root): void => {
    visitElements(tree, (node) => {
      if (node.tagName !== "a" || typeof node.properties.href !== "string") return;
      const host = externalHost(node.properties.href);
      if (host === undefined || internal.has(host)) return;
      node.properties.rel = [...rel];
    });
  };
}
