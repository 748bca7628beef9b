/**
 * The content's types live in the content contract (`~/modules/contract`);
 * re-exported here for the modules that import them from `content/`.
 */
export type { Answer, ContentSnapshot, Question, Tag } from "~/modules/contract";
