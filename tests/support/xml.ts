import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * Parse XML the way a feed reader would: refuse what is not well-formed,
 * keep attributes (`@_name`), and give repeated elements as arrays.
 */
export function parseXml(xml: string, options: { trimValues?: boolean } = {}): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    trimValues: options.trimValues ?? true,
    processEntities: { maxTotalExpansions: 1e6, maxExpandedLength: 1e8 },
    isArray: (name) => ["entry", "link", "category", "url"].includes(name),
  }).parse(xml);
}
