import { readFileSync } from "node:fs";
import path from "node:path";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import { importReadme, type ImportResult } from "./readme";
import { isValidSlug } from "./text";

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/import");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

interface Front {
  number: number;
  title: string;
  tags: string[];
  added: string;
  credit?: string;
}
interface Q {
  path: string;
  slug: string;
  front: Front;
  body: string;
}

/** The question files of an import, parsed back, by number. */
function questions(result: ImportResult): Map<number, Q> {
  const out = new Map<number, Q>();
  for (const f of result.files) {
    const m = /^questions\/([^/]+)\/question\.md$/.exec(f.path);
    if (!m) continue;
    const fm = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(f.content);
    if (!fm) throw new Error(`no front matter in ${f.path}`);
    const front = parseYaml(fm[1] ?? "") as Front;
    expect(out.has(front.number), `number ${front.number} twice`).toBe(false);
    out.set(front.number, { path: f.path, slug: m[1] ?? "", front, body: fm[2] ?? "" });
  }
  return out;
}

function get(qs: Map<number, Q>, n: number): Q {
  const q = qs.get(n);
  if (!q) throw new Error(`question ${n} missing`);
  return q;
}

interface MdNode {
  type: string;
  value?: string;
  lang?: string | null;
  children?: MdNode[];
}
function nodesOf(markdown: string, type: string): MdNode[] {
  const found: MdNode[] = [];
  const visit = (n: MdNode) => {
    if (n.type === type) found.push(n);
    n.children?.forEach(visit);
  };
  visit(unified().use(remarkParse).use(remarkGfm).parse(markdown) as unknown as MdNode);
  return found;
}

const OPTIONS = { date: "2024-05-01", credit: "Şuayip Üzülmez", source: "realsuayip/django-questions" };

describe("importReadme on the reconstructed django-questions README", () => {
  const license = fixture("django-questions-LICENSE.txt");
  const result = importReadme(fixture("django-questions-readme.md"), { ...OPTIONS, license });
  const qs = questions(result);

  it("imports all 69 questions with the README's own numbers, without warnings", () => {
    expect([...qs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 69 }, (_, i) => i + 1));
    expect(result.warnings).toEqual([]);
  });

  it("keeps the transaction.atomic block of question 4 exactly, as python", () => {
    const q4 = get(qs, 4);
    expect(q4.front.title).toBe("In the following code, what might be the reason for the usage of transaction.atomic?");
    expect(q4.body).toContain(
      "In the following code, what might be the reason for the usage of\n`transaction.atomic`?\n```python\n" +
        "@transaction.atomic\n" +
        "def commit(instance, data):\n" +
        "    for attr, value in data.items():\n" +
        "        setattr(instance, attr, value)\n" +
        "    instance.save(update_fields=data.keys())\n",
    );
    const [code, ...more] = nodesOf(q4.body, "code");
    expect(more).toHaveLength(0);
    expect(code?.lang).toBe("python");
    expect(code?.value).toBe(
      [
        "@transaction.atomic",
        "def commit(instance, data):",
        "    for attr, value in data.items():",
        "        setattr(instance, attr, value)",
        "    instance.save(update_fields=data.keys())",
      ].join("\n"),
    );
    expect(q4.front.tags).toContain("database");
  });

  it("keeps the annotate(Count(...)) block of question 10 and tags it orm", () => {
    const q10 = get(qs, 10);
    const [code] = nodesOf(q10.body, "code");
    expect(code?.lang).toBe("python");
    expect(code?.value).toBe('User.objects.annotate(Count("following"), Count("followers"))');
    expect(q10.body.startsWith("The code below produces incorrect counts for specified fields. What could be\nthe reason?\n"))
      .toBe(true);
    expect(q10.front.tags).toContain("orm");
  });

  it("keeps inline code in bodies and turns it into plain text in titles", () => {
    const q1 = get(qs, 1);
    expect(q1.body).toContain("replacing model `save()` calls with\n`save(update_fields=[...])`. After");
    const q8 = get(qs, 8);
    expect(q8.front.title).toBe("Which library do you need to install to use models.ImageField?");
    expect(q8.body).toBe("Which library do you need to install to use `models.ImageField`?\n");
    expect(get(qs, 17).front.title).toBe("Why adding null=True to a CharField is a bad idea?");
    for (const q of qs.values()) {
      expect(q.front.title).not.toMatch(/[`*_]{2}|`/);
      expect(q.front.title.length).toBeGreaterThan(0);
      expect(q.front.title.length).toBeLessThanOrEqual(100);
    }
  });

  it("shortens long first sentences on a word boundary", () => {
    const t1 = get(qs, 1).front.title;
    expect(t1).toBe("To improve update queries in the application, the project manager creates a task which entails…");
    expect(get(qs, 2).front.title).toBe("Two developers are working on the same model in separate branches");
  });

  it("guesses tags from keywords, with general as the fallback", () => {
    const tagsOf = (n: number) => get(qs, n).front.tags;
    expect(tagsOf(6)).toContain("signals");
    expect(tagsOf(9)).toContain("deployment");
    expect(tagsOf(14)).toContain("testing");
    expect(tagsOf(15)).toContain("i18n");
    expect(tagsOf(23)).toContain("middleware");
    expect(tagsOf(24)).toEqual(expect.arrayContaining(["admin", "performance"]));
    expect(tagsOf(37)).toContain("security");
    expect(tagsOf(43)).toContain("migrations");
    expect(tagsOf(51)).toContain("settings");
    expect(tagsOf(34)).toEqual(["general"]);
    for (const q of qs.values()) {
      expect(q.front.tags.length).toBeGreaterThanOrEqual(1);
      expect(q.front.tags.length).toBeLessThanOrEqual(5);
    }
  });

  it("gives every question a valid, unique slug and the date and credit", () => {
    const slugs = [...qs.values()].map((q) => q.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const q of qs.values()) {
      expect(isValidSlug(q.slug), q.slug).toBe(true);
      expect(q.front.added).toBe("2024-05-01");
      expect(q.front.credit).toBe("Şuayip Üzülmez");
    }
    expect(get(qs, 9).slug).toBe("what-is-gunicorn");
  });

  it("leaves the introduction out of the questions", () => {
    for (const q of qs.values()) {
      expect(q.body).not.toContain("Here are some questions");
      expect(q.body).not.toContain("If you have any suggestions");
    }
  });

  it("writes tags.yml with exactly the tags used, and the licence verbatim", () => {
    const tagsFile = result.files.find((f) => f.path === "tags.yml");
    const tags = parseYaml(tagsFile?.content ?? "") as { id: string; label: string; description: string }[];
    const used = new Set([...qs.values()].flatMap((q) => q.front.tags));
    expect(new Set(tags.map((t) => t.id))).toEqual(used);
    for (const t of tags) {
      expect(t.label).toBeTruthy();
      expect(t.description).toBeTruthy();
    }
    expect(result.files.find((f) => f.path === "LICENSE")?.content).toBe(license);
  });
});

describe("importReadme on wrapped items with HTML, nested lists and unlabelled code", () => {
  const result = importReadme(fixture("wrapped-items.md"), { date: "2024-05-01" });
  const qs = questions(result);

  it("takes the numbered list (split by a comment) and ignores the Contributing list after it", () => {
    expect([...qs.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const q of qs.values()) {
      expect(q.body).not.toContain("Fork the repository");
      expect(q.body).not.toContain("maintainers: keep the numbers stable");
      expect(q.body).not.toContain("A short list to check the importer");
    }
    expect(result.warnings.some((w) => /ignored a numbered list of 3 item/.test(w))).toBe(true);
  });

  it("keeps wrapped (lazy) lines exactly", () => {
    expect(get(qs, 1).body).toBe(
      "What is the difference between `select_related` and `prefetch_related`\nwhen you load related objects? Which one issues a single SQL query?\n",
    );
  });

  it("escapes raw HTML, warns, and leaves no HTML node in the body", () => {
    const q4 = get(qs, 4);
    expect(q4.body).toBe("Which HTTP headers does Django set by default?\\<br>Name a few.\n");
    expect(nodesOf(q4.body, "html")).toHaveLength(0);
    expect(q4.front.title).toBe("Which HTTP headers does Django set by default?");
    expect(result.warnings).toContain("question 4 (line 14): escaped raw HTML: <br>");
  });

  it("keeps a nested bullet list inside an item, dedented", () => {
    expect(get(qs, 5).body).toBe(
      [
        "Which of these middleware orders is correct, and why?",
        "- `SecurityMiddleware` first",
        "- `SessionMiddleware` before `AuthenticationMiddleware`",
        "- `CsrfViewMiddleware` last",
        "Explain what breaks with the wrong order.",
        "",
      ].join("\n"),
    );
    expect(nodesOf(get(qs, 5).body, "listItem")).toHaveLength(3);
    expect(get(qs, 5).front.tags).toContain("middleware");
  });

  it("makes colliding slugs unique", () => {
    expect(get(qs, 1).slug).toBe("what-is-the-difference-between-select-related-and-prefetch");
    expect(get(qs, 6).slug).toBe("what-is-the-difference-between-select-related-and-prefetch-2");
  });

  it("shortens a one-sentence item of more than 100 characters", () => {
    const title = get(qs, 7).front.title;
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title).toMatch(/^When a team of developers with many different backgrounds, .* starts a…$/);
  });

  it("labels unlabelled fences python or text and turns indented code into fenced code", () => {
    const [py] = nodesOf(get(qs, 8).body, "code");
    expect(py?.lang).toBe("python");
    expect(py?.value).toBe('def handler(sender, **kwargs):\n    print("FOO")');
    expect(get(qs, 8).body).toContain('```python\ndef handler(sender, **kwargs):\n    print("FOO")\n```');
    const [sh] = nodesOf(get(qs, 9).body, "code");
    expect(sh?.lang).toBe("text");
    expect(sh?.value).toBe("$ python -m pip install --upgrade django");
    expect(get(qs, 10).body).toBe("What is printed?\n\n```python\nfor n in range(3):\n    print(n)\n```\n");
    expect(result.warnings).toContain("question 8 (line 29): labelled a code block without language as python");
  });

  it("falls back to the general tag", () => {
    expect(get(qs, 3).front.tags).toEqual(["general"]);
  });

  it("leaves credit out when none is given and writes a LICENSE notice", () => {
    for (const q of qs.values()) expect(q.front.credit).toBeUndefined();
    const notice = result.files.find((f) => f.path === "LICENSE")?.content ?? "";
    expect(notice).toMatch(/licence of the source must be added/i);
  });
});

describe("importReadme on items with indented continuation lines", () => {
  const result = importReadme(fixture("indented-items.md"), OPTIONS);
  const qs = questions(result);

  it("keeps the list's start number and `)` markers", () => {
    expect([...qs.keys()]).toEqual([7, 8, 9, 10]);
    expect(result.warnings).toEqual([]);
  });

  it("dedents paragraphs and code blocks by the item's content indent", () => {
    expect(get(qs, 7).body).toBe(
      "Why would you put a reverse proxy such as nginx in front of gunicorn?\nName two things the proxy does better than the application server.\n",
    );
    expect(get(qs, 8).body).toBe(
      [
        "Consider this settings snippet:",
        "",
        "```python",
        "DATABASES = {",
        '    "default": {',
        '        "ENGINE": "django.db.backends.postgresql",',
        '        "CONN_MAX_AGE": 60,',
        "    }",
        "}",
        "```",
        "",
        "What happens to the connections when the workers are recycled?",
        "",
      ].join("\n"),
    );
    expect(get(qs, 10).body).toBe(
      "Explain `ALLOWED_HOSTS` and what happens when a request arrives with an\nunexpected `Host` header.\n",
    );
  });

  it("keeps a nested list with its own continuation paragraph", () => {
    expect(get(qs, 9).body).toBe(
      [
        "Your site is slow after every deploy.",
        "- The first requests take seconds.",
        "- Later ones are fast.",
        "",
        "  Nested detail: the cache is empty.",
        "",
        "What is going on, and how do you warm things up?",
        "",
      ].join("\n"),
    );
    expect(get(qs, 9).front.tags).toEqual(expect.arrayContaining(["deployment", "performance"]));
  });
});

describe("importReadme edge cases", () => {
  it("numbers in order when every item is written `1.`, and warns", () => {
    const r = importReadme("1. What is a model?\n1. What is a view?\n1. What is a template?\n", { date: "2024-01-02" });
    expect([...questions(r).keys()]).toEqual([1, 2, 3]);
    expect(r.warnings.join("\n")).toMatch(/not increasing/);
  });

  it("joins lists whose numbering continues across section headings", () => {
    const md = "# ORM\n\n1. What is a QuerySet?\n2. What is select_related?\n\n# Security\n\n3. What is CSRF?\n4. What is XSS?\n";
    const qs = questions(importReadme(md, { date: "2024-01-02" }));
    expect([...qs.keys()]).toEqual([1, 2, 3, 4]);
    expect(get(qs, 3).front.tags).toEqual(["security"]);
  });

  it("reads CRLF files and a byte-order mark", () => {
    const qs = questions(importReadme("\uFEFFIntro\r\n\r\n1. What is WSGI?\r\n   Explain.\r\n", { date: "2024-01-02" }));
    expect(get(qs, 1).body).toBe("What is WSGI?\nExplain.\n");
  });

  it("drops an HTML comment inside an item and warns", () => {
    const r = importReadme("1. What is ASGI?\n\n   <!-- todo: link docs -->\n\n   Compare it to WSGI.\n", {
      date: "2024-01-02",
    });
    expect(get(questions(r), 1).body).toBe("What is ASGI?\n\nCompare it to WSGI.\n");
    expect(r.warnings.join("\n")).toMatch(/dropped an HTML comment/);
  });

  it("returns no files and a warning when there is no numbered list", () => {
    const r = importReadme("# Title\n\n- a bullet\n- another\n", { date: "2024-01-02" });
    expect(r.files).toEqual([]);
    expect(r.warnings.join("\n")).toMatch(/no numbered list/);
  });

  it("rejects a date that is not YYYY-MM-DD", () => {
    expect(() => importReadme("1. What?\n", { date: "2024-13-01" })).toThrow(/ISO date/);
    expect(() => importReadme("1. What?\n", { date: "01/02/2024" })).toThrow(/ISO date/);
  });

  it("writes a LICENSE notice crediting the source and author", () => {
    const r = importReadme("1. What is WSGI?\n", { date: "2024-01-02", source: "someone/list", credit: "Jane Doe" });
    const notice = r.files.find((f) => f.path === "LICENSE")?.content ?? "";
    expect(notice).toContain("someone/list");
    expect(notice).toContain("Jane Doe");
    expect(notice).toMatch(/must be added/);
  });
});
