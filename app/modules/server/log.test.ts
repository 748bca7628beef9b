import { describe, expect, it } from "vitest";
import { getEnv } from "~/modules/config/env.server";
import { textLine } from "./log.server";

describe("log lines as text (a terminal)", () => {
  it("keeps time, level, component, message and the event's fields; the stack of an error follows", () => {
    const json = JSON.stringify({ level: "warn", time: "2026-12-04T10:00:01.123Z", pid: 1, hostname: "h", component: "auth", msg: "Sign in here", reqId: "r-1", status: 403 });
    expect(textLine(json)).toBe("10:00:01 warn  [auth] Sign in here  reqId=r-1 status=403\n");
    const failed = textLine(JSON.stringify({ level: "error", time: "2026-12-04T10:00:02.000Z", msg: "request failed", err: { stack: "Error: boom\n    at x" } }));
    expect(failed).toBe("10:00:02 error request failed\nError: boom\n    at x\n");
    expect(textLine("not json\n")).toBe("not json\n");
  });

  it("LOG_FORMAT and LOG_LEVEL accept only their values", () => {
    expect(getEnv({ NODE_ENV: "test", LOG_FORMAT: "text", LOG_LEVEL: "debug" })).toMatchObject({ LOG_FORMAT: "text", LOG_LEVEL: "debug" });
    expect(() => getEnv({ NODE_ENV: "test", LOG_FORMAT: "yaml" })).toThrow(/LOG_FORMAT/);
    expect(() => getEnv({ NODE_ENV: "test", LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
