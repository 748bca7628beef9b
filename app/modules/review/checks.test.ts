import { describe, expect, it } from "vitest";
import { summariseCheckRuns, summariseFindings } from "./checks";

const run = (name: string, status: string, conclusion: string | null = null) => ({ name, status, conclusion });

describe("summariseCheckRuns", () => {
  it("says none when CI has not reported", () => {
    expect(summariseCheckRuns([]).state).toBe("none");
  });

  it("is a success when every run completed well (neutral and skipped count as passing)", () => {
    const s = summariseCheckRuns([run("content-check", "completed", "success"), run("lint", "completed", "neutral"), run("x", "completed", "skipped")]);
    expect(s).toEqual({ state: "success", text: "All 3 checks passed" });
    expect(summariseCheckRuns([run("content-check", "completed", "success")]).text).toBe("Check passed (content-check)");
  });

  it("is pending while a run is queued or in progress", () => {
    const s = summariseCheckRuns([run("content-check", "in_progress"), run("ci", "completed", "success")]);
    expect(s.state).toBe("pending");
    expect(s.text).toContain("content-check");
  });

  it("is a failure when any run failed, even if others are still running", () => {
    for (const conclusion of ["failure", "timed_out", "cancelled", "action_required"]) {
      const s = summariseCheckRuns([run("content-check", "completed", conclusion), run("ci", "queued")]);
      expect(s.state).toBe("failure");
      expect(s.text).toBe("1 of 2 checks failed (content-check)");
    }
  });
});

describe("summariseFindings", () => {
  const f = (severity: "error" | "warning") => ({ path: "questions/x/question.md", line: 1, column: 1, severity, message: "m", rule: "r" });
  it("fails on errors, passes with warnings, passes clean", () => {
    expect(summariseFindings([f("error"), f("warning")])).toEqual({ state: "failure", text: "1 error, 1 warning" });
    expect(summariseFindings([f("warning"), f("warning")])).toEqual({ state: "success", text: "Passed with 2 warnings" });
    expect(summariseFindings([])).toEqual({ state: "success", text: "Passed" });
  });
});
