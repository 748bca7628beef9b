import { describe, expect, it } from "vitest";
import { csrfValid, matchesHash, secretsMatch, sha256 } from "./csrf.server";
import { createTokenSignIn } from "./token.server";

describe("maintainer token sign-in", () => {
  it("accepts MAINTAINER_TOKEN as often as needed and nothing else", () => {
    const { signIn, oneTimeToken } = createTokenSignIn({ configured: "a-long-maintainer-token-1234", enabled: true });
    expect(oneTimeToken).toBeUndefined();
    expect(signIn.mode).toBe("configured");
    expect(signIn.check("a-long-maintainer-token-1234")).toBe("ok");
    expect(signIn.check("a-long-maintainer-token-1234")).toBe("ok");
    expect(signIn.check("a-long-maintainer-token-1235")).toBe("wrong");
    expect(signIn.check("a-long-maintainer-token-12345")).toBe("wrong");
    expect(signIn.check("")).toBe("wrong");
    expect(signIn.check(undefined)).toBe("wrong");
  });

  it("makes a fresh one-time token per start that signs in exactly once", () => {
    const first = createTokenSignIn({ enabled: true });
    const second = createTokenSignIn({ enabled: true });
    expect(first.oneTimeToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(second.oneTimeToken).not.toBe(first.oneTimeToken);
    expect(first.signIn.check(second.oneTimeToken)).toBe("wrong");
    expect(first.signIn.check(first.oneTimeToken)).toBe("ok");
    expect(first.signIn.check(first.oneTimeToken)).toBe("used");
  });

  it("refuses everything when token sign-in is off", () => {
    const { signIn } = createTokenSignIn({ configured: "a-long-maintainer-token-1234", enabled: false });
    expect(signIn.enabled).toBe(false);
    expect(signIn.check("a-long-maintainer-token-1234")).toBe("wrong");
  });
});

describe("constant-time comparisons", () => {
  it("compares secrets of any length without throwing", () => {
    expect(secretsMatch("abc", "abc")).toBe(true);
    expect(secretsMatch("abc", "abcd")).toBe(false);
    expect(secretsMatch("", "")).toBe(false);
    expect(secretsMatch(undefined, "x")).toBe(false);
    expect(matchesHash(sha256("token"), "token")).toBe(true);
    expect(matchesHash(sha256("token"), "token ")).toBe(false);
  });

  it("accepts a posted CSRF token only when it equals the session's", () => {
    expect(csrfValid("s3cr3t-token", "s3cr3t-token")).toBe(true);
    expect(csrfValid("s3cr3t-token", "other")).toBe(false);
    expect(csrfValid("s3cr3t-token", null)).toBe(false);
    expect(csrfValid(undefined, "s3cr3t-token")).toBe(false);
  });
});
