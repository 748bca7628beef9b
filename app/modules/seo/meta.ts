import type { MetaDescriptor } from "@remix-run/node";

export const SITE_NAME = "Django Questions";
export const SITE_DESCRIPTION =
  "Self-check questions for Django developers, with the community's answers: read, search and practise them.";

/** The social card image (public/social-card.png, made by scripts/render-social-card.mjs). */
export const SOCIAL_CARD = {
  path: "/social-card.png",
  width: 1200,
  height: 630,
  alt: "Django Questions: self-check questions for Django developers, with community answers.",
};

/**
 * `<title>`, description, and Open Graph / Twitter card tags for a page. The
 * social card image (og:image, which needs the origin) is added by the root Layout.
 */
export function pageMeta(options: {
  title?: string;
  description: string;
  /** Absolute URL of the page (Open Graph needs one). */
  url?: string;
  type?: "website" | "article";
}): MetaDescriptor[] {
  // <title> keeps the isolation marks routes put around user text (bidi/isolate.ts); social cards get plain text.
  const title = options.title ? `${options.title} · ${SITE_NAME}` : `${SITE_NAME} — self-check questions for Django developers`;
  const cardTitle = options.title?.replace(/[\u2068\u2069]/g, "");
  const meta: MetaDescriptor[] = [
    { title },
    { name: "description", content: options.description },
    { property: "og:site_name", content: SITE_NAME },
    { property: "og:title", content: cardTitle ?? SITE_NAME },
    { property: "og:description", content: options.description },
    { property: "og:type", content: options.type ?? "website" },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: cardTitle ?? SITE_NAME },
    { name: "twitter:description", content: options.description },
  ];
  if (options.url) meta.push({ property: "og:url", content: options.url }, { tagName: "link", rel: "canonical", href: options.url });
  return meta;
}

/** HTML pages: always revalidate (ETag makes that a cheap 304), so merged content shows at once. */
export const HTML_CACHE_CONTROL = "public, max-age=0, must-revalidate";
