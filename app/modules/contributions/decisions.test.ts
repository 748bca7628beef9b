import { describe, expect, it } from "vitest";
import { decisionText, readDecision } from "./decisions";

describe("the decisions in a proposal's timeline", () => {
  it("reads back who merged, from the review screen's words and from the GitHub sync's", () => {
    expect(readDecision({ type: "merged", detail: decisionText.merged("Mia Maintainer", 4, { live: true, commit: "abc1234" }) })).toEqual({ by: "Mia Maintainer" });
    expect(readDecision({ type: "merged", detail: decisionText.merged("@mia", 4, { live: false, commit: "abc1234" }) })).toEqual({ by: "@mia" });
    expect(readDecision({ type: "merged", detail: "Merged as #4 by @mia. The site shows it as soon as it has pulled the change." })).toEqual({ by: "@mia" });
    // Before maintainers were named, and when the forge did not say.
    expect(readDecision({ type: "merged", detail: "Merged by a maintainer (#1): it is on the site now." })).toEqual({ by: "a maintainer" });
    expect(readDecision({ type: "merged", detail: "Merged as #4." })).toEqual({});
  });

  it("reads back the comment of a request for changes or a close, whatever it contains", () => {
    const comment = "Please add an example: `update()`.\n\nAnd asked for changes: no.";
    expect(readDecision({ type: "changes-requested", detail: decisionText.changesRequested("a maintainer", comment) })).toEqual({ by: "a maintainer", comment });
    expect(readDecision({ type: "changes-requested", detail: "@mia asked for changes on #4." })).toEqual({ by: "@mia" });
    expect(readDecision({ type: "closed", detail: decisionText.closed("J. Doe", "Duplicate of question 2.") })).toEqual({ by: "J. Doe", comment: "Duplicate of question 2." });
    expect(readDecision({ type: "opened", detail: "Opened for review as #4: /review/x" })).toEqual({});
  });
});
