import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { HTML_CACHE_CONTROL, pageMeta } from "~/modules/seo/meta";

export const headers: HeadersFunction = () => ({ "Cache-Control": HTML_CACHE_CONTROL });

export const meta: MetaFunction = () =>
  pageMeta({ title: "About", description: "What Django Questions is, how to contribute, and the credit and licence of the original list (questions 1–81)." });

export default function About() {
  return (
    <article className="prose about">
      <h1>About Django Questions</h1>
      <p>
        Django Questions is a collaborative, Git-backed wiki of self-check questions for Django developers, with
        community answers. The questions are not interview questions as such: they are a way to measure your own
        competence by checking yourself with each one. Some are a bigger problem that needs a little thinking, others
        can be answered at once or dwell on an implementation detail.
      </p>
      <h2>How it works</h2>
      <p>
        Every question and answer is a Markdown file in the project's Git repository. Anyone can{" "}
        <Link to="/contribute/question">propose a question</Link>, write an answer, or suggest an edit: the proposal
        is checked by the same content check that the project's CI runs, and becomes a pull request that maintainers
        review. Once merged, it shows here within seconds.
      </p>
      <h2>Credit and licence</h2>
      <p>
        Questions 1 to 81, the whole list as its author last published it, come from{" "}
        <a href="https://github.com/realsuayip/django-questions">realsuayip/django-questions</a>, a list by{" "}
        <strong>Şuayip Üzülmez</strong>, who wrote: “Here are some questions (of my taste) related to Django that I
        think are useful to ponder upon.” They keep its numbering and its wording, and are used under the BSD 3-Clause
        licence:
      </p>
      <blockquote>
        <p>Copyright (c) 2022, Şuayip Üzülmez. All rights reserved.</p>
        <p>
          Redistribution and use in source and binary forms, with or without modification, are permitted provided that
          the conditions of the BSD 3-Clause licence are met. The full text is in the content folder's LICENSE file.
        </p>
      </blockquote>
      <p>
        Answers and new questions are contributed by the Django Questions community under the same licence. Each
        question page credits its author.
      </p>
    </article>
  );
}
