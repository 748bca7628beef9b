import { fieldRule } from "./rule";

export const questionNumber = fieldRule(
  "question-number",
  "question",
  "number",
  null,
  "question.md: \"number\" is required, a positive whole number (unquoted).",
);
