import { describe, expect, it } from "vitest";
import { FORM_ERRORS, formDataToObject, parseProposalInput } from "./schema";

const TAGS = ["orm", "models", "http", "security", "testing", "signals"];

const question = {
  kind: "question",
  title: "What does select_related do?",
  body: "Explain select_related and when it helps.",
  tags: ["orm"],
  name: "Jane Doe",
  github: "",
  email: "",
  licence: "on",
  website: "",
};

function errors(raw: Record<string, unknown>) {
  const r = parseProposalInput(raw, TAGS);
  if (r.ok) throw new Error("expected errors");
  return r.fieldErrors;
}

describe("parseProposalInput", () => {
  it("accepts a valid question and trims the one-line fields", () => {
    const r = parseProposalInput({ ...question, title: "  What does select_related do?  ", github: "@JaneDoe", email: " jane@example.org " }, TAGS);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.input).toMatchObject({ kind: "question", title: "What does select_related do?", github: "JaneDoe", email: "jane@example.org", licence: true });
    }
  });

  it("limits the title to 100 characters and the body to 20,000", () => {
    expect(errors({ ...question, title: "x".repeat(101) }).title).toEqual(["The title must be at most 100 characters."]);
    expect(parseProposalInput({ ...question, title: "W".repeat(99) + "?" }, TAGS).ok).toBe(true);
    expect(errors({ ...question, body: "a".repeat(20_001) }).body?.[0]).toMatch(/too long: 20,001 characters, at most 20,000/);
    expect(parseProposalInput({ ...question, body: "a".repeat(20_000) }, TAGS).ok).toBe(true);
  });

  it("refuses bidirectional controls and invisible characters in names and titles, naming the character", () => {
    expect(errors({ ...question, name: "Jane\u202EeoD" }).name).toEqual([
      expect.stringMatching(/^Your name contains U\+202E RIGHT-TO-LEFT OVERRIDE \(character 5\)/),
    ]);
    expect(errors({ ...question, title: "What does select\u200B_related do?" }).title?.[0]).toMatch(/U\+200B ZERO WIDTH SPACE \(character 17\)/);
    expect(errors({ ...question, credit: "\u2067Ada" }).credit?.[0]).toMatch(/U\+2067 RIGHT-TO-LEFT ISOLATE \(character 1\)/);
    // Right-to-left scripts themselves are welcome.
    expect(parseProposalInput({ ...question, name: "مريم" }, TAGS).ok).toBe(true);
  });

  it("requires 1 to 5 tags from the vocabulary", () => {
    expect(errors({ ...question, tags: [] }).tags).toEqual(["Choose at least one tag."]);
    expect(errors({ ...question, tags: ["orm", "models", "http", "security", "testing", "signals"] }).tags).toEqual(["Choose at most 5 tags."]);
    expect(errors({ ...question, tags: ["orm", "javascript"] }).tags).toEqual(["Unknown tag: javascript. Choose from the list."]);
  });

  it("checks name, GitHub username and e-mail", () => {
    const e = errors({ ...question, name: "", github: "-bad-", email: "not-an-address" });
    expect(e.name).toEqual(["Enter your name."]);
    expect(e.github?.[0]).toMatch(/not a GitHub username/);
    expect(e.email).toEqual(["This e-mail address is not valid (leave it empty if you prefer)."]);
    expect(errors({ ...question, name: "n".repeat(101) }).name).toEqual(["Your name must be at most 100 characters."]);
    expect(errors({ ...question, email: `${"a".repeat(250)}@example.org` }).email?.[0]).toMatch(/at most 254/);
    expect(errors({ ...question, github: "a".repeat(40) }).github).toHaveLength(1);
  });

  it("requires the licence box and an empty honeypot", () => {
    expect(errors({ ...question, licence: undefined }).licence?.[0]).toMatch(/licence/);
    const bot = errors({ ...question, website: "http://spam.example" });
    expect(bot[FORM_ERRORS]).toHaveLength(1);
    expect(bot.website).toBeUndefined();
  });

  it("validates answers and edits with their own fields", () => {
    expect(errors({ kind: "answer", questionSlug: "../x", body: "An answer to it.", name: "A B", licence: "on" }).questionSlug).toEqual([
      "This is not a question of the site.",
    ]);
    const edit = errors({ kind: "edit", path: "content/questions/what-is-wsgi/question.md", body: "New text of it.", name: "A B", licence: "on" });
    expect(edit.title).toEqual(["Enter the title."]);
    expect(edit.tags).toEqual(["Choose at least one tag."]);
    expect(parseProposalInput({ kind: "edit", path: "content/questions/what-is-wsgi/answers/a.md", body: "New text of it.", name: "A B", licence: "on" }, TAGS).ok).toBe(true);
    expect(errors({ kind: "comment" })[FORM_ERRORS]?.[0]).toMatch(/Unknown kind/);
  });

  it("turns FormData into an object with tags as a list", () => {
    const fd = new FormData();
    fd.append("kind", "question");
    fd.append("tags", "orm");
    fd.append("tags", "models");
    fd.append("title", "A title");
    const obj = formDataToObject(fd.entries());
    expect(obj).toEqual({ kind: "question", tags: ["orm", "models"], title: "A title" });
    const one = new FormData();
    one.append("tags", "orm");
    expect(formDataToObject(one.entries()).tags).toEqual(["orm"]);
  });
});
