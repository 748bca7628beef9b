import { describe, expect, it } from "vitest";
import { PageCache, type CachedPage } from "./page-cache.server";

const page = (size: number): CachedPage => ({ status: 200, headers: [], parts: [Buffer.alloc(size)], etag: `"${size}"`, size, html: true });

describe("PageCache", () => {
  it("replaces a URL's page of an older version at once instead of keeping it until evicted", () => {
    const cache = new PageCache(1_000_000);
    cache.set(PageCache.key("v1", "/q/a", "site"), page(100));
    cache.set(PageCache.key("v1", "/q/b", "site"), page(200));
    cache.set(PageCache.key("v2", "/q/a", "site"), page(150));
    expect(cache.size).toBe(2);
    expect(cache.byteSize).toBe(350);
    expect(cache.get(PageCache.key("v1", "/q/a", "site"))).toBeUndefined();
    expect(cache.get(PageCache.key("v2", "/q/a", "site"))?.size).toBe(150);
    expect(cache.get(PageCache.key("v1", "/q/b", "site"))?.size).toBe(200);
    // Another host is another page (pages may carry the request's origin).
    cache.set(PageCache.key("v1", "/q/a", "other"), page(10));
    expect(cache.get(PageCache.key("v2", "/q/a", "site"))?.size).toBe(150);
  });

  it("stays within its bound, evicting the least recently used pages", () => {
    const cache = new PageCache(1000);
    for (let i = 0; i < 8; i++) cache.set(PageCache.key("v1", `/q/${i}`), page(100));
    cache.get(PageCache.key("v1", "/q/0")); // used: kept
    for (let i = 8; i < 11; i++) cache.set(PageCache.key("v1", `/q/${i}`), page(100));
    expect(cache.byteSize).toBeLessThanOrEqual(1000);
    expect(cache.get(PageCache.key("v1", "/q/0"))).toBeDefined();
    expect(cache.get(PageCache.key("v1", "/q/1"))).toBeUndefined();
    // A page over an eighth of the bound is not kept, and drops the older version of its URL all the same.
    cache.set(PageCache.key("v2", "/q/0"), page(200));
    expect(cache.get(PageCache.key("v1", "/q/0"))).toBeUndefined();
    expect(cache.get(PageCache.key("v2", "/q/0"))).toBeUndefined();
  });
});
