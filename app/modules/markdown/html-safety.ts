/**
 * A checker for rendered user content, used by the tests (and usable by
 * other modules' tests, e.g. the contribution preview): lists everything in
 * an HTML string produced by rehype-stringify that would be dangerous in a
 * page. It relies on rehype-stringify's output shape (double-quoted
 * attribute values, `"` escaped inside them); it is not a sanitiser.
 */
/** Problems found; an empty array means nothing dangerous was found. */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  for (const tag of tags) {
    const name = /^<([a-zA-Z0-9]+)/.exec(tag)?.[1]?.toLowerCase() ?? "";
    if (["script", "iframe", "style", "svg", "form", "button", "object", "embed", "meta", "link", "textarea", "select", "math", "base"].includes(name)) {
      problems.push(`forbidden element: ${tag}`);
    }
    if (name === "input" && !/type="checkbox"/.test(tag)) problems.push(`non-checkbox input: ${tag}`);
    if (name === "input" && !/\bdisabled\b/.test(tag)) problems.push(`enabled input: ${tag}`);
    // rehype-stringify always double-quotes values and escapes `"` inside them.
    for (const [, rawAttr, rawValue] of tag.matchAll(/\s([^\s="'>/]+)(?:="([^"]*)")?/g)) {
      const attr = (rawAttr ?? "").toLowerCase();
      const value = decodeEntities(rawValue ?? "");
      if (/^on/.test(attr)) problems.push(`event handler attribute: ${tag}`);
      if (attr === "style") problems.push(`style attribute: ${tag}`);
      if (["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "cite", "longdesc"].includes(attr)) {
        // Browsers ignore tabs/newlines inside URLs and leading control characters.
        const url = value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
        if (scheme && !["http", "https", "mailto", "irc", "ircs", "xmpp"].includes(scheme)) {
          problems.push(`${attr} with ${scheme}: scheme: ${tag}`);
        }
      }
    }
  }
  if (html.includes("<!--")) problems.push("HTML comment");
  return problems;
}


function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);?/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&(?:colon|Tab|NewLine|quot|amp|lt|gt);/g, (entity) =>
      ({ "&colon;": ":", "&Tab;": "\t", "&NewLine;": "\n", "&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">" })[entity] ?? entity,
    );
}
