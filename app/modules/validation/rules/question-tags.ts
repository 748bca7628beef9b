import { fieldRule } from "./rule";

export const questionTags = fieldRule(
  "question-tags",
  "question",
  "tags",
  "tags",
  "question.md: \"tags\" is required, a list of 1 to 5 different tag ids.",
);
