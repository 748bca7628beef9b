/**
 * The content contract: where questions and answers live, what their names
 * may be, and what the site makes of them. Pure; every module that reads or
 * writes content uses these (validation, contributions, review, both forges).
 */
export * from "./paths";
export * from "./slugs";
export type * from "./types";
