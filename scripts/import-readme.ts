/**
 * Imports a README holding a numbered list of questions into a content folder.
 *
 *   npm run import:readme -- FILE --out DIR [--date YYYY-MM-DD] [--credit NAME]
 *                            [--source owner/repo] [--license FILE] [--numbers LIST] [--force]
 *
 * Writes questions/<slug>/question.md, tags.yml and LICENSE into DIR (refuses
 * a non-empty DIR unless --force). When DIR is already a content folder (it
 * has a tags.yml), the questions are added to it instead: only new
 * question.md files are written, tags are guessed among its tags.yml, numbers
 * it already uses are skipped, and nothing is overwritten. --numbers 70-81
 * imports only those questions. Prints a summary and the warnings, then
 * runs the content check on DIR and prints its findings exactly as
 * `npm run validate:content -- DIR` does. Exit status: 0 when
 * the check finds no errors, 1 when it does (or the import failed), 2 on a
 * usage error.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";

import { readContentFolder } from "../app/modules/content/read-folder.server";
import { importReadme, type ImportTarget } from "../app/modules/import/readme";
import { checkContent, formatFindings, parseContent, parseFrontMatter } from "../app/modules/validation";

const USAGE = `Usage: npm run import:readme -- FILE --out DIR [options]

Turns FILE (a README with a numbered Markdown list of questions) into a
content folder in DIR, then runs the content check on it.

Options:
  --out DIR            where to write the content folder (required)
  --date YYYY-MM-DD    the questions' "added" date (default: today)
  --credit NAME        credit written into every question (the original author)
  --source OWNER/REPO  where the README comes from, named in the LICENSE notice
  --license FILE       licence text to copy as LICENSE (default: a LICENSE,
                       LICENSE.md, LICENSE.txt or COPYING file next to FILE;
                       without one, a notice saying the licence must be added)
  --numbers LIST       import only these question numbers, e.g. 70-81 or 3,5,9-12
  --force              write into DIR even when it is not empty

When DIR is already a content folder (it has a tags.yml), the questions are
added to it: tags.yml and LICENSE are kept, tags are guessed among its
vocabulary, numbers it already uses are skipped, and no file is overwritten.
  -h, --help           show this help
`;

class UsageError extends Error {}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function validDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const LICENSE_NAMES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "COPYING"];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        date: { type: "string" },
        credit: { type: "string" },
        source: { type: "string" },
        license: { type: "string" },
        numbers: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("give exactly one README file");
  if (!values.out) throw new UsageError("--out DIR is required");
  const date = values.date ?? today();
  if (!validDate(date)) throw new UsageError(`--date must be a date YYYY-MM-DD, got "${date}"`);
  if (values.source !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.source)) {
    throw new UsageError(`--source must look like owner/repo, got "${values.source}"`);
  }

  const only = values.numbers !== undefined ? parseNumbers(values.numbers) : undefined;

  const readmePath = path.resolve(positionals[0] ?? "");
  const outDir = path.resolve(values.out);
  let markdown: string;
  try {
    markdown = await readFile(readmePath, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${readmePath}: ${(error as Error).message}`);
  }

  let licensePath = values.license ? path.resolve(values.license) : undefined;
  if (!licensePath) {
    const found = LICENSE_NAMES.map((n) => path.join(path.dirname(readmePath), n)).find((p) => existsSync(p));
    if (found) {
      licensePath = found;
      console.log(`Using the licence next to the README: ${path.relative(process.cwd(), found) || found}`);
    }
  }
  let license: string | undefined;
  if (licensePath) {
    try {
      license = await readFile(licensePath, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read licence ${licensePath}: ${(error as Error).message}`);
    }
  }

  const into = await existingContent(outDir);
  if (into) console.log(`Adding to the content folder ${outDir} (${into.numbers.length} questions, ${into.tags.length} tags)`);
  const result = importReadme(markdown, { date, credit: values.credit, source: values.source, license, numbers: only, into });
  for (const w of result.warnings) console.error(`warning: ${w}`);
  const questionFiles = result.files.filter((f) => f.path.startsWith("questions/"));
  if (questionFiles.length === 0) {
    console.error(`error: no questions found in ${readmePath}; nothing written`);
    return 1;
  }

  if (into) {
    const clashes = result.files.filter((f) => existsSync(path.join(outDir, ...f.path.split("/"))));
    if (clashes.length > 0) {
      console.error(`error: ${clashes.map((f) => f.path).join(", ")} already exist in ${outDir}; nothing written`);
      return 1;
    }
  } else if (existsSync(outDir)) {
    if (!(await stat(outDir)).isDirectory()) throw new UsageError(`${outDir} exists and is not a folder`);
    const existing = await readdir(outDir);
    if (existing.length > 0 && !values.force) {
      console.error(`error: ${outDir} is not empty; use --force to write into it anyway`);
      return 1;
    }
  }
  for (const file of result.files) {
    const target = path.join(outDir, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, "utf8");
  }

  // Summary: how many questions, which numbers, which tags.
  const numbers: number[] = [];
  const tagCounts = new Map<string, number>();
  for (const f of questionFiles) {
    const front = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(f.content)?.[1] ?? "") as {
      number?: unknown;
      tags?: unknown;
    } | null;
    if (typeof front?.number === "number") numbers.push(front.number);
    const tags = Array.isArray(front?.tags) ? front.tags.map(String) : [];
    for (const t of tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
  }
  const range = numbers.length ? ` (numbers ${Math.min(...numbers)}–${Math.max(...numbers)})` : "";
  console.log(`Imported ${questionFiles.length} questions${range} into ${outDir}`);
  const tagList = [...tagCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`Tags used: ${tagList.map(([t, n]) => `${t} (${n})`).join(", ")}`);
  if (into) console.log("tags.yml and LICENSE: kept as they are");
  else console.log(license ? `LICENSE: copied from ${licensePath}` : "LICENSE: a notice; the source's licence must still be added");
  if (result.warnings.length) console.log(`${result.warnings.length} warning(s), see above`);

  // The content check on what is now in the folder, printed as `npm run validate:content -- DIR` prints it
  // (paths relative to the folder's parent).
  const files = await readContentFolder(outDir);
  const findings = checkContent(files);
  process.stdout.write(`\nContent check of ${outDir}:\n`);
  process.stdout.write(formatFindings(findings, "text", { prefix: path.basename(outDir), files: files.length }));
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}

/** "70-81" or "3,5,9-12" → the numbers. */
function parseNumbers(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--numbers must look like 70-81 or 3,5,9-12, got "${text}"`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (from < 1 || to < from || to - from > 10_000) throw new UsageError(`--numbers: "${part}" is not a range of question numbers`);
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out;
}

/** What a content folder (one with a tags.yml) already holds, or undefined for any other folder. */
async function existingContent(dir: string): Promise<ImportTarget | undefined> {
  if (!existsSync(path.join(dir, "tags.yml"))) return undefined;
  const files = await readContentFolder(dir);
  const { tags } = parseContent(files);
  const folders = existsSync(path.join(dir, "questions")) ? await readdir(path.join(dir, "questions")) : [];
  // Every question file's number, also of files the check rejects: a number in use stays taken.
  const numbers = files.flatMap((f) => {
    if (!/^questions\/[^/]+\/question\.md$/.test(f.path)) return [];
    const fm = parseFrontMatter(new TextDecoder().decode(f.bytes));
    const n = "error" in fm ? undefined : (fm.data as { number?: unknown } | null)?.number;
    return typeof n === "number" ? [n] : [];
  });
  return { tags: tags.map((t) => t.id), slugs: folders, numbers };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
