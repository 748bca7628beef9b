import { fieldRule } from "./rule";

export const questionTitle = fieldRule(
  "question-title",
  "question",
  "title",
  "title",
  "question.md: \"title\" is required, one line of plain text, at most 100 characters.",
);
