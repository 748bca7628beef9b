import { describe, expect, it } from "vitest";
import { grade, lastGradedText, orderRound, parseProgress, requeue, summariseByTag, timeAgo, type Progress } from "./schedule";

const NOW = Date.UTC(2026, 10, 25, 12);
const HOUR = 3_600_000;

describe("practice schedule", () => {
  it("brings a 'not yet' question back before a 'knew it' one graded at the same time", () => {
    let p: Progress = {};
    p = grade(p, "knew-q", "knew", NOW);
    p = grade(p, "notyet-q", "notyet", NOW);
    expect(orderRound(["knew-q", "notyet-q"], p, NOW + 1000)).toEqual(["notyet-q", "knew-q"]);
    // an hour later the 'not yet' one is due again, the other is not
    expect(orderRound(["knew-q", "notyet-q"], p, NOW + HOUR)).toEqual(["notyet-q", "knew-q"]);
  });

  it("puts 'partly' between 'not yet' and 'knew it', and unseen questions after due ones", () => {
    let p: Progress = {};
    p = grade(p, "a", "knew", NOW);
    p = grade(p, "b", "partly", NOW);
    p = grade(p, "c", "notyet", NOW);
    const order = orderRound(["a", "b", "c", "new"], p, NOW + HOUR);
    expect(order).toEqual(["c", "new", "b", "a"]);
    // two days later 'partly' is due too, 'knew it' (3 days) is not
    expect(orderRound(["a", "b", "c", "new"], p, NOW + 48 * HOUR)).toEqual(["c", "b", "new", "a"]);
  });

  it("doubles the 'knew it' interval with each success in a row and resets it after a miss", () => {
    let p: Progress = grade({}, "q", "knew", NOW);
    expect(p.q!.streak).toBe(1);
    p = grade(p, "q", "knew", NOW + 1);
    expect(p.q!.streak).toBe(2);
    // streak 2 → due after 6 days, not after 4
    expect(orderRound(["q", "x"], p, NOW + 4 * 24 * HOUR)).toEqual(["x", "q"]);
    p = grade(p, "q", "partly", NOW + 2);
    expect(p.q!.streak).toBe(0);
  });

  it("requeues a 'not yet' card a few places later in the current round", () => {
    expect(requeue(["a", "b", "c", "d", "e"], 0, "notyet")).toEqual(["a", "b", "c", "d", "a", "e"]);
    expect(requeue(["a", "b"], 1, "notyet")).toEqual(["a", "b", "b"]);
    expect(requeue(["a", "b", "c"], 0, "knew")).toEqual(["a", "b", "c"]);
  });

  it("summarises progress per tag", () => {
    let p: Progress = grade({}, "a", "knew", NOW);
    p = grade(p, "b", "notyet", NOW);
    const qs = [
      { slug: "a", tags: ["orm"] },
      { slug: "b", tags: ["orm", "security"] },
      { slug: "c", tags: ["security"] },
    ];
    const [orm, security] = summariseByTag(qs, ["orm", "security"], p, NOW + HOUR);
    expect(orm).toMatchObject({ total: 2, knew: 1, notyet: 1, unseen: 0, due: 1 });
    expect(security).toMatchObject({ total: 2, notyet: 1, unseen: 1, due: 1 });
  });

  it("ignores malformed stored progress instead of failing", () => {
    expect(parseProgress("not json")).toEqual({});
    expect(parseProgress('{"a":{"grade":"wrong","at":1},"b":{"grade":"knew","at":5,"streak":2}}')).toEqual({
      b: { grade: "knew", at: 5, streak: 2 },
    });
  });
});

describe("last grade on the card", () => {
  it("says the grade and how long ago, in the largest whole unit", () => {
    expect(lastGradedText(grade({}, "q", "partly", NOW - 3 * 24 * HOUR).q, NOW)).toBe("Last time: partly, 3 days ago");
    expect(lastGradedText(grade({}, "q", "notyet", NOW - 90_000).q, NOW)).toBe("Last time: not yet, 1 minute ago");
    expect(lastGradedText(grade({}, "q", "knew", NOW - 5 * HOUR - 59_000).q, NOW)).toBe("Last time: knew it, 5 hours ago");
    expect(lastGradedText(grade({}, "q", "knew", NOW - 10_000).q, NOW)).toBe("Last time: knew it, just now");
  });

  it("says so when a question was never practised", () => {
    expect(lastGradedText(undefined, NOW)).toBe("Not practised yet");
  });

  it("counts weeks, months and years, and treats a clock set back as just now", () => {
    expect(timeAgo(NOW - 15 * 24 * HOUR, NOW)).toBe("2 weeks ago");
    expect(timeAgo(NOW - 61 * 24 * HOUR, NOW)).toBe("2 months ago");
    expect(timeAgo(NOW - 400 * 24 * HOUR, NOW)).toBe("1 year ago");
    expect(timeAgo(NOW + HOUR, NOW)).toBe("just now");
  });
});
