/**
 * Render user-written Markdown to safe HTML (server side), memoised.
 *
 *   renderMarkdown(question.body)                         → HTML string
 *   renderMarkdown(answer.body, { topHeadingLevel: 3, idPrefix: `answer-${answer.id}-` })
 */
import { createHash } from "node:crypto";
import { checkMarkdownLimits } from "./limits";
import { LruCache } from "./lru";
import { createProcessor, normaliseOptions, type RenderOptions } from "./processor";
import { escapeHtml } from "./escape";

export type { RenderOptions } from "./processor";

export const DEFAULT_CACHE_SIZE = 2000;

export interface MarkdownRenderer {
  render(markdown: string, options?: RenderOptions): string;
  /** Cache statistics: useful in tests and for a `/health` style page. */
  stats(): { hits: number; misses: number; size: number; maxEntries: number };
  clear(): void;
}

export function createMarkdownRenderer(config: { cacheSize?: number } = {}): MarkdownRenderer {
  const cache = new LruCache<string, string>(config.cacheSize ?? DEFAULT_CACHE_SIZE);
  const processors = new Map<string, ReturnType<typeof createProcessor>>();
  let hits = 0;
  let misses = 0;

  function processorFor(optionsKey: string, options: Required<RenderOptions>) {
    let processor = processors.get(optionsKey);
    if (!processor) {
      processor = createProcessor(options).freeze();
      // Options vary little (a few heading levels/prefixes); keep it bounded anyway.
      if (processors.size >= 64) processors.clear();
      processors.set(optionsKey, processor);
    }
    return processor;
  }

  return {
    render(markdown, options) {
      if (typeof markdown !== "string") throw new TypeError("renderMarkdown expects a string");
      const normalised = normaliseOptions(options);
      const optionsKey = JSON.stringify(normalised);
      const key = createHash("sha256").update(optionsKey).update("\0").update(markdown).digest("base64");
      const cached = cache.get(key);
      if (cached !== undefined) {
        hits += 1;
        return cached;
      }
      misses += 1;
      const html = renderUncached(markdown, () => String(processorFor(optionsKey, normalised).processSync(markdown)));
      cache.set(key, html);
      return html;
    },
    stats: () => ({ hits, misses, size: cache.size, maxEntries: cache.maxEntries }),
    clear: () => {
      cache.clear();
      hits = 0;
      misses = 0;
    },
  };
}

/**
 * Runs the pipeline unless the input exceeds the safety limits (see
 * limits.ts) or the pipeline throws (e.g. stack overflow on absurd nesting);
 * then the source is shown unformatted instead, so a page never fails.
 */
function renderUncached(markdown: string, run: () => string): string {
  const problem = checkMarkdownLimits(markdown);
  if (!problem) {
    try {
      return run();
    } catch (error) {
      // Stack overflow on absurd nesting, or a bug: show the text, not a 500.
      if (!(error instanceof RangeError)) console.error("renderMarkdown failed:", error);
      return fallbackHtml(
        markdown,
        error instanceof RangeError ? "It is nested too deeply to be formatted." : "It could not be formatted.",
      );
    }
  }
  return fallbackHtml(markdown, problem.message);
}

export { escapeHtml } from "./escape";

/** The source shown escaped in `<pre>`, with the reason it is not formatted (what the renderer shows past its limits). */
export function unformattedHtml(markdown: string, reason: string): string {
  return fallbackHtml(markdown, reason);
}

function fallbackHtml(markdown: string, reason: string): string {
  return (
    `<div class="markdown-fallback"><p>This text is shown unformatted. ${escapeHtml(reason)}</p>` +
    `<pre><code>${escapeHtml(markdown)}</code></pre></div>`
  );
}

/** The site-wide renderer (one shared LRU of 2,000 entries). */
export const markdownRenderer = createMarkdownRenderer();

/** Untrusted Markdown → sanitised, highlighted HTML. Synchronous and memoised. */
export function renderMarkdown(markdown: string, options?: RenderOptions): string {
  return markdownRenderer.render(markdown, options);
}
