import type { ContentContext } from "../context";

/** Question folders seen in the files, each with the file to report on (question.md, else its first answer). */
export function questionFolders(ctx: ContentContext): Map<string, string> {
  const folders = new Map<string, string>();
  for (const q of ctx.questions) folders.set(q.slug, q.path);
  for (const a of ctx.answers) if (!folders.has(a.slug)) folders.set(a.slug, a.path);
  return folders;
}

export { SLUG_MAX, SLUG_MIN } from "../../contract";
