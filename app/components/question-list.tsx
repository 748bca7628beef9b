import { Link } from "@remix-run/react";
import type { QuestionSummary } from "~/modules/content/index.server";

export function TagChip({ tag }: { tag: { id: string; label: string } }) {
  return (
    <Link className="tag" to={`/tags/${tag.id}`}>
      {tag.label}
    </Link>
  );
}

export function QuestionList({ questions }: { questions: QuestionSummary[] }) {
  if (questions.length === 0) return <p className="empty">No questions here yet.</p>;
  return (
    <ol className="question-list">
      {questions.map((q) => (
        <li key={q.slug} className="question-item" data-number={q.number}>
          <span className="q-number" aria-hidden="true">
            {q.number}
          </span>
          <div className="q-main">
            <h2 className="q-title">
              <Link to={`/q/${q.slug}`} prefetch="intent">
                <span className="visually-hidden">Question {q.number}: </span>
                <bdi>{q.title}</bdi>
              </Link>
            </h2>
            <p className="q-excerpt">{q.excerpt}</p>
            <div className="q-meta">
              <ul className="tag-list" aria-label="Tags">
                {q.tags.map((t) => (
                  <li key={t.id}>
                    <TagChip tag={t} />
                  </li>
                ))}
              </ul>
              <span className="answer-count">
                {q.answerCount === 1 ? "1 answer" : `${q.answerCount} answers`}
              </span>
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
