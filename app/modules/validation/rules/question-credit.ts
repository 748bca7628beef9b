import { fieldRule } from "./rule";

export const questionCredit = fieldRule(
  "question-credit",
  "question",
  "credit",
  "credit",
  "question.md: \"credit\" is optional; when present, non-empty text of at most 300 characters.",
);
