/**
 * A content repository for the live-update tests, entirely local:
 *
 *   origin.git   bare repository standing in for GitHub
 *   checkout/    the site's clone (CONTENT_DIR = checkout/content)
 *   author/      a maintainer's clone: commits here and pushes to origin.git
 *
 * Seeded with the tag vocabulary, the licence and a few real questions from
 * the repository's content folder. Git runs with an isolated configuration
 * (no global or system config, fixed identity, default branch `main`).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Environment for git in tests: no user or system configuration, a fixed identity. */
export function isolatedGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_AUTHOR_NAME: "Test Maintainer",
    GIT_AUTHOR_EMAIL: "maintainer@example.org",
    GIT_COMMITTER_NAME: "Test Maintainer",
    GIT_COMMITTER_EMAIL: "maintainer@example.org",
    GIT_TERMINAL_PROMPT: "0",
  };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete env[name];
  return env;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    env: isolatedGitEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** The first `count` question folders of the real content, sorted by name. */
export function seedSlugs(count = 3): string[] {
  return fs.readdirSync(path.join(ROOT, "content/questions")).sort().slice(0, count);
}

export interface NewQuestion {
  slug: string;
  number: number;
  title: string;
  body?: string;
  tags?: string[];
}

export function questionMarkdown(q: NewQuestion): string {
  return [
    "---",
    `number: ${q.number}`,
    `title: ${q.title}`,
    `tags: [${(q.tags ?? ["deployment"]).join(", ")}]`,
    "added: 2026-11-25",
    "---",
    q.body ?? `${q.title} Explain the steps and what can go wrong.`,
    "",
  ].join("\n");
}

export interface ContentRepo {
  root: string;
  origin: string;
  checkout: string;
  /** `checkout/content`: the site's CONTENT_DIR. */
  contentDir: string;
  author: string;
  seeded: string[];
  /** Writes files (repository paths) in the author clone, commits and pushes; returns the new sha. */
  pushFiles(files: Record<string, string | null>, message: string): string;
  /** Adds a question in the author clone and pushes it. */
  pushQuestion(q: NewQuestion): string;
  head(dir?: string): string;
  cleanup(): void;
}

export function createContentRepo(options: { seed?: number } = {}): ContentRepo {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dq-sync-")));
  const origin = path.join(root, "origin.git");
  const seedDir = path.join(root, "seed");
  const seeded = seedSlugs(options.seed ?? 3);

  git(root, "init", "--quiet", "--bare", origin);
  fs.mkdirSync(path.join(seedDir, "content/questions"), { recursive: true });
  fs.copyFileSync(path.join(ROOT, "content/tags.yml"), path.join(seedDir, "content/tags.yml"));
  fs.copyFileSync(path.join(ROOT, "content/LICENSE"), path.join(seedDir, "content/LICENSE"));
  for (const slug of seeded) {
    fs.cpSync(path.join(ROOT, "content/questions", slug), path.join(seedDir, "content/questions", slug), { recursive: true });
  }
  fs.writeFileSync(path.join(seedDir, "README.md"), "# Content repository for the live-update tests\n");
  git(seedDir, "init", "--quiet");
  git(seedDir, "add", "-A");
  git(seedDir, "commit", "--quiet", "-m", "Seed content");
  git(seedDir, "push", "--quiet", origin, "HEAD:refs/heads/main");
  fs.rmSync(seedDir, { recursive: true, force: true });
  git(root, "clone", "--quiet", origin, path.join(root, "checkout"));
  git(root, "clone", "--quiet", origin, path.join(root, "author"));
  return contentRepoAt(root, seeded);
}

/** A fresh, independent copy of a repository set (cheaper than creating one: a file copy and two remote URLs). */
export function copyContentRepo(template: ContentRepo): ContentRepo {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dq-sync-")));
  fs.cpSync(template.root, root, { recursive: true });
  const origin = path.join(root, "origin.git");
  git(path.join(root, "checkout"), "remote", "set-url", "origin", origin);
  git(path.join(root, "author"), "remote", "set-url", "origin", origin);
  return contentRepoAt(root, template.seeded);
}

function contentRepoAt(root: string, seeded: string[]): ContentRepo {
  const origin = path.join(root, "origin.git");
  const checkout = path.join(root, "checkout");
  const author = path.join(root, "author");
  const head = (dir = checkout) => git(dir, "rev-parse", "HEAD");
  const pushFiles = (files: Record<string, string | null>, message: string) => {
    git(author, "pull", "--quiet", "--ff-only", "origin", "main");
    for (const [rel, text] of Object.entries(files)) {
      const abs = path.join(author, rel);
      if (text === null) {
        fs.rmSync(abs, { recursive: true, force: true });
      } else {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, text);
      }
    }
    git(author, "add", "-A");
    git(author, "commit", "--quiet", "-m", message);
    git(author, "push", "--quiet", "origin", "HEAD:refs/heads/main");
    return head(author);
  };
  return {
    root,
    origin,
    checkout,
    contentDir: path.join(checkout, "content"),
    author,
    seeded,
    pushFiles,
    pushQuestion: (q) => pushFiles({ [`content/questions/${q.slug}/question.md`]: questionMarkdown(q) }, `Add question ${q.number}`),
    head,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
