/**
 * Random proposals against a real content folder (fast-check), for the tests
 * of the proposal check: new questions, new answers, edits of questions and
 * answers, with numbers, slugs and titles that clash with existing ones,
 * broken front matter, unknown tags and invalid fields mixed in.
 */
import fc from "fast-check";
import type { ProposalFile, ProposalKind } from "~/modules/forge/types";
import { parseFrontMatter } from "~/modules/validation";
import type { ContentFile } from "~/modules/validation/types";

export interface Proposal {
  kind: ProposalKind;
  /** Repository paths (content/…). */
  files: ProposalFile[];
}

interface Existing {
  questions: Array<{ slug: string; path: string; text: string; number: number; title: string }>;
  answers: Array<{ slug: string; path: string; text: string }>;
  tags: string[];
  maxNumber: number;
}

const decoder = new TextDecoder();

function existingOf(files: readonly ContentFile[]): Existing {
  const out: Existing = { questions: [], answers: [], tags: [], maxNumber: 0 };
  for (const f of files) {
    const text = decoder.decode(f.bytes);
    const q = /^questions\/([^/]+)\/question\.md$/.exec(f.path);
    const a = /^questions\/([^/]+)\/answers\/[^/]+\.md$/.exec(f.path);
    if (q) {
      const fm = parseFrontMatter(text);
      const data = "error" in fm ? {} : ((fm.data ?? {}) as Record<string, unknown>);
      const number = typeof data.number === "number" ? data.number : 0;
      out.questions.push({ slug: q[1]!, path: f.path, text, number, title: String(data.title ?? "") });
      out.maxNumber = Math.max(out.maxNumber, number);
    } else if (a) out.answers.push({ slug: a[1]!, path: f.path, text });
    else if (f.path === "tags.yml") out.tags = [...text.matchAll(/^- id: (\S+)/gm)].map((m) => m[1]!);
  }
  out.questions.sort((x, y) => (x.path < y.path ? -1 : 1));
  out.answers.sort((x, y) => (x.path < y.path ? -1 : 1));
  if (out.questions.length === 0 || out.answers.length === 0 || out.tags.length === 0) throw new Error("the folder needs questions, answers and tags");
  return out;
}

const BODIES = [
  "What does it do, and when would you use it?",
  "Explain it with an example.\n\n```python\nUser.objects.select_related(\"profile\")\n```",
  "```\nno language here\n```",
  "A <b>raw html</b> body?",
  "",
  "See [the docs](https://docs.djangoproject.com/en/5.2/topics/db/queries/).",
];

const yaml = (s: string) => JSON.stringify(s);

/** Proposals of every kind over the files of a content folder (paths relative to it). */
export function proposalArbitrary(files: readonly ContentFile[]): fc.Arbitrary<Proposal> {
  const ex = existingOf(files);
  const existingQuestion = fc.constantFrom(...ex.questions);
  const title = fc.oneof(
    existingQuestion.map((q) => q.title), // a possible duplicate (the same title)
    existingQuestion.map((q) => `How ${q.title.charAt(0).toLowerCase()}${q.title.slice(1)}`), // a near one
    fc.constantFrom("Why are signals a trap in large projects?", "What is a context processor for?", "Caching per view or per site"),
    fc.constant(""), // empty: an error
  );
  const number = fc.oneof(fc.constant(ex.maxNumber + 1), existingQuestion.map((q) => q.number), fc.constant(0));
  const tags = fc.subarray([...ex.tags.slice(0, 4), "no-such-tag"], { minLength: 0, maxLength: 3 });
  const body = fc.constantFrom(...BODIES);
  const slug = fc.oneof(
    fc.constantFrom("a-brand-new-question", "another-new-one", "Bad_Slug"),
    existingQuestion.map((q) => q.slug), // the same folder as an existing question
    existingQuestion.map((q) => q.slug.toUpperCase()), // clashes by case
  );
  const brokenFrontMatter = (text: string) => text.replace(/^---\n/, "---\ntitle: [unclosed\n");

  const newQuestion = fc
    .record({ slug, number, title, tags, body, broken: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), credit: fc.boolean() })
    .map(({ slug, number, title, tags, body, broken, credit }): Proposal => {
      let text = `---\nnumber: ${number}\ntitle: ${yaml(title)}\ntags: [${tags.join(", ")}]\nadded: 2026-12-04\n${credit ? "credit: Someone\n" : ""}---\n${body}\n`;
      if (broken) text = brokenFrontMatter(text);
      return { kind: "question", files: [{ path: `content/questions/${slug}/question.md`, content: text }] };
    });

  const answerText = fc
    .record({ author: fc.constantFrom("Ann Example", ""), date: fc.constantFrom("2026-12-04", "2026-13-40"), github: fc.constantFrom("", "ann-example", "-bad-"), body })
    .map(({ author, date, github, body }) => `---\nauthor: ${yaml(author)}\n${github ? `github: ${github}\n` : ""}date: ${date}\n---\n${body || "An answer."}\n`);
  const newAnswer = fc
    .record({
      slug: fc.oneof({ weight: 4, arbitrary: existingQuestion.map((q) => q.slug) }, { weight: 1, arbitrary: fc.constant("no-such-question") }),
      id: fc.constantFrom("2026-12-04-ann-example", "Bad Id"),
      text: answerText,
    })
    .map(({ slug, id, text }): Proposal => ({ kind: "answer", files: [{ path: `content/questions/${slug}/answers/${id}.md`, content: text }] }));

  const questionEdit = fc
    .record({
      q: existingQuestion,
      change: fc.constantFrom("title", "number", "tag", "body", "broken", "nothing"),
      other: existingQuestion,
    })
    .map(({ q, change, other }): Proposal => {
      let text = q.text;
      if (change === "title") text = text.replace(/^title: .*$/m, `title: ${yaml(other.title)}`);
      if (change === "number") text = text.replace(/^number: .*$/m, `number: ${other.number}`);
      if (change === "tag") text = text.replace(/^tags: \[/m, "tags: [no-such-tag, ");
      if (change === "body") text = `${text.trimEnd()}\n\nOne more <i>paragraph</i>.\n`;
      if (change === "broken") text = brokenFrontMatter(text);
      return { kind: "edit", files: [{ path: `content/${q.path}`, content: text }] };
    });

  const answerEdit = fc
    .record({ a: fc.constantFrom(...ex.answers), change: fc.constantFrom("author", "date", "body", "nothing") })
    .map(({ a, change }): Proposal => {
      let text = a.text;
      if (change === "author") text = text.replace(/^author: .*$/m, "author: ''");
      if (change === "date") text = text.replace(/^date: .*$/m, "date: yesterday");
      if (change === "body") text = `${text.trimEnd()}\n\n\`\`\`\nmore code\n\`\`\`\n`;
      return { kind: "edit", files: [{ path: `content/${a.path}`, content: text }] };
    });

  // A new question with its first answer, in one proposal.
  const questionWithAnswer = fc.tuple(newQuestion, answerText).map(([q, answer]): Proposal => {
    const folder = q.files[0]!.path.replace(/question\.md$/, "");
    return { kind: "question", files: [...q.files, { path: `${folder}answers/2026-12-04-ann-example.md`, content: answer }] };
  });

  return fc.oneof(
    { weight: 3, arbitrary: newQuestion },
    { weight: 2, arbitrary: newAnswer },
    { weight: 2, arbitrary: questionEdit },
    { weight: 1, arbitrary: answerEdit },
    { weight: 1, arbitrary: questionWithAnswer },
  );
}
