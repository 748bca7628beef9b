import fs from "node:fs";
import path from "node:path";

export const TEMPLATE_PATH = ".github/proposal-template.md";

const cache = new Map<string, string>();

/**
 * The pull request body template kept in the repository
 * (`.github/proposal-template.md`), read once per process.
 */
export function loadPullRequestTemplate(repoRoot: string = process.cwd()): string {
  const file = path.resolve(repoRoot, TEMPLATE_PATH);
  let text = cache.get(file);
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(
        `Cannot read the pull request template ${file}: ${(error as Error).message}. It is part of the repository; run the app from the repository root.`,
      );
    }
    cache.set(file, text);
  }
  return text;
}
