/**
 * HTML escaping and `<mark>` insertion for search results.
 *
 * Ranges are where the matched words occur: `[start, length]` in UTF-16 code
 * units into the ORIGINAL field text. The output of every function here only
 * contains escaped text plus `<mark>` / `</mark>` tags.
 */

import { escapeHtml } from "../markdown/escape";

export { escapeHtml };

/** A match: `[start, length]`. */
export type MatchRange = readonly [start: number, length: number];

/** A half-open interval `[start, end)` after merging. */
export interface Span {
  start: number;
  end: number;
}


/**
 * Sorts ranges, clips them to `[0, textLength)`, drops empty/invalid ones and
 * merges overlapping or touching ones.
 */
export function mergeRanges(ranges: Iterable<MatchRange>, textLength: number): Span[] {
  const spans: Span[] = [];
  for (const range of ranges) {
    const [start, length] = range;
    if (!Number.isFinite(start) || !Number.isFinite(length) || length <= 0) continue;
    const s = Math.max(0, Math.floor(start));
    const e = Math.min(textLength, Math.floor(start + length));
    if (e > s) spans.push({ start: s, end: e });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Escaped `text` with `<mark>` around the given spans (which must be merged and inside the text). */
function markSpans(text: string, spans: readonly Span[]): string {
  let html = "";
  let pos = 0;
  for (const { start, end } of spans) {
    html += escapeHtml(text.slice(pos, start));
    html += `<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    pos = end;
  }
  return html + escapeHtml(text.slice(pos));
}

/** The whole text, escaped, with `<mark>` around every (merged) range. */
export function highlight(text: string, ranges: Iterable<MatchRange>): string {
  return markSpans(text, mergeRanges(ranges, text.length));
}

const isWhitespace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * About `maxLength` characters of `text` around the first range, escaped, with
 * `<mark>` around every range inside the window and `…` where text was cut.
 * Without ranges, the beginning of the text. Cuts at word boundaries when it can.
 */
export function snippet(text: string, ranges: Iterable<MatchRange>, maxLength = 200): string {
  const spans = mergeRanges(ranges, text.length);
  if (text.length <= maxLength) return markSpans(text, spans);

  const first = spans[0];
  // Put the first match about a third into the window, so some context precedes it.
  let start = first ? Math.max(0, first.start - Math.floor(maxLength / 3)) : 0;
  let end = Math.min(text.length, start + maxLength);
  if (end === text.length) start = Math.max(0, end - maxLength);

  // Snap the start forward to the beginning of a word (never past the first match).
  if (start > 0 && !isWhitespace(text[start - 1])) {
    const limit = first ? first.start : Math.min(text.length, start + 30);
    for (let i = start; i < limit; i++) {
      if (isWhitespace(text[i])) {
        start = i + 1;
        break;
      }
    }
  }
  // Snap the end back to the end of a word (never before the first match's end).
  if (end < text.length && !isWhitespace(text[end])) {
    const limit = Math.max(first ? first.end : start + 1, end - 30);
    for (let i = end - 1; i >= limit; i--) {
      if (isWhitespace(text[i])) {
        end = i;
        break;
      }
    }
  }
  // Never split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start -= 1;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;

  const windowSpans: Span[] = [];
  for (const span of spans) {
    const s = Math.max(span.start, start);
    const e = Math.min(span.end, end);
    if (e > s) windowSpans.push({ start: s - start, end: e - start });
  }
  const body = markSpans(text.slice(start, end), windowSpans);
  return `${start > 0 ? "… " : ""}${body}${end < text.length ? " …" : ""}`;
}
