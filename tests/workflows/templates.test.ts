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

  it("the issue chooser links to the web form for proposing a question", () => {
    const config = parse(read(`${dir}/config.yml`)) as Dict;
    expect(typeof config.blank_issues_enabled).toBe("boolean");
    const links = config.contact_links as { name: string; url: string; about: string }[];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.name.trim()).not.toBe("");
      expect(link.about.trim()).not.toBe("");
      expect(new URL(link.url).protocol).toBe("https:");
    }
    const form = links.find((l) => new URL(l.url).pathname === "/contribute/question");
    expect(form, "a contact link to /contribute/question").toBeDefined();
    // The route the link points at exists.
    expect(existsSync(path.join(root, "app/routes/contribute.question.tsx"))).toBe(true);
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
    expect(owners("/content/")).toContain("@django-questions/maintainers");
    expect(owners("*")).toContain("@django-questions/maintainers");
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
