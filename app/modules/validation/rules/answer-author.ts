import { fieldRule } from "./rule";

export const answerAuthor = fieldRule(
  "answer-author",
  "answer",
  "author",
  "name",
  "answer: \"author\" is required, the display name, one line, at most 100 characters.",
);
