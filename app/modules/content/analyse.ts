/**
 * One step of loading content: parse and check some files, and extract what
 * the site needs from them. Pure and self-contained (its output is plain
 * data), so it runs wherever is convenient: in slices on the main thread or
 * in a worker thread (analyse-worker.server.ts), and its results can be kept
 * on disk by file hash (analysis-cache.server.ts).
 */
import { markdownToText, treeToText } from "~/modules/markdown/text";
import type { CheckOptions } from "~/modules/validation/context";
import { analyseFiles, type FileAnalysis } from "~/modules/validation/incremental";
import type { ContentFile } from "~/modules/validation/types";
import type { Tag } from "./types";

export interface AnalysedFile extends FileAnalysis {
  /** The file's content hash (git blob SHA-1): what caches and page versions key on. */
  hash: string;
  /** Plain text of a question or answer body (the search index's text). */
  text: string | null;
  /** The valid tags, for tags.yml. */
  tags: Tag[] | null;
}

export interface HashedFile extends ContentFile {
  hash: string;
}

/** Analyses files (paths relative to the content folder, forward slashes, normalised). */
export function analyseContent(files: readonly HashedFile[], options: CheckOptions = {}): AnalysedFile[] {
  const { analyses, context, entries } = analyseFiles(files, options);
  const hashes = new Map(files.map((f) => [f.path, f.hash]));
  return analyses.map((a) => {
    const entry = entries.get(a.path);
    let text: string | null = null;
    if (entry && entry.body !== null) {
      const tree = entry.markdown();
      text = tree ? treeToText(tree) : markdownToText(entry.body);
    }
    const tags = a.facts.kind === "tags" && context.tagsFile ? context.tagsFile.tags.map((t) => ({ ...t })) : null;
    return { ...a, hash: hashes.get(a.path) ?? "", text, tags };
  });
}
