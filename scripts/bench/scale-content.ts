/**
 * A content folder of N questions × 3 answers made from the real content, for
 * the scale benchmark (`npm run bench -- --scale N`). Question i is a copy of
 * real question ((i - 1) mod R) + 1 with its own number, slug and title: each
 * title gets two made-up words of its own, so no two generated titles are
 * possible duplicates of each other. Its three answers are the real answers of
 * that question and of the next ones, in turn. Every body ends with a sentence
 * of its own, so no two files are alike (nothing can be parsed once and
 * reused, as it could not on a real site). Deterministic.
 */
import fs from "node:fs";
import path from "node:path";
import { parseFrontMatter } from "~/modules/validation";

interface Source {
  slug: string;
  title: string;
  tags: string[];
  added: string;
  body: string;
  answers: Array<{ author: string; date: string; body: string }>;
}

const CONSONANTS = "bdfgklmnprstvz";
const VOWELS = "aeiou";

/** A pronounceable made-up word for a number (distinct numbers, distinct words; never an English stop word). */
export function madeUpWord(n: number): string {
  let word = "";
  let x = n;
  do {
    word += CONSONANTS[x % CONSONANTS.length]! + VOWELS[Math.floor(x / CONSONANTS.length) % VOWELS.length]!;
    x = Math.floor(x / (CONSONANTS.length * VOWELS.length));
  } while (x > 0);
  return `${word}x`;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

function readSources(contentDir: string): Source[] {
  const sources: Source[] = [];
  const questionsDir = path.join(contentDir, "questions");
  for (const slug of fs.readdirSync(questionsDir).sort()) {
    const file = path.join(questionsDir, slug, "question.md");
    if (!fs.existsSync(file)) continue;
    const fm = parseFrontMatter(fs.readFileSync(file, "utf8"));
    if ("error" in fm) continue;
    const data = fm.data as Record<string, unknown>;
    const answersDir = path.join(questionsDir, slug, "answers");
    const answers = fs.existsSync(answersDir)
      ? fs
          .readdirSync(answersDir)
          .filter((f) => f.endsWith(".md"))
          .sort()
          .flatMap((f) => {
            const a = parseFrontMatter(fs.readFileSync(path.join(answersDir, f), "utf8"));
            if ("error" in a) return [];
            const d = a.data as Record<string, unknown>;
            return [{ author: String(d.author), date: String(d.date instanceof Date ? d.date.toISOString().slice(0, 10) : d.date), body: a.body }];
          })
      : [];
    const added = data.added instanceof Date ? data.added.toISOString().slice(0, 10) : String(data.added);
    sources.push({ slug, title: String(data.title), tags: data.tags as string[], added, body: fm.body, answers });
  }
  sources.sort((a, b) => a.slug.localeCompare(b.slug));
  return sources;
}

/** Cuts a title to fit `max` characters at a word boundary. */
function fitTitle(title: string, max: number): string {
  if (title.length <= max) return title;
  const cut = title.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(" "), 10)).replace(/[\s,;:–—-]+$/, "");
}

export interface ScaleQuestion {
  slug: string;
  number: number;
  title: string;
  dir: string;
}

/** Writes N questions × 3 answers into `target` (created; must be empty or absent). */
export function generateScaleContent(realContent: string, target: string, count: number): ScaleQuestion[] {
  const sources = readSources(realContent);
  if (sources.length === 0) throw new Error(`no questions in ${realContent}`);
  const allAnswers = sources.flatMap((s) => s.answers);
  fs.mkdirSync(path.join(target, "questions"), { recursive: true });
  fs.copyFileSync(path.join(realContent, "tags.yml"), path.join(target, "tags.yml"));
  for (const name of ["LICENSE", "NOTICE"]) {
    if (fs.existsSync(path.join(realContent, name))) fs.copyFileSync(path.join(realContent, name), path.join(target, name));
  }
  const made: ScaleQuestion[] = [];
  for (let i = 1; i <= count; i++) {
    const src = sources[(i - 1) % sources.length]!;
    const words = `${madeUpWord(2 * i)} ${madeUpWord(2 * i + 1)}`;
    const title = `${fitTitle(src.title, 100 - words.length - 3)} (${words})`;
    const base = src.slug.slice(0, 44).replace(/-+$/, "");
    const slug = `${base}-${i}`;
    const dir = path.join(target, "questions", slug);
    fs.mkdirSync(path.join(dir, "answers"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "question.md"),
      `---\nnumber: ${i}\ntitle: ${yamlString(title)}\ntags: [${src.tags.join(", ")}]\nadded: ${src.added}\n---\n${src.body.trimEnd()}\n\nThis is variant ${words} of the question.\n`,
    );
    for (let k = 0; k < 3; k++) {
      const answer = k < src.answers.length ? src.answers[k]! : allAnswers[(i * 3 + k) % allAnswers.length]!;
      fs.writeFileSync(
        path.join(dir, "answers", `answer-${k + 1}.md`),
        `---\nauthor: ${yamlString(answer.author)}\ndate: ${answer.date}\n---\n${answer.body.trimEnd()}\n\nAnswer ${k + 1} to variant ${words}.\n`,
      );
    }
    made.push({ slug, number: i, title, dir });
  }
  return made;
}
