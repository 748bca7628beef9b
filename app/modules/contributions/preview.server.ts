/**
 * What a proposal will look like on the site: the same page data the
 * question page renders (through the one Markdown pipeline, sanitised), so
 * the form's preview and the review screen show exactly what readers will.
 */
import type { AnswerView, LoadedContent, QuestionPage } from "~/modules/content/index.server";
import { questionPage, renderAnswer } from "~/modules/content/index.server";
import { renderMarkdown, unformattedHtml } from "~/modules/markdown/render";
import { excerpt } from "~/modules/markdown/text";
import { similarQuestions, type SimilarQuestion } from "~/modules/search";
import { answerId, isoDate, nextQuestionNumber, parseEditPath, slugify } from "./files";
import { many, one, type FormValues } from "./form-values";
import { LIMITS } from "./schema";

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


/**
 * The body as the site would show it. A body longer than the form accepts is
 * shown unformatted: a preview must never cost more than a proposal may.
 */
function bodyHtml(body: string, render: (markdown: string) => string): string {
  if (body.length > LIMITS.body) {
    return unformattedHtml(body, `The text is ${body.length.toLocaleString("en-US")} characters long; the limit is ${LIMITS.body.toLocaleString("en-US")}.`);
  }
  return render(body);
}

function tagObjects(content: LoadedContent, ids: string[]) {
  const byId = new Map(content.tags.map((t) => [t.id, t]));
  return ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
}

export function similarTo(content: LoadedContent, title: string, body = "", excludeSlug?: string): SimilarQuestion[] {
  if (title.trim().length < 4 && body.trim().length < 20) return [];
  return similarQuestions(content.search, { title, body }, { limit: 5, excludeSlug });
}

/**
 * The preview of a question, answer or edit proposal from the form's values.
 * Returns undefined when the target (question to answer, file to edit) does not exist.
 */
export function previewProposal(content: LoadedContent, values: FormValues): ProposalPreview | undefined {
  const kind = one(values, "kind");
  const body = one(values, "body");
  const today = isoDate();
  const name = one(values, "name").trim() || "You";
  const github = one(values, "github").trim().replace(/^@/, "") || undefined;

  if (kind === "question") {
    const title = one(values, "title").trim() || "Untitled question";
    return {
      question: {
        slug: slugify(title, content.questions.map((q) => q.slug)),
        number: nextQuestionNumber(content),
        title,
        added: today,
        credit: one(values, "credit").trim() || name,
        html: bodyHtml(body, renderMarkdown),
        description: excerpt(body.slice(0, LIMITS.body), 160),
      },
      tags: tagObjects(content, many(values, "tags")),
      answers: [],
      similar: similarTo(content, title, body),
    };
  }

  if (kind === "answer") {
    const q = content.bySlug.get(one(values, "questionSlug"));
    if (!q) return undefined;
    const page = questionPage(content, q);
    // The id the answer's file will get, so heading anchors match the published page.
    const id = answerId(today, one(values, "name").trim(), page.answers.map((a) => a.id), github);
    const answer: AnswerView = { id, author: name, github, date: today, html: bodyHtml(body, (md) => renderAnswer(id, md)) };
    return { question: page.question, tags: page.tags, answers: [...page.answers, answer], focusAnswerId: answer.id, similar: [] };
  }

  if (kind === "edit") {
    let target;
    try {
      target = parseEditPath(one(values, "path"));
    } catch {
      return undefined;
    }
    const q = content.bySlug.get(target.slug);
    if (!q) return undefined;
    const page = questionPage(content, q);
    if (target.kind === "question") {
      const title = one(values, "title").trim() || q.title;
      return {
        question: { ...page.question, title, html: bodyHtml(body, renderMarkdown), description: excerpt(body.slice(0, LIMITS.body), 160) },
        tags: tagObjects(content, many(values, "tags")),
        answers: page.answers,
        similar: similarTo(content, title, body, q.slug),
      };
    }
    const answerId = target.answerId;
    if (!page.answers.some((a) => a.id === answerId)) return undefined;
    return {
      question: page.question,
      tags: page.tags,
      answers: page.answers.map((a) => (a.id === answerId ? { ...a, date: today, html: bodyHtml(body, (md) => renderAnswer(a.id, md)) } : a)),
      focusAnswerId: answerId,
      similar: [],
    };
  }
  return undefined;
}
