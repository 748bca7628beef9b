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
 * Rendered pages keyed by content version and URL. A new content version
 * makes every old key unreachable; the LRU bound (by bytes) evicts them.
 */
export class PageCache {
  private map = new Map<string, CachedPage>();
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
    return `${version} ${host} ${url}`;
  }

  get(key: string): CachedPage | undefined {
    const page = this.map.get(key);
    if (!page) {
      this.misses++;
      return undefined;
    }
    // refresh recency
    this.map.delete(key);
    this.map.set(key, page);
    this.hits++;
    return page;
  }

  set(key: string, page: CachedPage): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.size;
      this.map.delete(key);
    }
    if (page.size > this.maxBytes / 8) return;
    this.map.set(key, page);
    this.bytes += page.size;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.size;
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
