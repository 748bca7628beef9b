/**
 * Where a file sits in the content contract. Pure.
 *
 *   questions/<slug>/question.md
 *   questions/<slug>/answers/<id>.md
 *   tags.yml
 *   LICENSE | NOTICE
 */

export type FileRole =
  | { kind: "question"; slug: string }
  | { kind: "answer"; slug: string; id: string }
  | { kind: "tags" }
  | { kind: "license" }
  | { kind: "stray"; reason: string };

export const TAGS_PATH = "tags.yml";
export const LICENSE_PATHS = ["LICENSE", "NOTICE"] as const;

/** Normalises a path to the contract's form: forward slashes, no leading `./` or `/`. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "").replace(/^\/+/, "");
}

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
