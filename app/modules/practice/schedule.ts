/**
 * Practice mode's spaced repetition (a small Leitner-style schedule).
 * Pure: the browser keeps the progress in localStorage; tests drive it here.
 *
 *   not yet → due again after 10 minutes (and later in the same round)
 *   partly  → due after 1 day
 *   knew it → due after 3 days, doubling with each "knew it" in a row (max 48 days)
 *
 * A round puts due questions first (earliest due first), then questions never
 * practised, then the rest (earliest due first). So a question graded "not
 * yet" or "partly" always comes back before one graded "knew it" at the same time.
 */

export type Grade = "knew" | "partly" | "notyet";

export interface ProgressRecord {
  grade: Grade;
  /** When it was last graded (ms since epoch). */
  at: number;
  /** How many times in a row it was graded "knew". */
  streak: number;
}

export type Progress = Record<string, ProgressRecord>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const GRADES: { id: Grade; key: string; label: string }[] = [
  { id: "notyet", key: "1", label: "Not yet" },
  { id: "partly", key: "2", label: "Partly" },
  { id: "knew", key: "3", label: "Knew it" },
];

export function interval(record: ProgressRecord): number {
  switch (record.grade) {
    case "notyet":
      return 10 * MINUTE;
    case "partly":
      return DAY;
    case "knew":
      return 3 * DAY * 2 ** Math.min(Math.max(record.streak, 1) - 1, 4);
  }
}

export function dueAt(record: ProgressRecord): number {
  return record.at + interval(record);
}

export function grade(progress: Progress, slug: string, g: Grade, now: number): Progress {
  const previous = progress[slug];
  const streak = g === "knew" ? (previous?.grade === "knew" ? previous.streak + 1 : 1) : 0;
  return { ...progress, [slug]: { grade: g, at: now, streak } };
}

/** The order in which a round presents the given questions. */
export function orderRound(slugs: string[], progress: Progress, now: number): string[] {
  const due: [string, number][] = [];
  const unseen: string[] = [];
  const later: [string, number][] = [];
  for (const slug of slugs) {
    const record = progress[slug];
    if (!record) unseen.push(slug);
    else {
      const at = dueAt(record);
      (at <= now ? due : later).push([slug, at]);
    }
  }
  const byDue = (a: [string, number], b: [string, number]) => a[1] - b[1];
  return [...due.sort(byDue).map(([s]) => s), ...unseen, ...later.sort(byDue).map(([s]) => s)];
}

/**
 * After a "not yet" in a round, the question comes back a few cards later
 * (if the round is long enough) instead of only in a later round.
 */
export function requeue(order: string[], index: number, g: Grade, gap = 3): string[] {
  if (g !== "notyet") return order;
  const slug = order[index];
  if (slug === undefined) return order;
  const rest = order.slice(index + 1);
  if (rest.includes(slug)) return order;
  const at = Math.min(index + 1 + gap, order.length);
  return [...order.slice(0, at), slug, ...order.slice(at)];
}

export interface TagSummary {
  id: string;
  total: number;
  knew: number;
  partly: number;
  notyet: number;
  unseen: number;
  due: number;
}

export function summariseByTag(
  questions: { slug: string; tags: string[] }[],
  tagIds: string[],
  progress: Progress,
  now: number,
): TagSummary[] {
  return tagIds.map((id) => {
    const s: TagSummary = { id, total: 0, knew: 0, partly: 0, notyet: 0, unseen: 0, due: 0 };
    for (const q of questions) {
      if (!q.tags.includes(id)) continue;
      s.total++;
      const r = progress[q.slug];
      if (!r) s.unseen++;
      else {
        s[r.grade]++;
        if (dueAt(r) <= now) s.due++;
      }
    }
    return s;
  });
}

/** Parse what localStorage held; anything malformed is dropped, never thrown. */
export function parseProgress(raw: string | null): Progress {
  if (!raw) return {};
  try {
    const data: unknown = JSON.parse(raw);
    if (!data || typeof data !== "object") return {};
    const out: Progress = {};
    for (const [slug, value] of Object.entries(data as Record<string, unknown>)) {
      const v = value as Partial<ProgressRecord> | null;
      if (!v || typeof v !== "object") continue;
      if ((v.grade === "knew" || v.grade === "partly" || v.grade === "notyet") && typeof v.at === "number") {
        out[slug] = { grade: v.grade, at: v.at, streak: typeof v.streak === "number" ? v.streak : 0 };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/** "3 days ago", "1 hour ago", "just now" (English, rounded down to the largest whole unit). */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 60) return "just now";
  const units: [string, number][] = [
    ["year", 365 * 86_400],
    ["month", 30 * 86_400],
    ["week", 7 * 86_400],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** What the practice card says about a question's last grade: "Last time: partly, 3 days ago". */
export function lastGradedText(record: ProgressRecord | undefined, now: number): string {
  if (!record) return "Not practised yet";
  const label = GRADES.find((g) => g.id === record.grade)!.label.toLowerCase();
  return `Last time: ${label}, ${timeAgo(record.at, now)}`;
}
