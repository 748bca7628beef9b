import { createHash } from "node:crypto";

export interface CachedPage {
  status: number;
  headers: [string, string][];
  /** The body split at every CSP nonce placeholder; joined with a fresh nonce per response. */
  parts: Buffer[];
  etag: string;
  size: number;
  /** An HTML page: gets a Content-Security-Policy with its nonce. */
  html: boolean;
}

/**
 * Rendered pages keyed by URL and the version of what the page shows. A page
 * stored for a URL replaces the page of an older version of that URL at once
 * (no request can reach it again), so edits do not fill the cache with stale
 * copies; the LRU bound (by bytes) evicts the least recently used pages.
 */
export class PageCache {
  /** One page per host and URL (its slot), with the key — version included — it was stored under. */
  private map = new Map<string, { key: string; page: CachedPage }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /**
   * Pages may contain the request's origin (canonical link, feed and sitemap
   * URLs when PUBLIC_URL is unset), so the Host header is part of the key: a
   * request with a forged Host must never fill the cache other readers get.
   */
  static key(version: string, url: string, host = ""): string {
    // A line break never occurs in a request's host or target: the part before it names the page's slot.
    return `${host} ${url}\n${version}`;
  }

  private static slot(key: string): string {
    return key.slice(0, key.lastIndexOf("\n"));
  }

  /** Bytes of the pages held. */
  get byteSize(): number {
    return this.bytes;
  }

  private drop(slot: string): void {
    const entry = this.map.get(slot);
    if (!entry) return;
    this.map.delete(slot);
    this.bytes -= entry.page.size;
  }

  get(key: string): CachedPage | undefined {
    const slot = PageCache.slot(key);
    const entry = this.map.get(slot);
    if (entry?.key !== key) {
      this.misses++;
      return undefined;
    }
    // refresh recency
    this.map.delete(slot);
    this.map.set(slot, entry);
    this.hits++;
    return entry.page;
  }

  set(key: string, page: CachedPage): void {
    const slot = PageCache.slot(key);
    this.drop(slot); // this page's older version, if any: unreachable from now on
    if (page.size > this.maxBytes / 8) return;
    this.map.set(slot, { key, page });
    this.bytes += page.size;
    for (const k of this.map.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Split a body at each occurrence of the placeholder. */
export function splitAt(body: Buffer, placeholder: string): Buffer[] {
  const needle = Buffer.from(placeholder);
  const parts: Buffer[] = [];
  let start = 0;
  for (;;) {
    const i = body.indexOf(needle, start);
    if (i === -1) break;
    parts.push(body.subarray(start, i));
    start = i + needle.length;
  }
  parts.push(body.subarray(start));
  return parts;
}

/** A weak validator over the body as rendered (before the per-response nonce). */
export function etagFor(body: Buffer): string {
  return `W/"${createHash("sha1").update(body).digest("base64url").slice(0, 27)}"`;
}

/** RFC 9110 If-None-Match: weak comparison, `*`, comma-separated lists. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}
