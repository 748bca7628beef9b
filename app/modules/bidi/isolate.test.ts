import { describe, expect, it } from "vitest";
import { FSI, PDI, isolate } from "./isolate";

describe("isolate", () => {
  it("wraps text in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE", () => {
    expect(isolate("What is WSGI?")).toBe(`${FSI}What is WSGI?${PDI}`);
    expect(isolate("ما هو WSGI؟")).toBe(`${FSI}ما هو WSGI؟${PDI}`);
  });

  it("drops stray embedding, override and isolate controls, so nothing ends the isolation early or leaks out", () => {
    expect(isolate(`evil\u202E\u2069txt`)).toBe(`${FSI}eviltxt${PDI}`);
    expect(isolate("")).toBe("");
    expect(isolate("\u2069")).toBe("");
  });
});
