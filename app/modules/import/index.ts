export { importReadme, parseReadmeQuestions, licenseNotice } from "./readme";
export type { ImportOptions, ImportResult, ImportTarget, ImportedFile, ParseOptions, ParsedQuestion } from "./readme";
export { TAG_RULES, FALLBACK_TAG, guessTags } from "./tags";
