import { describe, expect, it } from "vitest";
import { isMaintainerPermission, roleLabel, TtlCache } from "./permission";

describe("who is a maintainer (GitHub collaborator permission)", () => {
  it("admin, maintain and write may review; triage, read and none may not", () => {
    // The shapes GitHub returns: maintain maps to the legacy permission write, triage to read.
    expect(isMaintainerPermission({ role_name: "admin", permission: "admin" })).toBe(true);
    expect(isMaintainerPermission({ role_name: "maintain", permission: "write" })).toBe(true);
    expect(isMaintainerPermission({ role_name: "write", permission: "write" })).toBe(true);
    expect(isMaintainerPermission({ role_name: "triage", permission: "read" })).toBe(false);
    expect(isMaintainerPermission({ role_name: "read", permission: "read" })).toBe(false);
    expect(isMaintainerPermission({ role_name: "none", permission: "none" })).toBe(false);
  });

  it("judges a custom role by its base permission", () => {
    expect(isMaintainerPermission({ role_name: "content-editor", permission: "write" })).toBe(true);
    expect(isMaintainerPermission({ role_name: "auditor", permission: "read" })).toBe(false);
    expect(isMaintainerPermission({ permission: "admin" })).toBe(true);
    expect(isMaintainerPermission({})).toBe(false);
  });

  it("labels the role for people", () => {
    expect(roleLabel({ role_name: "triage", permission: "read" })).toBe("triage");
    expect(roleLabel({ permission: "read" })).toBe("read");
  });
});

describe("TtlCache (permission answers are remembered a few minutes)", () => {
  it("forgets an entry after its time to live", () => {
    let t = 1000;
    const cache = new TtlCache<boolean>(5 * 60_000, () => t);
    cache.set("alice", true);
    t += 4 * 60_000;
    expect(cache.get("alice")).toBe(true);
    t += 2 * 60_000;
    expect(cache.get("alice")).toBeUndefined();
  });

  it("remembers nothing with a zero time to live", () => {
    const cache = new TtlCache<boolean>(0);
    cache.set("alice", true);
    expect(cache.get("alice")).toBeUndefined();
  });
});
