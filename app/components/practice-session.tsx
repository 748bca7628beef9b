import { Link, useFetcher } from "@remix-run/react";
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { QuestionPage } from "~/modules/content/index.server";
import { ScrollBox } from "./scroll-box";
import {
  GRADES,
  grade as applyGrade,
  lastGradedText,
  orderRound,
  parseProgress,
  requeue,
  summariseByTag,
  type Grade,
  type Progress,
  type ProgressRecord,
} from "~/modules/practice/schedule";

const STORAGE_KEY = "dq-practice-v1";

interface Props {
  catalogue: { slug: string; number: number; title: string; tags: string[] }[];
  pool: string[];
  tags: { id: string; label: string; count: number }[];
  fallback: QuestionPage | null;
  selectedTags: string[];
}

interface CardProps {
  page: QuestionPage;
  revealed: boolean | null;
  /** What the reader's progress says about this question (with JavaScript only). */
  last?: { record: ProgressRecord | undefined; now: number };
  children?: React.ReactNode;
}

const QuestionCard = forwardRef<HTMLDivElement, CardProps>(function QuestionCard({ page, revealed, last, children }, answersRef) {
  const answers = (
    <div
      className="practice-answers"
      ref={answersRef}
      {...(revealed ? { tabIndex: -1, role: "region", "aria-label": "Answers" } : {})}
    >
      {page.answers.length === 0 ? <p>No answer yet.</p> : null}
      {page.answers.map((a) => (
        <article key={a.id} className="answer" aria-label={`Answer by ${a.author}`}>
          <div className="prose" dangerouslySetInnerHTML={{ __html: a.html }} />
          <footer className="answer-meta">
            <bdi>{a.author}</bdi>
          </footer>
        </article>
      ))}
    </div>
  );
  return (
    <article className="practice-card" aria-labelledby="practice-title">
      <p className="q-kicker">Question {page.question.number}</p>
      {/* Focused when the reader moves to this card, so screen readers announce it. */}
      <h2 id="practice-title" tabIndex={-1}>
        <Link to={`/q/${page.question.slug}`}>
          <bdi>{page.question.title}</bdi>
        </Link>
      </h2>
      {last ? (
        <p className="last-grade">
          {last.record ? (
            <time dateTime={new Date(last.record.at).toISOString()} title={new Date(last.record.at).toLocaleString()}>
              {lastGradedText(last.record, last.now)}
            </time>
          ) : (
            lastGradedText(undefined, last.now)
          )}
        </p>
      ) : null}
      <div className="prose question-body" dangerouslySetInnerHTML={{ __html: page.question.html }} />
      {children}
      {revealed === null ? (
        // Without JavaScript: the answers behind a disclosure.
        <details className="reveal">
          <summary>Show the answers</summary>
          {answers}
        </details>
      ) : revealed ? (
        answers
      ) : null}
    </article>
  );
});

/** Focus on these keeps Space for "reveal": the card and the practice buttons (not the rest of the page). */
function spaceReveals(target: HTMLElement | null): boolean {
  if (!target || target === document.body || target === document.documentElement || target.id === "main") return true;
  return target.closest(".practice-card, .practice-actions") !== null;
}

function loadProgress(): Progress {
  try {
    return parseProgress(localStorage.getItem(STORAGE_KEY));
  } catch {
    return {};
  }
}

function saveProgress(progress: Progress) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(progress));
  } catch {
    /* storage full or disabled: progress lasts for this page only */
  }
}

export function PracticeSession({ catalogue, pool, tags, fallback, selectedTags }: Props) {
  const [ready, setReady] = useState(false);
  const [progress, setProgress] = useState<Progress>({});
  const [order, setOrder] = useState<string[]>([]);
  const [index, setIndex] = useState(0);
  const [revealed, setRevealed] = useState(false);
  const [graded, setGraded] = useState<Grade | null>(null);
  /** Bumped when a new round starts on the same cards (after a reset). */
  const [round, setRound] = useState(0);
  const fetcher = useFetcher<QuestionPage>();
  const answersRef = useRef<HTMLDivElement>(null);
  /** Where focus goes once the next render is on screen. */
  const focusNext = useRef<"heading" | "answers" | null>(null);

  useEffect(() => {
    const p = loadProgress();
    setProgress(p);
    setOrder(orderRound(pool, p, Date.now()));
    setReady(true);
  }, [pool]);

  const slug = order[index];
  const { load } = fetcher;
  useEffect(() => {
    if (ready && slug) load(`/q/${slug}`);
  }, [ready, slug, load]);

  // Every card starts hidden and ungraded, also a "not yet" card requeued right
  // after itself (same slug, next position).
  useEffect(() => {
    setRevealed(false);
    setGraded(null);
  }, [slug, index]);

  // The record as it was when this card came up: shown as "Last time: …", and the
  // base of its grade, so changing one's mind on a card replaces the grade instead
  // of counting twice. (Deliberately not recomputed when grading changes `progress`.)
  const before = useMemo(() => (slug ? progress[slug] : undefined), [slug, index, round, ready]);

  const move = useCallback(
    (delta: number) => {
      focusNext.current = "heading";
      setIndex((i) => Math.min(Math.max(i + delta, 0), Math.max(order.length - 1, 0)));
    },
    [order.length],
  );

  const reveal = useCallback(() => {
    focusNext.current = "answers";
    setRevealed(true);
  }, []);

  const onGrade = useCallback(
    (g: Grade) => {
      if (!slug) return;
      const { [slug]: _replaced, ...others } = progress;
      const next = applyGrade(before ? { ...others, [slug]: before } : others, slug, g, Date.now());
      setProgress(next);
      saveProgress(next);
      setGraded(g);
      setOrder((o) => requeue(o, index, g));
    },
    [progress, slug, index, before],
  );

  useEffect(() => {
    if (!ready) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (["TEXTAREA", "INPUT", "SELECT"].includes(target.tagName) || target.isContentEditable)) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === " ") {
        // Space reveals whatever practice button has focus (Next, a grade…): without
        // preventDefault it would press that button again. Once revealed, Space is
        // the browser's again (it presses a focused grade button, or scrolls).
        if (revealed || !spaceReveals(target)) return;
        event.preventDefault();
        reveal();
      } else if (event.key === "ArrowRight") move(1);
      else if (event.key === "ArrowLeft") move(-1);
      else if (revealed) {
        const g = GRADES.find((x) => x.key === event.key);
        if (g) onGrade(g.id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ready, revealed, move, reveal, onGrade]);

  const shown = fetcher.data && fetcher.data.question.slug === slug ? fetcher.data.question.slug : null;
  useEffect(() => {
    if (focusNext.current === "answers" && revealed && answersRef.current) {
      focusNext.current = null;
      answersRef.current.focus();
    } else if (focusNext.current === "heading" && shown && !revealed) {
      focusNext.current = null;
      document.getElementById("practice-title")?.focus();
    }
  }, [shown, index, revealed]);

  if (!ready) {
    // Server render and no-JavaScript mode: one random question.
    if (!fallback) return <p>No questions match these topics.</p>;
    return (
      <div className="practice-static">
        <QuestionCard page={fallback} revealed={null} />
        <p>
          <a
            className="button"
            href={`/practice?${new URLSearchParams([...selectedTags.map((t) => ["tag", t]), ["skip", fallback.question.slug]]).toString()}`}
          >
            Another random question
          </a>
        </p>
      </div>
    );
  }

  const now = Date.now();
  const summary = summariseByTag(catalogue, tags.filter((t) => t.count > 0).map((t) => t.id), progress, now);
  const current = fetcher.data && fetcher.data.question.slug === slug ? fetcher.data : null;

  return (
    <div className="practice-session" data-ready="true">
      {order.length === 0 ? (
        <p>No questions match these topics.</p>
      ) : (
        <>
          <p className="round-position" aria-live="polite">
            Card {index + 1} of {order.length} in this round
          </p>
          {current ? (
            <QuestionCard page={current} revealed={revealed} last={{ record: before, now }} ref={answersRef}>
              <label htmlFor="scratch" className="scratch-label">
                Your thoughts (optional; never leaves this browser)
              </label>
              <textarea id="scratch" key={slug} className="scratch" rows={4} />
            </QuestionCard>
          ) : (
            <p aria-busy="true">Loading question…</p>
          )}
          <div className="practice-actions">
            {!revealed ? (
              <button type="button" onClick={reveal} disabled={!current}>
                Reveal the answers <kbd>Space</kbd>
              </button>
            ) : (
              <fieldset className="grades">
                <legend>How did you do?</legend>
                {GRADES.map((g) => (
                  <button
                    key={g.id}
                    type="button"
                    className={graded === g.id ? "" : "secondary"}
                    aria-pressed={graded === g.id}
                    onClick={() => onGrade(g.id)}
                  >
                    {g.label} <kbd>{g.key}</kbd>
                  </button>
                ))}
              </fieldset>
            )}
            <div className="practice-nav">
              <button type="button" className="secondary" onClick={() => move(-1)} disabled={index === 0}>
                ← Previous
              </button>
              <button type="button" className="secondary" onClick={() => move(1)} disabled={index >= order.length - 1}>
                Next →
              </button>
            </div>
          </div>
        </>
      )}

      <section aria-labelledby="progress-heading" className="practice-progress">
        <h2 id="progress-heading">Your progress</h2>
        <ScrollBox labelledBy="progress-heading">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Knew it</th>
                <th scope="col">Partly</th>
                <th scope="col">Not yet</th>
                <th scope="col">Not practised</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {summary.map((s) => (
                <tr key={s.id} data-tag={s.id}>
                  <th scope="row">{tags.find((t) => t.id === s.id)?.label ?? s.id}</th>
                  <td>{s.knew}</td>
                  <td>{s.partly}</td>
                  <td>{s.notyet}</td>
                  <td>{s.unseen}</td>
                  <td>{s.due}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
        <button
          type="button"
          className="btn-danger"
          onClick={() => {
            if (!window.confirm("Forget all your practice progress in this browser?")) return;
            try {
              localStorage.removeItem(STORAGE_KEY);
            } catch {
              /* nothing stored */
            }
            setProgress({});
            setOrder(orderRound(pool, {}, Date.now()));
            setIndex(0);
            setRound((r) => r + 1);
          }}
        >
          Reset progress
        </button>
        <details>
          <summary>How the schedule works</summary>
          <p>
            Your grades stay in this browser (localStorage) and nowhere else. Each round shows questions that are due
            first, then ones you have not practised, then the rest. “Not yet” brings a question back after 10 minutes
            (and again a few cards later in the same round), “Partly” after a day, and “Knew it” after 3 days, doubling
            each time you know it again (up to 48 days).
          </p>
          <p>
            Keyboard: <kbd>Space</kbd> reveals the answers, <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> grade, <kbd>←</kbd>{" "}
            <kbd>→</kbd> move between cards.
          </p>
        </details>
      </section>
    </div>
  );
}
