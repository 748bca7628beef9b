import { createHash } from "node:crypto";

/**
 * Permanent Atom ids (RFC 4287 §4.2.6: an entry's id never changes). They must
 * not depend on the host the feed was fetched from, so they are name-based
 * UUIDs (RFC 9562 version 5, `urn:uuid:`) of what the entry is — "question
 * <slug>", "answer <slug> <answer id>" — in this site's own namespace. The
 * entries' `<link>`s carry the URLs.
 */
const NAMESPACE = "5f0c7a4e-2b8d-4c61-9a53-0d6e1f8b2c47";

export function nameUuid(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const feedId = (): string => `urn:uuid:${nameUuid("feed")}`;
export const questionEntryId = (slug: string): string => `urn:uuid:${nameUuid(`question ${slug}`)}`;
export const answerEntryId = (slug: string, answerId: string): string => `urn:uuid:${nameUuid(`answer ${slug} ${answerId}`)}`;
