/**
 * Versions of what a page shows, for the page cache: a page is cached under
 * the version of ITS content, so an edit to one question keeps every other
 * page warm.
 *
 *   /q/<slug>…        the question, its answers, its neighbours' titles, the tag labels
 *   /, /tags/<tag>     the list: each listed question's title, number, tags, excerpt and answer count
 *   anything else      the whole content's version (search, feeds, practice …)
 *
 * Question objects are reused between snapshots while their files do not
 * change (state.server.ts), so versions are kept per Question object.
 */
import { createHash } from "node:crypto";
import type { ContentSnapshot, Question } from "./types";

interface QuestionVersions {
  /** The question file and its answers' files. */
  page: string;
  /** What a list shows of it: the question file and how many answers it has. */
  list: string;
}

const versions = new WeakMap<Question, QuestionVersions>();

export function setQuestionVersions(q: Question, v: QuestionVersions): void {
  versions.set(q, v);
}

function sha1(s: string): string {
  return createHash("sha1").update(s).digest("hex").slice(0, 16);
}

interface Memo {
  tags: string;
  lists: Map<string, string>;
}
const memos = new WeakMap<ContentSnapshot, Memo>();

function memo(content: ContentSnapshot): Memo {
  let m = memos.get(content);
  if (!m) {
    m = { tags: sha1(JSON.stringify(content.tags)), lists: new Map() };
    memos.set(content, m);
  }
  return m;
}

/** The version of the list of questions carrying `tag` (all questions without one). */
export function listVersion(content: ContentSnapshot, tag?: string): string {
  const m = memo(content);
  const key = tag ?? "";
  let v = m.lists.get(key);
  if (v === undefined) {
    const parts = [m.tags];
    for (const q of content.questions) {
      if (tag && !q.tags.includes(tag)) continue;
      const qv = versions.get(q);
      if (!qv) return content.version; // a snapshot made elsewhere (tests, previews): the whole version
      parts.push(q.slug, qv.list);
    }
    v = sha1(parts.join("\n"));
    m.lists.set(key, v);
  }
  return v;
}

/** The version of a question's page (and of its answer and edit forms). */
export function questionVersion(content: ContentSnapshot, q: Question): string {
  const qv = versions.get(q);
  if (!qv) return content.version;
  const i = content.questions.indexOf(q);
  const near = [content.questions[i - 1], content.questions[i + 1]].map((x) => (x ? `${x.slug}:${x.number}:${x.title}` : "-"));
  return sha1(`${qv.page}|${memo(content).tags}|${near.join("|")}`);
}

/**
 * The version a page at `url` (path and query) is cached under. Unknown
 * question slugs and every other page use the whole content's version.
 */
export function pageVersion(content: ContentSnapshot, url: string): string {
  const [pathname = "/", query = ""] = url.split("?", 2);
  const q = /^\/q\/([^/]+)(?:\/(?:answer|edit)?)?\/?$/.exec(pathname);
  if (q) {
    let slug: string;
    try {
      slug = decodeURIComponent(q[1]!);
    } catch {
      return content.version;
    }
    const question = content.bySlug.get(slug);
    return question ? `q:${questionVersion(content, question)}` : content.version;
  }
  if (pathname === "/" || pathname === "") {
    const tag = new URLSearchParams(query).get("tag");
    return `l:${listVersion(content, tag ?? undefined)}`;
  }
  const t = /^\/tags\/([^/]+)\/?$/.exec(pathname);
  if (t) {
    try {
      return `l:${listVersion(content, decodeURIComponent(t[1]!))}`;
    } catch {
      return content.version;
    }
  }
  return content.version;
}
