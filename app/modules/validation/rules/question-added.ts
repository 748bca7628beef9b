import { fieldRule } from "./rule";

export const questionAdded = fieldRule(
  "question-added",
  "question",
  "added",
  null,
  "question.md: \"added\" is required, a real date written YYYY-MM-DD (quoted or not).",
);
