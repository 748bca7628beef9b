/**
 * Where content lives, in the two forms the code meets:
 *
 *   content-relative (the content check, the store)   questions/<slug>/question.md
 *   repository paths (proposals, forges, review)      content/questions/<slug>/question.md
 *
 *   questions/<slug>/question.md        one question
 *   questions/<slug>/answers/<id>.md    its community answers
 *   tags.yml                            the tag vocabulary
 *   LICENSE | NOTICE                    licence and credit of the seed list
 *
 * Pure. `classifyPath` is lenient (it names what is wrong, for the content
 * check); `parseRepoPath` is strict (only the two shapes proposals may write).
 */
import { isAnswerId, isSlug } from "./slugs";

/** The repository folder that holds the content (a checkout's `CONTENT_DIR`). */
export const CONTENT_ROOT = "content";
export const TAGS_PATH = "tags.yml";
export const LICENSE_PATHS = ["LICENSE", "NOTICE"] as const;

/** `questions/<slug>/question.md`, relative to the content folder. */
export function questionFile(slug: string): string {
  return `questions/${slug}/question.md`;
}

/** `questions/<slug>/answers/<id>.md`, relative to the content folder. */
export function answerFile(slug: string, id: string): string {
  return `questions/${slug}/answers/${id}.md`;
}

/** Content-relative path → repository path (`content/…`). */
export function toRepoPath(contentPath: string): string {
  return `${CONTENT_ROOT}/${contentPath}`;
}

/** Repository path → path relative to the content folder (other paths are returned as they are). */
export function toContentPath(repoPath: string): string {
  const prefix = `${CONTENT_ROOT}/`;
  return repoPath.startsWith(prefix) ? repoPath.slice(prefix.length) : repoPath;
}

/** Whether a repository path lies in the content folder. */
export function inContent(repoPath: string): boolean {
  return repoPath.startsWith(`${CONTENT_ROOT}/`);
}

/** Repository path of a question file. */
export function questionPath(slug: string): string {
  return toRepoPath(questionFile(slug));
}

/** Repository path of an answer file. */
export function answerPath(slug: string, id: string): string {
  return toRepoPath(answerFile(slug, id));
}

/** A question or answer file, by its repository path. */
export type ContractFile = { kind: "question"; slug: string } | { kind: "answer"; slug: string; answerId: string };

/** A repository path that is not a question or answer file; `reason` says why, for people. */
export class ContractPathError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ContractPathError";
  }
}

/**
 * Parses the repository path of a question or answer file. Refuses anything
 * outside `content/questions/`, absolute paths, `..`, backslashes, NUL and
 * percent-encoded tricks: only the two shapes of the contract are accepted.
 */
export function parseRepoPath(path: string): ContractFile {
  const refuse = (why: string) => new ContractPathError(why);
  if (path.includes("\0")) throw refuse("the path contains a NUL character");
  if (path.includes("\\")) throw refuse("the path contains a backslash");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw refuse("the path is absolute");
  if (path.includes("%")) throw refuse("the path contains an encoded character");
  const parts = path.split("/");
  if (parts.some((p) => p === ".." || p === "." || p === "")) throw refuse("the path leaves its folder");
  if (parts[0] !== CONTENT_ROOT || parts[1] !== "questions") throw refuse("only files under content/questions/ can be edited");
  const slug = parts[2] ?? "";
  if (!isSlug(slug)) throw refuse("the question folder name is not a valid slug");
  if (parts.length === 4 && parts[3] === "question.md") return { kind: "question", slug };
  if (parts.length === 5 && parts[3] === "answers" && parts[4]!.endsWith(".md")) {
    const id = parts[4]!.slice(0, -3);
    if (!isAnswerId(id)) throw refuse("the answer file name is not valid");
    return { kind: "answer", slug, answerId: id };
  }
  throw refuse("only a question.md or an answers/<id>.md file can be edited");
}

/** {@link parseRepoPath} without the reason: undefined for anything but a question or answer file. */
export function contractFileOf(path: string): ContractFile | undefined {
  try {
    return parseRepoPath(path);
  } catch (error) {
    if (error instanceof ContractPathError) return undefined;
    throw error;
  }
}

/** Whether a repository path has the shape of a question file (`content/questions/<folder>/question.md`; the folder name may still be a bad slug). */
export function isQuestionFile(repoPath: string): boolean {
  return inContent(repoPath) && classifyPath(toContentPath(repoPath)).kind === "question";
}

/** Whether a repository path has the shape of an answer file (`content/questions/<folder>/answers/<name>.md`). */
export function isAnswerFile(repoPath: string): boolean {
  return inContent(repoPath) && classifyPath(toContentPath(repoPath)).kind === "answer";
}

// --- content-relative paths, as the content check meets them -------------

export type FileRole =
  | { kind: "question"; slug: string }
  | { kind: "answer"; slug: string; id: string }
  | { kind: "tags" }
  | { kind: "license" }
  | { kind: "stray"; reason: string };

/** Normalises a path to the contract's form: forward slashes, no leading `./` or `/`. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "").replace(/^\/+/, "");
}

/** Where a file of the content folder sits in the contract; a stray file says where it should go instead. */
export function classifyPath(path: string): FileRole {
  const parts = path.split("/");
  if (parts.length === 1) {
    if (path === TAGS_PATH) return { kind: "tags" };
    if ((LICENSE_PATHS as readonly string[]).includes(path)) return { kind: "license" };
    return {
      kind: "stray",
      reason: `only tags.yml, LICENSE and NOTICE may sit at the top of the content folder; move or delete "${path}"`,
    };
  }
  if (parts[0] !== "questions") {
    return {
      kind: "stray",
      reason: `the content folder holds only questions/, tags.yml and LICENSE or NOTICE; move or delete "${parts[0]}/"`,
    };
  }
  if (parts.length === 2) {
    return {
      kind: "stray",
      reason: "files in questions/ must sit in a question folder: questions/<slug>/question.md",
    };
  }
  const slug = parts[1]!;
  if (parts.length === 3) {
    if (parts[2] === "question.md") return { kind: "question", slug };
    return {
      kind: "stray",
      reason: `a question folder holds only question.md and an answers/ folder; move or delete "${parts[2]}"`,
    };
  }
  if (parts[2] !== "answers") {
    return {
      kind: "stray",
      reason: `a question folder holds only question.md and an answers/ folder; move or delete "${parts[2]}/"`,
    };
  }
  if (parts.length === 4) {
    const name = parts[3]!;
    if (name.endsWith(".md") && name.length > 3 && !name.startsWith(".")) {
      return { kind: "answer", slug, id: name.slice(0, -3) };
    }
    return {
      kind: "stray",
      reason: `an answers/ folder holds only Markdown answers named <id>.md; rename or delete "${name}"`,
    };
  }
  return {
    kind: "stray",
    reason: `answers/ must not contain folders; move the answer up to questions/${slug}/answers/<id>.md or delete "${parts.slice(3, -1).join("/")}/"`,
  };
}
