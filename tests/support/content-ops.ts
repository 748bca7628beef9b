/**
 * Random edits of a content folder for property tests (fast-check): adds,
 * edits, deletes and renames of questions and answers, and edits of tags.yml
 * and LICENSE. The vocabulary is small on purpose, so duplicate numbers,
 * clashing slugs, similar titles, orphan answers and unknown tags all happen.
 */
import fc from "fast-check";

export type Files = Map<string, string>;

const SLUGS = ["what-is-orm", "what-is-the-orm", "What-Is-Orm", "csrf-tokens", "csrf_tokens", "ab", "migrations-explained", "signals-vs-save"];
const TITLE_WORDS = ["ORM", "QuerySet", "migrations", "CSRF", "tokens", "signals", "save", "What is the", "How do", "select_related", "cache"];
const TAGS = ["orm", "security", "migrations", "nope"];
const ANSWER_IDS = ["a", "b", "Two", "two", "first-answer"];
const BODIES = [
  "What does it do?",
  "Explain it.",
  "It depends.",
  "Use `select_related()` here.\n\n```python\nQ.objects.all()\n```",
  "```\nno language\n```",
  "<b>raw html</b> here?",
  "",
];

export const INITIAL: Array<[string, string]> = [
  ["tags.yml", "- id: orm\n  label: ORM\n  description: Queries.\n- id: security\n  label: Security\n  description: Safety.\n"],
  ["LICENSE", "BSD 3-Clause. Credit: the seed list.\n"],
];

const question = fc.record({
  number: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(0)),
  title: fc.array(fc.constantFrom(...TITLE_WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(" ")),
  tags: fc.array(fc.constantFrom(...TAGS), { minLength: 0, maxLength: 3 }),
  body: fc.constantFrom(...BODIES),
  broken: fc.boolean().map((b) => b && Math.random() < 0.1),
});

function questionText(q: { number: number; title: string; tags: string[]; body: string; broken: boolean }): string {
  if (q.broken) return `---\nnumber: [${q.number}\n---\nbroken`;
  return `---\nnumber: ${q.number}\ntitle: "${q.title}?"\ntags: [${q.tags.join(", ")}]\nadded: 2026-01-0${1 + (q.number % 9)}\n---\n${q.body}\n`;
}

const answer = fc.record({ author: fc.constantFrom("Ann", "Bob", ""), date: fc.constantFrom("2026-01-01", "2026-02-03", "2026-13-01"), body: fc.constantFrom(...BODIES) });

function answerText(a: { author: string; date: string; body: string }): string {
  return `---\nauthor: ${a.author}\ndate: ${a.date}\n---\n${a.body}\n`;
}

export type Op =
  | { op: "putQuestion"; slug: string; text: string }
  | { op: "deleteQuestion"; slug: string }
  | { op: "renameFolder"; from: string; to: string }
  | { op: "putAnswer"; slug: string; id: string; text: string }
  | { op: "deleteAnswer"; slug: string; id: string }
  | { op: "renameAnswer"; slug: string; from: string; to: string }
  | { op: "tags"; text: string }
  | { op: "license"; present: boolean };

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("putQuestion" as const), slug: fc.constantFrom(...SLUGS), text: question.map(questionText) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteQuestion" as const), slug: fc.constantFrom(...SLUGS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("renameFolder" as const), from: fc.constantFrom(...SLUGS), to: fc.constantFrom(...SLUGS) }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("putAnswer" as const), slug: fc.constantFrom(...SLUGS), id: fc.constantFrom(...ANSWER_IDS), text: answer.map(answerText) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteAnswer" as const), slug: fc.constantFrom(...SLUGS), id: fc.constantFrom(...ANSWER_IDS) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("renameAnswer" as const), slug: fc.constantFrom(...SLUGS), from: fc.constantFrom(...ANSWER_IDS), to: fc.constantFrom(...ANSWER_IDS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("tags" as const),
      text: fc
        .subarray(["orm", "security", "migrations", "Bad Id"], { minLength: 0 })
        .map((ids) => ids.map((id) => `- id: ${id}\n  label: ${id.toUpperCase()}\n  description: About ${id}.\n`).join("")),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("license" as const), present: fc.boolean() }) },
);

/** Applies an operation to the files; returns the paths written and the paths deleted. */
export function applyOp(files: Files, op: Op): { written: string[]; deleted: string[] } {
  const written: string[] = [];
  const deleted: string[] = [];
  const put = (p: string, text: string) => {
    files.set(p, text);
    written.push(p);
  };
  const del = (p: string) => {
    if (files.delete(p)) deleted.push(p);
  };
  switch (op.op) {
    case "putQuestion":
      put(`questions/${op.slug}/question.md`, op.text);
      break;
    case "deleteQuestion":
      del(`questions/${op.slug}/question.md`);
      break;
    case "renameFolder": {
      if (op.from === op.to) break;
      const prefix = `questions/${op.from}/`;
      for (const [p, text] of [...files]) {
        if (!p.startsWith(prefix)) continue;
        del(p);
        put(`questions/${op.to}/${p.slice(prefix.length)}`, text);
      }
      break;
    }
    case "putAnswer":
      put(`questions/${op.slug}/answers/${op.id}.md`, op.text);
      break;
    case "deleteAnswer":
      del(`questions/${op.slug}/answers/${op.id}.md`);
      break;
    case "renameAnswer": {
      const from = `questions/${op.slug}/answers/${op.from}.md`;
      const text = files.get(from);
      if (text === undefined || op.from === op.to) break;
      del(from);
      put(`questions/${op.slug}/answers/${op.to}.md`, text);
      break;
    }
    case "tags":
      if (op.text === "") del("tags.yml");
      else put("tags.yml", op.text);
      break;
    case "license":
      if (op.present) put("LICENSE", "BSD 3-Clause. Credit: the seed list.\n");
      else del("LICENSE");
      break;
  }
  // A path both deleted and written (a rename onto itself) is written.
  return { written: [...new Set(written)], deleted: deleted.filter((p) => !files.has(p)) };
}
