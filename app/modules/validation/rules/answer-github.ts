import { fieldRule } from "./rule";

export const answerGithub = fieldRule(
  "answer-github",
  "answer",
  "github",
  "github",
  "answer: \"github\" is optional; when present, a valid GitHub username (1–39 letters, digits, single inner hyphens), no \"@\", no URL.",
);
