import { fieldRule } from "./rule";

export const questionNumber = fieldRule(
  "question-number",
  "question",
  "number",
  "question.md: \"number\" is required, a positive whole number (unquoted).",
);
