import { describe, expect, it } from "vitest";
import { parseFrontMatter } from "~/modules/validation";
import {
  ProposalRefused,
  answerId,
  editFormValues,
  nextQuestionNumber,
  parseEditPath,
  proposalToFiles,
  slugify,
  type ContentIndex,
} from "./files";
import type { AnswerProposalInput, EditProposalInput, QuestionProposalInput } from "./schema";

const content: ContentIndex = {
  questions: [
    {
      slug: "what-is-middleware",
      number: 23,
      title: "Middleware: what it is and when you need it",
      tags: ["http", "architecture"],
      added: "2026-11-25",
      credit: "Şuayip Üzülmez",
      body: "What is 'middleware'?\n",
      answers: [{ id: "2026-11-26-jane-doe", author: "Jane Doe", github: "janedoe", date: "2026-11-26", body: "It wraps the view.\n" }],
    },
    { slug: "querysets-are-lazy", number: 7, title: "QuerySets are lazy", tags: ["orm"], added: "2026-11-25", body: "Why?\n", answers: [] },
  ],
};

const contributor = { name: "Jane Doe", licence: true as const, website: "" };

describe("proposalToFiles: new question", () => {
  it("writes the exact question.md of the contract at the next free number", () => {
    const input: QuestionProposalInput = {
      kind: "question",
      title: "Signals: when should you avoid them?",
      body: "\n\nWhen would you *not* use a signal?\r\n\r\nGive an example.   \n\n",
      tags: ["signals", "architecture"],
      credit: "Jane Doe",
      ...contributor,
    };
    const out = proposalToFiles(input, content, { today: "2026-12-01" });
    expect(out.number).toBe(24);
    expect(out.slug).toBe("signals-when-should-you-avoid-them");
    expect(out.files).toEqual([
      {
        path: "content/questions/signals-when-should-you-avoid-them/question.md",
        content:
          "---\n" +
          "number: 24\n" +
          'title: "Signals: when should you avoid them?"\n' +
          "tags: [signals, architecture]\n" +
          "added: 2026-12-01\n" +
          "credit: Jane Doe\n" +
          "---\n" +
          "When would you *not* use a signal?\n\nGive an example.\n",
      },
    ]);
    // The validator's parser reads back exactly what was submitted.
    const fm = parseFrontMatter(out.files[0]!.content);
    expect("error" in fm).toBe(false);
    if (!("error" in fm)) {
      expect(fm.data).toEqual({ number: 24, title: "Signals: when should you avoid them?", tags: ["signals", "architecture"], added: "2026-12-01", credit: "Jane Doe" });
    }
  });

  it("credits the contributor when the form names no one else, and quotes YAML-ambiguous titles", () => {
    const out = proposalToFiles(
      { kind: "question", title: "yes: #1 or 'no'?", body: "Which one do you pick?", tags: ["orm"], ...contributor, name: "Ann Example" },
      content,
      { today: "2026-12-01" },
    );
    const fm = parseFrontMatter(out.files[0]!.content);
    if ("error" in fm) throw new Error(fm.error.message);
    expect(fm.data as Record<string, unknown>).toMatchObject({ title: "yes: #1 or 'no'?", credit: "Ann Example" });
  });
});

describe("proposalToFiles: new answer", () => {
  it("writes answers/<date>-<author>.md with author, github, date in that order", () => {
    const input: AnswerProposalInput = {
      kind: "answer",
      questionSlug: "what-is-middleware",
      body: "Middleware wraps every request.",
      ...contributor,
      name: "Zoë O'Brien",
      github: "zoe-ob",
    };
    const out = proposalToFiles(input, content, { today: "2026-12-01" });
    expect(out.answerId).toBe("2026-12-01-zoe-obrien");
    expect(out.questionTitle).toBe("Middleware: what it is and when you need it");
    expect(out.files).toEqual([
      {
        path: "content/questions/what-is-middleware/answers/2026-12-01-zoe-obrien.md",
        content: "---\nauthor: Zoë O'Brien\ngithub: zoe-ob\ndate: 2026-12-01\n---\nMiddleware wraps every request.\n",
      },
    ]);
  });

  it("takes -2 when the id is taken in that folder, and refuses unknown questions", () => {
    const out = proposalToFiles(
      { kind: "answer", questionSlug: "what-is-middleware", body: "Another answer here.", ...contributor },
      content,
      { today: "2026-11-26" },
    );
    expect(out.answerId).toBe("2026-11-26-jane-doe-2");
    expect(out.files[0]!.content).toBe("---\nauthor: Jane Doe\ndate: 2026-11-26\n---\nAnother answer here.\n");
    expect(() =>
      proposalToFiles({ kind: "answer", questionSlug: "no-such-question", body: "Text of answer", ...contributor }, content),
    ).toThrow(ProposalRefused);
  });
});

describe("proposalToFiles: edits", () => {
  it("replaces only the edited question file, keeping number and added", () => {
    const input: EditProposalInput = {
      kind: "edit",
      path: "content/questions/what-is-middleware/question.md",
      title: "Middleware: what it is and when you need it",
      tags: ["http"],
      credit: "Şuayip Üzülmez",
      body: "What is middleware? Name two built-in middleware classes.",
      ...contributor,
    };
    const out = proposalToFiles(input, content, { today: "2027-01-01" });
    expect(out.target).toBe("content/questions/what-is-middleware/question.md");
    expect(out.files).toEqual([
      {
        path: "content/questions/what-is-middleware/question.md",
        content:
          '---\nnumber: 23\ntitle: "Middleware: what it is and when you need it"\ntags: [http]\nadded: 2026-11-25\ncredit: Şuayip Üzülmez\n---\nWhat is middleware? Name two built-in middleware classes.\n',
      },
    ]);
  });

  it("edits an answer's body, keeps its author and github, and dates it as revised today", () => {
    const out = proposalToFiles(
      {
        kind: "edit",
        path: "content/questions/what-is-middleware/answers/2026-11-26-jane-doe.md",
        body: "It wraps the view, like an onion.",
        ...contributor,
        name: "Someone Else",
      },
      content,
      { today: "2026-12-04" },
    );
    expect(out.files).toEqual([
      {
        path: "content/questions/what-is-middleware/answers/2026-11-26-jane-doe.md",
        content: "---\nauthor: Jane Doe\ngithub: janedoe\ndate: 2026-12-04\n---\nIt wraps the view, like an onion.\n",
      },
    ]);
  });

  it("keeps the Django versions an answer was checked against, quoted, through an edit", () => {
    const checked = {
      questions: content.questions.map((q) => ({
        ...q,
        answers: q.answers.map((a) => ({ ...a, django: ["5.2", "6.0"] })),
      })),
    };
    const path = "content/questions/what-is-middleware/answers/2026-11-26-jane-doe.md";
    const out = proposalToFiles({ kind: "edit", path, body: "It wraps the view.\n\nLike an onion.", ...contributor }, checked, { today: "2026-12-04" });
    expect(out.files[0]!.content).toBe(
      '---\nauthor: Jane Doe\ngithub: janedoe\ndate: 2026-12-04\ndjango: ["5.2", "6.0"]\n---\nIt wraps the view.\n\nLike an onion.\n',
    );
    expect(() => proposalToFiles({ kind: "edit", path, body: "It wraps the view.\n", ...contributor }, checked)).toThrow(/Nothing has changed/);
  });

  it("keeps the question's tag order when the form sends its tags in the vocabulary's order", () => {
    const base = { kind: "edit", path: "content/questions/what-is-middleware/question.md", title: "Middleware: what it is and when you need it", credit: "Şuayip Üzülmez", ...contributor } as const;
    // The checkboxes come alphabetically: architecture before http. Only the body changed.
    const out = proposalToFiles({ ...base, tags: ["architecture", "http"], body: "What is middleware? Name three." }, content, { today: "2027-01-01" });
    expect(out.files[0]!.content).toContain("tags: [http, architecture]\n");
    // The same tags in another order and nothing else: nothing has changed.
    const values = editFormValues(content, base.path);
    expect(() => proposalToFiles({ ...base, ...values, tags: ["architecture", "http"] } as EditProposalInput, content)).toThrow(/Nothing has changed/);
    // An added tag goes after the kept ones; a removed one is gone.
    const added = proposalToFiles({ ...base, tags: ["architecture", "deployment", "http"], body: "What is middleware?" }, content);
    expect(added.files[0]!.content).toContain("tags: [http, architecture, deployment]\n");
    const removed = proposalToFiles({ ...base, tags: ["architecture"], body: "What is middleware?" }, content);
    expect(removed.files[0]!.content).toContain("tags: [architecture]\n");
  });

  it("refuses an edit that changes nothing", () => {
    const values = editFormValues(content, "content/questions/what-is-middleware/question.md");
    expect(values).toMatchObject({ title: "Middleware: what it is and when you need it", tags: ["http", "architecture"] });
    expect(() => proposalToFiles({ kind: "edit", ...values, ...contributor } as EditProposalInput, content)).toThrow(/Nothing has changed/);
  });

  it.each([
    "../etc/passwd",
    "/content/questions/what-is-middleware/question.md",
    "content/questions/../questions/what-is-middleware/question.md",
    "content/questions/what-is-middleware/../../tags.yml",
    "content\\questions\\what-is-middleware\\question.md",
    "content/questions/what-is-middleware/question.md\0",
    "content/questions/what-is-middleware/%2e%2e/question.md",
    "content/tags.yml",
    "content/questions/what-is-middleware/answers/../question.md",
    "content/questions/What-Is/question.md",
    "content/questions/what-is-middleware/answers/sub/x.md",
    "content/questions/what-is-middleware/notes.md",
    "C:/content/questions/what-is-middleware/question.md",
  ])("refuses the path %j", (path) => {
    expect(() => parseEditPath(path)).toThrow(ProposalRefused);
    expect(() =>
      proposalToFiles({ kind: "edit", path, body: "Some new text here", title: "Some title here", tags: ["orm"], ...contributor }, content),
    ).toThrow(ProposalRefused);
  });

  it("refuses edits of files that do not exist", () => {
    expect(() =>
      proposalToFiles({ kind: "edit", path: "content/questions/what-is-middleware/answers/nobody.md", body: "New text here", ...contributor }, content),
    ).toThrow(/does not exist/);
  });
});

describe("slugs, numbers, answer ids", () => {
  it("makes kebab-case slugs of at most 60 characters, cut at a word", () => {
    expect(slugify("What's the N+1 problem & how do you fix it?")).toBe("whats-the-n-1-problem-and-how-do-you-fix-it");
    expect(slugify("Über-schnelle Caches für Django")).toBe("uber-schnelle-caches-fur-django");
    const long = slugify("A very long title about select_related and prefetch_related and when to use each of them");
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(long).toBe("a-very-long-title-about-select-related-and-prefetch-related");
  });

  it("never returns a slug shorter than 3 characters", () => {
    expect(slugify("?!", [], 12)).toBe("question-12");
    expect(slugify("Go", [], 3)).toBe("question-3");
  });

  it("adds -2, -3 to slugs already taken, staying within 60 characters", () => {
    expect(slugify("QuerySets are lazy", ["querysets-are-lazy"])).toBe("querysets-are-lazy-2");
    expect(slugify("QuerySets are lazy", ["querysets-are-lazy", "querysets-are-lazy-2"])).toBe("querysets-are-lazy-3");
    const base = "x".repeat(60);
    const next = slugify(base, [base]);
    expect(next.length).toBeLessThanOrEqual(60);
    expect(next.endsWith("-2")).toBe(true);
  });

  it("numbers new questions after the highest existing number", () => {
    expect(nextQuestionNumber(content)).toBe(24);
    expect(nextQuestionNumber({ questions: [] })).toBe(1);
  });

  it("derives answer ids from the date and the author", () => {
    expect(answerId("2026-11-25", "Jane Doe")).toBe("2026-11-25-jane-doe");
    expect(answerId("2026-11-25", "Jane Doe", ["2026-11-25-jane-doe", "2026-11-25-jane-doe-2"])).toBe("2026-11-25-jane-doe-3");
    expect(answerId("2026-11-25", "李雷", [], "lilei")).toBe("2026-11-25-lilei");
    expect(answerId("2026-11-25", "李雷")).toBe("2026-11-25-anonymous");
  });
});
