import { describe, expect, it } from "vitest";
import { decisionText } from "./decisions";
import { statusTimeline } from "./status-timeline";

const at = (m: number) => `2026-12-04T07:${String(m).padStart(2, "0")}:00.000Z`;

describe("the status page's timeline", () => {
  it("says received, in review, changes requested, merged in plain words — no delivery internals", () => {
    const steps = statusTimeline(
      [
        { type: "created", detail: "Proposal received (question).", at: at(0) },
        { type: "attempt", detail: "Attempt 1: delivering to GitHub.", at: at(1) },
        { type: "forked", detail: "Forked owner/repo to bot/repo.", at: at(1) },
        { type: "opened", detail: "Opened for review as #12: https://github.com/o/r/pull/12", at: at(2) },
        { type: "changes-requested", detail: decisionText.changesRequested("@mia", "Add an **example**."), at: at(3) },
        { type: "merged", detail: decisionText.merged("@mia", 12, { live: false, commit: "abc1234" }), at: at(4) },
      ],
      "merged",
    );
    expect(steps.map((s) => s.label)).toEqual(["Received", "In review", "Changes requested", "Merged"]);
    expect(steps[2]).toMatchObject({ by: "@mia", comment: "Add an **example**.", text: "@mia asked for changes:" });
    expect(steps[3]).toMatchObject({ by: "@mia", text: "Merged by @mia: your proposal is part of the wiki." });
    const words = steps.map((s) => s.text).join(" ");
    expect(words).not.toMatch(/abc1234|Attempt|fork|#12|github\.com|content\//i);
  });

  it("ends with what comes next while the proposal is undecided, and with nothing after a decision", () => {
    expect(statusTimeline([{ type: "created", detail: "", at: at(0) }], "queued").at(-1)).toMatchObject({ kind: "next", text: expect.stringMatching(/on its way/) });
    const open = statusTimeline(
      [
        { type: "created", detail: "", at: at(0) },
        { type: "queued-for-review", detail: "In the local review queue as #3.", at: at(1) },
        { type: "opened", detail: "Opened for review as #3: /review/x", at: at(1) },
      ],
      "opened",
    );
    expect(open.map((s) => s.label)).toEqual(["Received", "In review", "Next"]);
    const closed = statusTimeline([{ type: "closed", detail: decisionText.closed("Mia", "A duplicate of [question 2](/q/two)."), at: at(5) }], "closed");
    expect(closed).toEqual([{ kind: "closed", label: "Closed", text: "Closed without merging by Mia:", at: at(5), by: "Mia", comment: "A duplicate of [question 2](/q/two)." }]);
  });
});
