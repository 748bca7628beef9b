import { fieldRule } from "./rule";

export const answerDate = fieldRule(
  "answer-date",
  "answer",
  "date",
  null,
  "answer: \"date\" is required, a real date written YYYY-MM-DD (quoted or not).",
);
