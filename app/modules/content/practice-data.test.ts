import { describe, expect, it } from "vitest";
import { practiceData, type LoadedContent } from "./index.server";
import { contentSnapshot } from "./snapshot";
import type { Question, Tag } from "./types";

function question(number: number, slug: string, tags: string[]): Question {
  return { slug, number, title: `Title ${number}`, tags, added: "2026-01-01", body: `Body of ${slug}.`, path: `questions/${slug}/question.md`, answers: [] };
}

const tags: Tag[] = [
  { id: "orm", label: "ORM", description: "d" },
  { id: "security", label: "Security", description: "d" },
];
const questions = [question(1, "one", ["orm"]), question(2, "two", ["orm"]), question(3, "three", ["orm"]), question(4, "four", ["security"])];
const content: LoadedContent = {
  ...contentSnapshot("test", questions, tags),
  findings: [],
  search: undefined as never,
  checked: true,
  loadedAt: new Date(),
};

/** The cards "another random question" can lead to, trying random values across [0, 1). */
function reachable(options: { tags: string[]; skip?: string }): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const r = i / 100;
    seen.add(practiceData(content, { ...options, random: () => r }).card!.question.slug);
  }
  return seen;
}

describe("practiceData's random card", () => {
  it("can be any question of the chosen topics", () => {
    expect([...reachable({ tags: ["orm"] })].sort()).toEqual(["one", "three", "two"]);
  });

  it("never repeats the question the reader just saw, and still reaches every other one", () => {
    for (const skip of ["one", "two", "three"]) {
      const seen = reachable({ tags: ["orm"], skip });
      expect(seen.has(skip), skip).toBe(false);
      expect(seen.size, skip).toBe(2);
    }
    expect(reachable({ tags: [], skip: "four" })).toEqual(new Set(["one", "two", "three"]));
  });

  it("shows the only question of a topic again rather than nothing", () => {
    expect([...reachable({ tags: ["security"], skip: "four" })]).toEqual(["four"]);
  });

  it("shows the card asked for by slug, whatever is skipped", () => {
    expect(practiceData(content, { tags: [], slug: "two", skip: "two", random: () => 0 }).card?.question.slug).toBe("two");
  });
});
