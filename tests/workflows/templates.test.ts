/**
 * The repository templates and CONTRIBUTING.md: issue forms GitHub can load,
 * an issue chooser that points to the web form, code owners for the content,
 * and a contributor guide whose links work and whose limits match the check.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AUTHOR_MAX, DEFAULT_MAX_FILE_BYTES, TAGS_MAX, TAGS_MIN, TITLE_MAX } from "~/modules/validation";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The repository on GitHub and its maintainers' team (docs/configuration.md, "The repository on GitHub"). */
const REPOSITORY = "django-questions/content";
const MAINTAINERS = "@django-questions/maintainers";
const read = (rel: string) => readFileSync(path.join(root, rel), "utf8");

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems GitHub would reject an issue form for (the rules of its issue-form syntax we rely on). */
function issueFormProblems(form: unknown): string[] {
  const problems: string[] = [];
  if (!isDict(form)) return ["not a mapping"];
  for (const key of ["name", "description"]) {
    if (typeof form[key] !== "string" || (form[key] as string).trim() === "") problems.push(`"${key}" must be non-empty text`);
  }
  if (!Array.isArray(form.body) || form.body.length === 0) return [...problems, '"body" must be a non-empty list'];
  const ids = new Set<string>();
  let inputs = 0;
  form.body.forEach((element: unknown, i) => {
    const where = `body[${i}]`;
    if (!isDict(element)) return problems.push(`${where} is not a mapping`);
    const attrs = isDict(element.attributes) ? element.attributes : {};
    switch (element.type) {
      case "markdown":
        if (typeof attrs.value !== "string" || attrs.value.trim() === "") problems.push(`${where}: markdown needs attributes.value`);
        if ("id" in element) problems.push(`${where}: markdown cannot have an id`);
        return;
      case "input":
      case "textarea":
      case "dropdown":
      case "checkboxes":
        inputs++;
        break;
      default:
        return problems.push(`${where}: unknown type ${String(element.type)}`);
    }
    if (typeof attrs.label !== "string" || attrs.label.trim() === "") problems.push(`${where}: needs attributes.label`);
    if (element.id !== undefined) {
      if (typeof element.id !== "string" || !/^[A-Za-z0-9_-]+$/.test(element.id)) problems.push(`${where}: bad id ${String(element.id)}`);
      else if (ids.has(element.id)) problems.push(`${where}: duplicate id ${element.id}`);
      else ids.add(element.id);
    }
    if (element.type === "dropdown") {
      const options = attrs.options;
      if (!Array.isArray(options) || options.length === 0 || !options.every((o) => typeof o === "string" && o !== "")) {
        problems.push(`${where}: dropdown needs a list of options`);
      } else if (new Set(options).size !== options.length) problems.push(`${where}: dropdown options must be unique`);
    }
    if (element.type === "checkboxes") {
      const options = attrs.options;
      if (!Array.isArray(options) || options.length === 0 || !options.every((o) => isDict(o) && typeof o.label === "string")) {
        problems.push(`${where}: checkboxes need options with a label`);
      }
    }
    if (element.validations !== undefined && (!isDict(element.validations) || typeof element.validations.required !== "boolean")) {
      problems.push(`${where}: validations.required must be true or false`);
    }
  });
  if (inputs === 0) problems.push("needs at least one field that is not markdown");
  return problems;
}

describe("issue templates", () => {
  const dir = ".github/ISSUE_TEMPLATE";
  const forms = readdirSync(path.join(root, dir)).filter((f) => /\.ya?ml$/.test(f) && !/^config\.ya?ml$/.test(f));

  it("has the question-idea and bug-report forms", () => {
    expect(forms.sort()).toEqual(["bug-report.yml", "question-idea.yml"]);
  });

  it.each(forms)("%s is a valid issue form", (file) => {
    expect(issueFormProblems(parse(read(`${dir}/${file}`)))).toEqual([]);
  });

  it("the form check rejects broken forms (so the check above can fail)", () => {
    expect(issueFormProblems({ name: "x", description: "y", body: [{ type: "markdown", attributes: { value: "hi" } }] })).toEqual([
      "needs at least one field that is not markdown",
    ]);
    expect(
      issueFormProblems({
        name: "x",
        description: "y",
        body: [
          { type: "input", id: "a", attributes: { label: "A" } },
          { type: "textbox", id: "b", attributes: { label: "B" } },
          { type: "dropdown", id: "a", attributes: { label: "C", options: [] } },
        ],
      }),
    ).toEqual(["body[1]: unknown type textbox", "body[2]: duplicate id a", "body[2]: dropdown needs a list of options"]);
  });

  it("a question idea asks for the title, the question, the tags and the licence agreement", () => {
    const form = parse(read(`${dir}/question-idea.yml`)) as { body: { id?: string; type: string; validations?: { required?: boolean }; attributes: { options?: { required?: boolean }[] } }[] };
    const required = form.body.filter((e) => e.validations?.required).map((e) => e.id);
    expect(required).toEqual(expect.arrayContaining(["title", "question", "tags"]));
    const licence = form.body.find((e) => e.type === "checkboxes");
    expect(licence?.attributes.options?.[0]?.required).toBe(true);
    expect(JSON.stringify(licence)).toMatch(/BSD 3-Clause/);
  });

  it("the issue chooser links to how to propose a question (the web form) in this repository, and to private security reports", () => {
    const config = parse(read(`${dir}/config.yml`)) as Dict;
    expect(typeof config.blank_issues_enabled).toBe("boolean");
    const links = config.contact_links as { name: string; url: string; about: string }[];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.name.trim()).not.toBe("");
      expect(link.about.trim()).not.toBe("");
      const url = new URL(link.url);
      expect(url.protocol).toBe("https:");
      // This repository on GitHub, as the configuration guide names it.
      expect(url.host).toBe("github.com");
      expect(url.pathname.startsWith(`/${REPOSITORY}/`), link.url).toBe(true);
    }
    const propose = links.find((l) => /CONTRIBUTING\.md$/.test(new URL(l.url).pathname));
    expect(propose, "a contact link to CONTRIBUTING.md").toBeDefined();
    // The section it points at exists, and names the form's route.
    const anchor = new URL(propose!.url).hash.slice(1);
    const headings = read("CONTRIBUTING.md").split("\n").filter((l) => /^##+ /.test(l)).map((l) => l.replace(/^#+ /, "").toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-"));
    expect(headings).toContain(anchor);
    expect(read("CONTRIBUTING.md")).toContain("/contribute/question");
    expect(existsSync(path.join(root, "app/routes/contribute.question.tsx"))).toBe(true);
    expect(links.some((l) => new URL(l.url).pathname === `/${REPOSITORY}/security/advisories/new`)).toBe(true);
  });

  it("holds no placeholder: every setting is one the configuration guide documents", () => {
    const guide = read("docs/configuration.md");
    for (const file of [`${dir}/config.yml`, ".github/CODEOWNERS"]) {
      expect(read(file), file).not.toMatch(/placeholder|example\.(org|com)|replace (it|the)/i);
    }
    expect(guide).toContain(`\`${REPOSITORY}\``);
    expect(guide).toContain(`\`${MAINTAINERS}\``);
  });
});

describe("pull request template", () => {
  const template = read(".github/PULL_REQUEST_TEMPLATE.md");

  it("asks what the pull request changes", () => {
    expect(template).toMatch(/^## What this changes/m);
  });

  it("has the contributor checklist", () => {
    const items = template.split("\n").filter((l) => l.startsWith("- [ ] "));
    const has = (re: RegExp) => items.some((l) => re.test(l));
    expect(has(/npm run validate:content/)).toBe(true);
    expect(has(/One question per folder/i)).toBe(true);
    expect(has(/code block names a language/i)).toBe(true);
    expect(has(/credit/i)).toBe(true);
    expect(has(/BSD 3-Clause licence/)).toBe(true);
  });
});

describe("CODEOWNERS", () => {
  const rules = read(".github/CODEOWNERS")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.split(/\s+/));

  it("every line is a pattern followed by owners", () => {
    for (const [pattern, ...owners] of rules) {
      expect(pattern).toBeTruthy();
      expect(owners.length, `owners for ${pattern}`).toBeGreaterThan(0);
      for (const owner of owners) expect(owner).toMatch(/^@[\w-]+(\/[\w-]+)?$|^[^@\s]+@[^@\s]+$/);
    }
  });

  it("asks the maintainers to review the content and the code", () => {
    const owners = (p: string) => rules.filter((r) => r[0] === p).flatMap((r) => r.slice(1));
    expect(owners("/content/")).toContain(MAINTAINERS);
    expect(owners("*")).toContain(MAINTAINERS);
    expect(owners("/SECURITY.md")).toContain(MAINTAINERS);
  });
});

describe("licence, security policy and Dependabot", () => {
  it("licenses the code under BSD 3-Clause at the root; the content keeps its own licence", () => {
    const text = read("LICENSE").replace(/\s+/g, " ");
    expect(text).toMatch(/^BSD 3-Clause License Copyright \(c\) 20\d\d, /);
    for (const clause of [
      "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:",
      "3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
      "EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.",
    ]) {
      expect(text).toContain(clause);
    }
    expect(text).toContain("content/LICENSE");
    expect(read("content/LICENSE")).toMatch(/Şuayip Üzülmez/);
  });

  it("says how to report a vulnerability privately", () => {
    const policy = read("SECURITY.md");
    expect(policy).toMatch(/^## Reporting a vulnerability$/m);
    expect(policy).toMatch(/do \*\*not\*\* open a public issue/);
    expect(policy).toContain("security/advisories/new");
  });

  it("has Dependabot update npm packages and GitHub Actions", () => {
    const config = parse(read(".github/dependabot.yml")) as { version: number; updates: { "package-ecosystem": string; directory: string; schedule: { interval: string } }[] };
    expect(config.version).toBe(2);
    const ecosystems = config.updates.map((u) => u["package-ecosystem"]).sort();
    expect(ecosystems).toEqual(["github-actions", "npm"]);
    for (const u of config.updates) {
      expect(u.directory).toBe("/");
      expect(["daily", "weekly", "monthly"]).toContain(u.schedule.interval);
    }
    // It has something to update: a lock file, and workflows that use actions.
    expect(existsSync(path.join(root, "package-lock.json"))).toBe(true);
    expect(readdirSync(path.join(root, ".github/workflows")).some((f) => /uses:/.test(read(`.github/workflows/${f}`)))).toBe(true);
  });
});

describe("CONTRIBUTING.md", () => {
  const doc = read("CONTRIBUTING.md");

  it("every relative link points to a file or folder in the repository", () => {
    const targets = [...doc.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#") && !t.startsWith("../"))
      .map((t) => t.split("#")[0]!);
    expect(targets.length).toBeGreaterThan(5);
    const missing = targets.filter((t) => !existsSync(path.join(root, t)));
    expect(missing).toEqual([]);
  });

  it("states the limits the content check enforces", () => {
    expect(doc).toContain(`at most ${TITLE_MAX} characters`);
    expect(doc).toContain(`at most ${AUTHOR_MAX} characters`);
    expect(doc).toContain(`list of ${TAGS_MIN} to ${TAGS_MAX} different tag ids`);
    expect(doc).toContain(`at most ${DEFAULT_MAX_FILE_BYTES.toLocaleString("en-US")} bytes`);
  });

  it("covers the contract, the check, CI, the licence and code contributions", () => {
    for (const heading of ["The content contract", "Markdown", "The content check", "What CI does on your pull request", "Licence", "Contributing code"]) {
      expect(doc).toMatch(new RegExp(`^##+ ${heading}$`, "m"));
    }
    expect(doc).toContain("npm ci && npm start");
    expect(doc).toContain("npm ci && npm test");
    expect(doc).toContain("npm run validate:content");
    expect(doc).toContain("BSD 3-Clause");
  });
});
