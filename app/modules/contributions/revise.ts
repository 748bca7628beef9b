/**
 * A revision of a proposal → its files. Pure.
 *
 * A revision changes what the contributor typed, never what the proposal is:
 * a new question keeps its folder (slug) and number (unless another question
 * took the number meanwhile: the next free one, as a new proposal would get)
 * and its date; a new answer keeps its file name and date; an edit is built
 * like a new edit of the same file, from the content as it is now.
 */
import { answerFileText, nextQuestionNumber, proposalToFiles, ProposalRefused, questionFileText, type ContentIndex } from "./files";
import type { ProposalInput } from "./schema";
import type { ProposalFile, ProposalKind } from "~/modules/forge/types";

export interface RevisedProposal {
  kind: ProposalKind;
  /** The stored files of the current version (a revision keeps their paths). */
  files: ProposalFile[];
  fields: Record<string, unknown>;
  /** The question's title now. */
  title: string;
  createdAt: string;
}

export interface RevisionFiles {
  files: ProposalFile[];
  questionTitle: string;
  /** Generated fields the revision keeps or changes (`number`, `answerId`). */
  generated: { number?: number; answerId?: string };
}

/** The form values that fix what is revised: the route passes them, never the client. */
export function fixedRevisionValues(p: Pick<RevisedProposal, "kind" | "fields">): Record<string, string> {
  const fixed: Record<string, string> = { kind: p.kind };
  if (p.kind === "answer" && typeof p.fields.questionSlug === "string") fixed.questionSlug = p.fields.questionSlug;
  if (p.kind === "edit" && typeof p.fields.path === "string") fixed.path = p.fields.path;
  // An edit's credit line is not in its form: it stays as the edit had it.
  if (p.kind === "edit" && typeof p.fields.credit === "string") fixed.credit = p.fields.credit;
  return fixed;
}

export function revisionFiles(p: RevisedProposal, input: ProposalInput, content: ContentIndex): RevisionFiles {
  if (input.kind !== p.kind) throw new ProposalRefused("_form", "A revision cannot change what kind of proposal it is.");
  const date = p.createdAt.slice(0, 10);
  const [first] = p.files;
  if (!first) throw new ProposalRefused("_form", "This proposal has no file to revise.");
  if (input.kind === "question") {
    const stored = typeof p.fields.number === "number" ? p.fields.number : undefined;
    const taken = stored !== undefined && content.questions.some((q) => q.number === stored);
    const number = stored !== undefined && !taken ? stored : nextQuestionNumber(content);
    const content_ = questionFileText({
      number,
      title: input.title,
      tags: input.tags,
      added: date,
      credit: input.credit ?? input.name,
      body: input.body,
    });
    return {
      files: [{ path: first.path, content: content_ }],
      questionTitle: input.title,
      generated: { number },
    };
  }
  if (input.kind === "answer") {
    const text = answerFileText({
      author: input.name,
      github: input.github,
      date,
      body: input.body,
    });
    const answerId = typeof p.fields.answerId === "string" ? p.fields.answerId : undefined;
    return {
      files: [{ path: first.path, content: text }],
      questionTitle: p.title,
      generated: answerId ? { answerId } : {},
    };
  }
  const built = proposalToFiles(input, content, { today: date });
  return {
    files: built.files,
    questionTitle: built.questionTitle,
    generated: built.answerId ? { answerId: built.answerId } : {},
  };
}

/** Whether a revision is the version it revises, file for file. */
export function sameFiles(a: readonly ProposalFile[], b: readonly ProposalFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.content === b[i]?.content);
}
