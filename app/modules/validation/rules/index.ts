/** The registry: every rule of the content check, in documentation order. */
import { answerAuthor } from "./answer-author";
import { answerDate } from "./answer-date";
import { answerDjango } from "./answer-django";
import { answerGithub } from "./answer-github";
import { answerId } from "./answer-id";
import { codeLanguage } from "./code-language";
import { djangoDocsLink } from "./django-docs-link";
import { djangoDocsVersion } from "./django-docs-version";
import { djangoVersionOutdated } from "./django-version-outdated";
import { duplicateNumber } from "./duplicate-number";
import { duplicateSlug } from "./duplicate-slug";
import { emptyBody } from "./empty-body";
import { encoding } from "./encoding";
import { fileSize } from "./file-size";
import { frontMatterMissing } from "./front-matter-missing";
import { frontMatterYaml } from "./front-matter-yaml";
import { invisibleCharacters } from "./invisible-characters";
import { licenseMissing } from "./license-missing";
import { markdownLimits } from "./markdown-limits";
import { orphanAnswer } from "./orphan-answer";
import { possibleDuplicate } from "./possible-duplicate";
import { pythonSyntax } from "./python-syntax";
import { questionAdded } from "./question-added";
import { questionCredit } from "./question-credit";
import { questionForm } from "./question-form";
import { questionNumber } from "./question-number";
import { questionTags } from "./question-tags";
import { questionTitle } from "./question-title";
import { rawHtml } from "./raw-html";
import type { Rule } from "./rule";
import { slugFormat } from "./slug-format";
import { slugMismatch } from "./slug-mismatch";
import { strayFile } from "./stray-file";
import { tagsFile } from "./tags-file";
import { unknownField } from "./unknown-field";
import { unknownTag } from "./unknown-tag";

export type { Hit, Rule } from "./rule";

export const RULES: readonly Rule[] = [
  // files and layout
  encoding,
  fileSize,
  strayFile,
  licenseMissing,
  tagsFile,
  slugFormat,
  duplicateSlug,
  orphanAnswer,
  answerId,
  // front matter
  frontMatterMissing,
  frontMatterYaml,
  questionNumber,
  questionTitle,
  questionTags,
  questionAdded,
  questionCredit,
  slugMismatch,
  answerAuthor,
  answerGithub,
  answerDate,
  invisibleCharacters,
  answerDjango,
  unknownField,
  duplicateNumber,
  unknownTag,
  possibleDuplicate,
  djangoVersionOutdated,
  // bodies
  emptyBody,
  markdownLimits,
  questionForm,
  codeLanguage,
  rawHtml,
  pythonSyntax,
  djangoDocsLink,
  djangoDocsVersion,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
