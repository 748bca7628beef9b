import fs from "node:fs";
import path from "node:path";
import type { ProposalContext, ProposalData } from "~/modules/contributions/service.server";
import { contentFiles, snapshot, TEMPLATE } from "./fixtures";

export function tempDir(): string {
  const root = path.resolve("tests/.tmp");
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, "contrib-"));
}

export function proposalContext(data: ProposalData, extra: Partial<ProposalContext> = {}): ProposalContext {
  return {
    data,
    content: snapshot(),
    contentFiles: contentFiles(),
    template: TEMPLATE,
    siteUrl: "https://questions.example.org",
    now: () => new Date("2026-12-01T10:00:00Z"),
    ...extra,
  };
}

export const questionForm = {
  kind: "question",
  title: "How do F expressions avoid race conditions?",
  body: "Explain how `F()` expressions avoid race conditions when updating a counter.",
  tags: ["orm", "models"],
  name: "Ann Example",
  github: "ann-example",
  email: "",
  licence: "on",
  website: "",
};

export const answerForm = {
  kind: "answer",
  questionSlug: "querysets-are-lazy",
  body: "A QuerySet does not hit the database until it is evaluated: iterated, sliced with a step, or listed.",
  name: "Bob Builder",
  github: "",
  email: "bob@example.org",
  licence: "on",
  website: "",
};

export const editForm = {
  kind: "edit",
  path: "content/questions/what-is-middleware/question.md",
  title: "Middleware: what it is and when you need it",
  tags: ["http"],
  body: "What is middleware? Name three middleware classes Django provides and what they do.",
  name: "Cy Editor",
  github: "cy",
  email: "",
  licence: "on",
  website: "",
  note: "Asked for three classes instead of some; fixes #12, cc @someone",
};

/** A quiet log that remembers what was said. */
export function memoryLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    error: (m: string, d?: Record<string, unknown>) => void lines.push(`error ${m} ${JSON.stringify(d ?? {})}`),
  };
}
