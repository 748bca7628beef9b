import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { describeDialects } from "../../../tests/support/databases";
import { createRateLimiter, memoryRateLimiter, type RateLimiter } from "./rate-limit.server";

const START = Date.parse("2026-12-04T10:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

function later(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

/** The behaviour every store must have. */
function behaves(make: (spec: { name: string; limit: number; windowMs: number }) => RateLimiter) {
  it("allows the limit within the window, refuses the next with a retry time, and starts afresh when the window ends", async () => {
    const limiter = make({ name: "test", limit: 3, windowMs: 60_000 });
    expect(await Promise.all([1, 2, 3].map(() => limiter.attempt("a")))).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(await limiter.attempt("a")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect((await limiter.attempt("b")).allowed).toBe(true); // other clients unaffected
    later(30_000);
    expect(await limiter.attempt("a")).toEqual({ allowed: false, retryAfterSeconds: 30 });
    later(30_001);
    expect((await limiter.attempt("a")).allowed).toBe(true);
  });

  it("checks without counting, so only recorded attempts use up the limit", async () => {
    const limiter = make({ name: "test", limit: 1, windowMs: 60_000 });
    expect((await limiter.check("a")).allowed).toBe(true);
    expect((await limiter.check("a")).allowed).toBe(true);
    await limiter.record("a");
    expect(await limiter.check("a")).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it("keeps limiters of different names apart", async () => {
    const proposals = make({ name: "proposal", limit: 1, windowMs: 60_000 });
    const previews = make({ name: "preview", limit: 1, windowMs: 60_000 });
    expect((await proposals.attempt("a")).allowed).toBe(true);
    expect((await previews.attempt("a")).allowed).toBe(true);
    expect((await proposals.attempt("a")).allowed).toBe(false);
  });
}

describe("rate limits in memory", () => {
  behaves(memoryRateLimiter);
});

describeDialects("rate limits in the database", (t) => {
  behaves((spec) => createRateLimiter(t().data, spec));

  it("are shared by every limiter over the same database (every instance), and exact under concurrent attempts", async () => {
    const { data } = t();
    // Two instances: two limiters of the same name over one database.
    const one = createRateLimiter(data, { name: "proposal", limit: 5, windowMs: 600_000 });
    const two = createRateLimiter(data, { name: "proposal", limit: 5, windowMs: 600_000 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).attempt("10.0.0.7")));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await one.check("10.0.0.7")).toMatchObject({ allowed: false });
    expect(await two.check("10.0.0.8")).toEqual({ allowed: true });
  });
});
