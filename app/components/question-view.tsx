import { Link } from "@remix-run/react";
import type { AnswerView as AnswerData, QuestionPage } from "~/modules/content/index.server";
import { TagChip } from "./question-list";

/**
 * How the site shows a question and its answers. The question page, the
 * contribution preview and the review screen all use these components, so a
 * preview is exactly what the site will show.
 */
export function QuestionView({
  question,
  tags,
  editLink = true,
  headingLevel = 1,
}: {
  question: QuestionPage["question"];
  tags: QuestionPage["tags"];
  editLink?: boolean;
  headingLevel?: 1 | 2;
}) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <>
      <header className="question-header">
        <p className="q-kicker">Question {question.number}</p>
        <Heading className="question-title" dir="auto">
          {question.title}
        </Heading>
        <ul className="tag-list" aria-label="Tags">
          {tags.map((t) => (
            <li key={t.id}>
              <TagChip tag={t} />
            </li>
          ))}
        </ul>
      </header>
      <div className="prose question-body" dangerouslySetInnerHTML={{ __html: question.html }} />
      <p className="question-credit">
        {question.credit ? (
          <>
            Asked by <bdi>{question.credit}</bdi> ·{" "}
          </>
        ) : null}
        added <time dateTime={question.added}>{question.added}</time>
        {editLink ? (
          <>
            {" "}
            · <Link to={`/q/${question.slug}/edit`}>Suggest an edit</Link>
          </>
        ) : null}
      </p>
    </>
  );
}

export function AnswerView({ answer, questionSlug, editLink = true }: { answer: AnswerData; questionSlug: string; editLink?: boolean }) {
  return (
    <article className="answer" id={`answer-${answer.id}`} aria-label={`Answer by ${answer.author}`}>
      <div className="prose" dangerouslySetInnerHTML={{ __html: answer.html }} />
      <footer className="answer-meta">
        <span>
          {answer.github ? (
            <a href={`https://github.com/${answer.github}`}>
              <bdi>{answer.author}</bdi>
            </a>
          ) : (
            <bdi>{answer.author}</bdi>
          )}{" "}
          ·{" "}
          <time dateTime={answer.date}>{answer.date}</time>
        </span>
        {answer.django?.length ? <span className="answer-checked">{`Checked against Django ${answer.django.join(", ")}`}</span> : null}
        {editLink ? <Link to={`/q/${questionSlug}/edit?answer=${encodeURIComponent(answer.id)}`}>Suggest an edit</Link> : null}
      </footer>
    </article>
  );
}

