/**
 * The content keeps the seed list: ../shared/seed/django-questions.txt (next
 * to the repository) holds the 69 questions the project was created to host,
 * in the order readers cite them by ("question 42"), and
 * ../shared/seed/README.md lists the inline code the plain-text copy lost.
 * These tests check that content/ has the 69 questions numbered 1..69 in the
 * seed's order, and that every restoration is there as code. Skipped (with the
 * reason in their names) when the seed is not next to the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { readContentFolder } from "~/modules/content/read-folder.server";
import { parseContent } from "~/modules/validation";
import { parseMarkdown, walk } from "~/modules/validation/markdown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SEED_DIR = path.resolve(root, "../shared/seed");
const SEED_LIST = path.join(SEED_DIR, "django-questions.txt");
const SEED_README = path.join(SEED_DIR, "README.md");
const haveSeed = existsSync(SEED_LIST) && existsSync(SEED_README);
const SKIP_REASON = haveSeed ? "" : ` — SKIPPED: ${path.relative(root, SEED_DIR)}/ is absent`;

interface ContentQuestion {
  number: number;
  slug: string;
  body: string;
}

// ---------------------------------------------------------------- the seed list

/**
 * Splits the plain-text list into questions. A question starts on a line that
 * opens with a capitalised word followed by a space or a comma ("What is",
 * "Sometimes,"); the lines the copy broke where code was lost start otherwise
 * (lower case, ".", "?", or code such as "User.objects..."). Leading groups
 * without a "?" are the list's introduction.
 */
export function splitSeed(text: string): string[] {
  const groups: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    if (/^[A-Z][A-Za-z']*[\s,]/.test(line) || groups.length === 0) groups.push([line]);
    else groups[groups.length - 1]!.push(line);
  }
  while (groups.length > 0 && !groups[0]!.join(" ").includes("?")) groups.shift();
  return groups.map((g) => g.join("\n"));
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

/** Share of the seed question's words found in the content body (0..1). */
function overlap(seed: Set<string>, body: Set<string>): number {
  let n = 0;
  for (const w of seed) if (body.has(w)) n++;
  return seed.size === 0 ? 0 : n / seed.size;
}

/** For each seed question, the number of the content question whose body matches it best, and how well. */
export function matchSeed(seed: string[], questions: ContentQuestion[]): Array<{ number: number; score: number }> {
  const bodies = questions.map((q) => ({ number: q.number, words: words(q.body) }));
  return seed.map((s) => {
    const w = words(s);
    let best = { number: -1, score: -1 };
    for (const b of bodies) {
      const score = overlap(w, b.words);
      if (score > best.score) best = { number: b.number, score };
    }
    return best;
  });
}

// ---------------------------------------------------------------- the restorations

interface Restoration {
  /** The table's first cell, e.g. "How does ... determine the settings module". */
  startsWith: string;
  /** Code that must appear in the question, in order (inline code, or inside a block). */
  codes: Array<{ code: string; blockLang?: string }>;
}

/** The "What the copy lost" table of the seed README, plus the indented block it refers to. */
export function parseRestorations(readme: string): Restoration[] {
  const lines = readme.split(/\r?\n/);
  const header = lines.findIndex((l) => /^\|\s*question starts with\s*\|\s*lost code\s*\|/.test(l));
  if (header < 0) throw new Error("the seed README has no 'question starts with | lost code' table");
  const blockStart = lines.findIndex((l) => /^The block for the .* question \((\w+)\):/.test(l));
  let block: { code: string; lang: string } | undefined;
  if (blockStart >= 0) {
    const lang = /\((\w+)\):/.exec(lines[blockStart]!)![1]!;
    const body: string[] = [];
    for (const l of lines.slice(blockStart + 1)) {
      if (l.trim() === "" && body.length === 0) continue;
      if (l.trim() !== "" && !l.startsWith("    ")) break;
      body.push(l.slice(4));
    }
    block = { code: body.join("\n").trim(), lang };
  }

  const out: Restoration[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const [startsWith, lost] = line.split("|").slice(1, 3).map((c) => c.trim()) as [string, string];
    const codes: Restoration["codes"] = [];
    const isBlock = /^the block `/.test(lost);
    const parts = lost.split("`");
    for (let i = 1; i < parts.length; i += 2) {
      const code = parts[i]!;
      const after = parts[i + 1] ?? "";
      const lang = isBlock ? /\((\w+)\)/.exec(after)?.[1] : undefined;
      codes.push(lang ? { code, blockLang: lang } : { code });
      if (/\(twice\)/.test(after)) codes.push({ code });
    }
    if (/then the block below/.test(lost)) {
      if (!block) throw new Error(`"${startsWith}" refers to a block the README does not have`);
      codes.push({ code: block.code, blockLang: block.lang });
    }
    out.push({ startsWith, codes });
  }
  return out;
}

const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Index of the seed question a restoration's "starts with" names ("..." = lost code; "(first)" = the first of several). */
export function findSeedQuestion(seed: string[], startsWith: string): number | string {
  const first = /\(first\)\s*$/.test(startsWith);
  const fragments = startsWith.replace(/\(first\)\s*$/, "").split("...").map(compact).filter(Boolean);
  const matches = seed.flatMap((q, i) => {
    const text = compact(q);
    if (!text.startsWith(fragments[0]!)) return [];
    let at = fragments[0]!.length;
    for (const f of fragments.slice(1)) {
      const found = text.indexOf(f, at);
      if (found < 0) return [];
      at = found + f.length;
    }
    return [i];
  });
  if (matches.length === 0) return `no seed question starts with "${startsWith}"`;
  if (matches.length > 1 && !first) return `"${startsWith}" matches ${matches.length} seed questions`;
  return matches[0]!;
}

/** Code nodes of a Markdown body, in document order. */
function codeNodes(body: string): Array<{ inline: boolean; value: string; lang: string | null }> {
  const out: Array<{ inline: boolean; value: string; lang: string | null }> = [];
  walk(parseMarkdown(body), (node) => {
    if (node.type === "inlineCode") out.push({ inline: true, value: node.value ?? "", lang: null });
    if (node.type === "code") out.push({ inline: false, value: node.value ?? "", lang: (node as { lang?: string | null }).lang ?? null });
  });
  return out;
}

/** Problems with the restorations of `questions` (empty when every lost code is back, in order). */
export function restorationProblems(seed: string[], restorations: Restoration[], questions: ContentQuestion[]): string[] {
  const problems: string[] = [];
  for (const r of restorations) {
    const index = findSeedQuestion(seed, r.startsWith);
    if (typeof index === "string") {
      problems.push(index);
      continue;
    }
    const q = questions.find((c) => c.number === index + 1);
    if (!q) {
      problems.push(`"${r.startsWith}": no content question number ${index + 1}`);
      continue;
    }
    const nodes = codeNodes(q.body);
    let from = 0;
    for (const want of r.codes) {
      const at = nodes.findIndex(
        (n, i) =>
          i >= from &&
          (want.blockLang
            ? !n.inline && n.lang === want.blockLang && n.value.includes(want.code)
            : (n.inline && n.value === want.code) || (!n.inline && n.value.includes(want.code))),
      );
      if (at < 0) {
        const what = want.blockLang ? `a ${want.blockLang} code block with ${JSON.stringify(want.code)}` : `\`${want.code}\``;
        problems.push(`question ${q.number} (${q.slug}, "${r.startsWith}"): ${what} is missing or out of order`);
        break;
      }
      from = at + 1;
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the tests

let seed: string[] = [];
let restorations: Restoration[] = [];
let questions: ContentQuestion[] = [];

beforeAll(async () => {
  if (!haveSeed) return;
  seed = splitSeed(readFileSync(SEED_LIST, "utf8"));
  restorations = parseRestorations(readFileSync(SEED_README, "utf8"));
  const parsed = parseContent(await readContentFolder(process.env.CONTENT_TEST_DIR ? path.resolve(process.env.CONTENT_TEST_DIR) : path.join(root, "content")));
  questions = parsed.questions.map((q) => ({ number: q.number, slug: q.slug, body: q.body }));
});

describe(`the seed list in content/${SKIP_REASON}`, () => {
  it.skipIf(!haveSeed)("the seed holds 69 questions", () => {
    expect(seed).toHaveLength(69);
    expect(seed[0]).toMatch(/^To improve update queries/);
    expect(seed.at(-1)).toMatch(/^How would you serve a large CSV file/);
  });

  it.skipIf(!haveSeed)("content has questions 1..69, numbered in the seed's order", () => {
    const numbers = questions.map((q) => q.number).filter((n) => n <= 69);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 69 }, (_, i) => i + 1));
    const matches = matchSeed(seed, questions);
    const wrong = matches.flatMap((m, i) => (m.number === i + 1 ? [] : [`seed question ${i + 1} ("${seed[i]!.slice(0, 50)}…") matches question ${m.number}`]));
    expect(wrong).toEqual([]);
    // A clear match, not the least bad one.
    const weakest = Math.min(...matches.map((m) => m.score));
    expect(weakest).toBeGreaterThan(0.7);
  });

  it.skipIf(!haveSeed)("every lost code of the seed README is restored as code, in order", () => {
    expect(restorations.length).toBeGreaterThanOrEqual(21);
    expect(restorationProblems(seed, restorations, questions)).toEqual([]);
  });

  it.skipIf(!haveSeed)("the checks fail on a mutated copy of the content", () => {
    // Two questions swap numbers: the order check names both.
    const swapped = questions.map((q) => (q.number === 3 ? { ...q, number: 4 } : q.number === 4 ? { ...q, number: 3 } : q));
    const matches = matchSeed(seed, swapped);
    expect(matches[2]!.number).toBe(4);
    expect(matches[3]!.number).toBe(3);

    // Inline code turned back into plain text (as in the copy): the restoration check reports it.
    const q1 = questions.find((q) => q.number === 1)!;
    const plain = questions.map((q) => (q === q1 ? { ...q, body: q.body.replace("`save()`", "save()") } : q));
    expect(restorationProblems(seed, restorations, plain)).toEqual([
      expect.stringMatching(/^question 1 .*`save\(\)` is missing or out of order$/),
    ]);

    // The atomic block dropped from its question.
    const q4 = questions.find((q) => q.number === 4)!;
    const noBlock = questions.map((q) => (q === q4 ? { ...q, body: q.body.replace(/```python[\s\S]*```/, "") } : q));
    expect(restorationProblems(seed, restorations, noBlock)).toEqual([expect.stringMatching(/^question 4 .*a python code block/)]);
  });
});
