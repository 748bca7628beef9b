/**
 * What a proposal will look like on the site, by construction: the form's
 * values become the proposal's files (`proposalToFiles`, exactly as when it
 * is sent), the files are parsed by the site's own parser (`parseContent`)
 * together with the rest of their question folder, and the question page is
 * built from that (`questionPage`, the one Markdown pipeline, sanitised). The
 * review screen previews a change's files the same way (`previewFromFiles`).
 */
import { contractFileOf, LICENSE_PATHS, questionFile, TAGS_PATH, toContentPath } from "~/modules/contract";
import type { AnswerView, LoadedContent, QuestionPage } from "~/modules/content/index.server";
import { questionPage } from "~/modules/content/index.server";
import { contentSnapshot } from "~/modules/content/snapshot";
import type { ProposalFile } from "~/modules/forge/types";
import { unformattedHtml } from "~/modules/markdown/render";
import { similarQuestions, type SimilarQuestion } from "~/modules/search";
import { parseContent } from "~/modules/validation";
import type { ContentFile } from "~/modules/validation/types";
import { isoDate, parseEditPath, ProposalRefused, proposalToFiles } from "./files";
import { many, one, type FormValues } from "./form-values";
import { GITHUB_USERNAME, LIMITS, type ProposalInput } from "./schema";

export type { FormValues } from "./form-values";

export interface ProposalPreview {
  question: QuestionPage["question"];
  tags: QuestionPage["tags"];
  answers: AnswerView[];
  /** The answer this proposal adds or changes, highlighted in the preview. */
  focusAnswerId?: string;
  /** Existing questions like the proposed one ("Is it already here?"). */
  similar: SimilarQuestion[];
}

/** The content as the site has it: the parsed snapshot and the files it was parsed from. */
export interface ContentSource {
  readonly content: LoadedContent;
  readonly contentFiles: readonly ContentFile[];
}

const encoder = new TextEncoder();

export function similarTo(content: LoadedContent, title: string, body = "", excludeSlug?: string): SimilarQuestion[] {
  if (title.trim().length < 4 && body.trim().length < 20) return [];
  return similarQuestions(content.search, { title, body }, { limit: 5, excludeSlug });
}

/**
 * Renders changed files exactly as the site will: the files of their question folder with the change
 * applied (and the tag vocabulary), parsed like the site parses content, then the question page among
 * the site's questions. `keepInvalid`: render even when the content check finds errors (the form's
 * preview while typing; the check's messages say what must change).
 */
export function previewFromFiles(source: ContentSource, files: readonly ProposalFile[], options: { keepInvalid?: boolean } = {}): ProposalPreview | undefined {
  const first = files.map((f) => contractFileOf(f.path)).find((f) => f !== undefined);
  if (!first) return undefined;
  const folder = `questions/${first.slug}/`;
  const own = new Map(files.filter((f) => contractFileOf(f.path)?.slug === first.slug).map((f) => [toContentPath(f.path), f.content]));
  const shared = new Set<string>([TAGS_PATH, ...LICENSE_PATHS]);
  const folderFiles: ContentFile[] = source.contentFiles.filter((f) => (f.path.startsWith(folder) || shared.has(f.path)) && !own.has(f.path));
  for (const [p, text] of own) folderFiles.push({ path: p, bytes: encoder.encode(text) });
  const parsed = parseContent(folderFiles, { keepInvalid: options.keepInvalid === true });
  const q = parsed.questions.find((x) => x.path === questionFile(first.slug));
  if (!q) return undefined;
  // The site's questions with this one added or replaced: its neighbours are the ones the site will show.
  const content = source.content;
  const questions = [...content.questions.filter((x) => x.slug !== q.slug), q].sort((a, b) => a.number - b.number || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const page = questionPage({ ...content, ...contentSnapshot(content.version, questions, content.tags) }, q);
  const answer = files.map((f) => contractFileOf(f.path)).find((f) => f?.kind === "answer");
  return {
    question: page.question,
    tags: page.tags,
    answers: page.answers,
    ...(answer?.kind === "answer" ? { focusAnswerId: answer.answerId } : {}),
    similar: [],
  };
}

/**
 * The form's values as a proposal, with what is still missing filled in (an untitled question, "You"):
 * the preview follows typing, before the form is complete. Undefined for an unknown kind of proposal.
 */
function previewInput(values: FormValues, content: LoadedContent, body: string): ProposalInput | undefined {
  const github = one(values, "github").trim().replace(/^@/, "");
  const contributor = {
    name: one(values, "name").trim() || "You",
    ...(GITHUB_USERNAME.test(github) ? { github } : {}),
    licence: true as const,
    website: "",
  };
  const known = new Set(content.tags.map((t) => t.id));
  const tags = [...new Set(many(values, "tags"))].filter((t) => known.has(t));
  const credit = one(values, "credit").trim() || undefined;
  const title = one(values, "title").trim();
  switch (one(values, "kind")) {
    case "question":
      return { kind: "question", title: title || "Untitled question", body, tags, credit, ...contributor };
    case "answer":
      return { kind: "answer", questionSlug: one(values, "questionSlug"), body, ...contributor };
    case "edit": {
      let slug: string;
      try {
        slug = parseEditPath(one(values, "path")).slug;
      } catch {
        return undefined;
      }
      return { kind: "edit", path: one(values, "path"), title: title || content.bySlug.get(slug)?.title, tags, credit, body, ...contributor };
    }
  }
  return undefined;
}

/**
 * The preview of a question, answer or edit proposal from the form's values: the published page.
 * Undefined when the target (question to answer, file to edit) does not exist.
 */
export function previewProposal(source: ContentSource, values: FormValues): ProposalPreview | undefined {
  const content = source.content;
  const body = one(values, "body");
  // A body longer than the form accepts is shown unformatted, without parsing it: a preview must never
  // cost more than a proposal may.
  const tooLong = body.length > LIMITS.body;
  const input = previewInput(values, content, tooLong ? "…" : body);
  if (!input) return undefined;
  let built;
  try {
    built = proposalToFiles(input, content, { today: isoDate(), draft: true });
  } catch (error) {
    if (error instanceof ProposalRefused) return undefined;
    throw error;
  }
  const preview = previewFromFiles(source, built.files, { keepInvalid: true });
  if (!preview) return undefined;
  if (tooLong) {
    const html = unformattedHtml(body, `The text is ${body.length.toLocaleString("en-US")} characters long; the limit is ${LIMITS.body.toLocaleString("en-US")}.`);
    if (preview.focusAnswerId) preview.answers = preview.answers.map((a) => (a.id === preview.focusAnswerId ? { ...a, html } : a));
    else preview.question = { ...preview.question, html };
  }
  // "Is it already here?": for a new question only. An edit is of a question that is here already
  // (asking would list the question itself, or its neighbours, as if the edit made a duplicate).
  const similar = input.kind === "question" ? similarTo(content, input.title, body) : [];
  return { ...preview, similar };
}
