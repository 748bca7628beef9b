/** The server's V8 options are added to NODE_OPTIONS by every launcher; the operator's own win. */
import { describe, expect, it } from "vitest";
import { SERVER_NODE_OPTIONS, withServerNodeOptions } from "../../scripts/server-node-options.mjs";

describe("withServerNodeOptions", () => {
  it("adds the server's options to an environment without NODE_OPTIONS, keeping the rest", () => {
    const env = withServerNodeOptions({ PORT: "3000" });
    expect(env.PORT).toBe("3000");
    expect(env.NODE_OPTIONS.split(" ")).toEqual(SERVER_NODE_OPTIONS);
  });

  it("keeps the operator's options, and their own young-generation size wins", () => {
    const env = withServerNodeOptions({ NODE_OPTIONS: "--max-old-space-size=900 --max-semi-space-size=8" });
    expect(env.NODE_OPTIONS).toBe("--max-old-space-size=900 --max-semi-space-size=8");
    expect(withServerNodeOptions({ NODE_OPTIONS: "--enable-source-maps" }).NODE_OPTIONS).toBe(`--enable-source-maps ${SERVER_NODE_OPTIONS.join(" ")}`);
  });
});
