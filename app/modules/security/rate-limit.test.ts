import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit.server";

describe("RateLimiter", () => {
  it("allows the limit within the window, refuses the next with a retry time, and forgets old hits", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.attempt("a").allowed)).toEqual([true, true, true]);
    const refused = limiter.attempt("a");
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.attempt("b").allowed).toBe(true); // other clients unaffected
    now += 30_000;
    expect(limiter.attempt("a")).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_001;
    expect(limiter.attempt("a").allowed).toBe(true);
  });
});

describe("RateLimiter.check and record", () => {
  it("checks without counting, so only recorded attempts use up the limit", () => {
    const now = 5_000_000;
    const limiter = new RateLimiter(1, 60_000, () => now);
    expect(limiter.check("a").allowed).toBe(true);
    expect(limiter.check("a").allowed).toBe(true);
    limiter.record("a");
    expect(limiter.check("a")).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });
});
