import { describe, expect, it } from "vitest";
import {
  dedentContinuation,
  deriveTitle,
  firstSentence,
  guessCodeLanguage,
  isValidSlug,
  slugify,
  uniqueSlug,
} from "./text";

describe("firstSentence", () => {
  it("stops at the first question mark or full stop before a new sentence", () => {
    expect(firstSentence("What is WSGI? How about ASGI?")).toBe("What is WSGI?");
    expect(firstSentence("Explain BREACH attack. Does Django mitigate it?")).toBe("Explain BREACH attack.");
  });

  it("does not stop inside abbreviations, file names or times", () => {
    expect(firstSentence("Send data via untrusted places (e.g. email) safely. Then what?")).toBe(
      "Send data via untrusted places (e.g. email) safely.",
    );
    expect(firstSentence("How does manage.py find settings? Explain.")).toBe("How does manage.py find settings?");
    expect(firstSentence("It slows down at 3 a.m. every night. Why?")).toBe("It slows down at 3 a.m. every night.");
  });

  it("joins wrapped lines", () => {
    expect(firstSentence("Why adding null=True\nto a CharField is a bad idea?")).toBe(
      "Why adding null=True to a CharField is a bad idea?",
    );
  });
});

describe("deriveTitle", () => {
  it("keeps a short question whole, with its question mark", () => {
    expect(deriveTitle("What is 'gunicorn'?")).toBe("What is 'gunicorn'?");
  });

  it("drops a final full stop or colon", () => {
    expect(deriveTitle("Explain the distinction between FieldFile and FileField.")).toBe(
      "Explain the distinction between FieldFile and FileField",
    );
    expect(deriveTitle("Consider this snippet:")).toBe("Consider this snippet");
  });

  it("shortens a long sentence on a word boundary to at most 100 characters", () => {
    const long =
      "To improve update queries in the application, the project manager creates a task which entails replacing model save() calls with save(update_fields=[...]). After that?";
    const title = deriveTitle(long);
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title.endsWith("…")).toBe(true);
    const head = title.slice(0, -1);
    expect(long.startsWith(head)).toBe(true);
    // cut between words, not inside one
    expect(long.charAt(head.length)).toMatch(/[\s,]/);
  });
});

describe("slugify / uniqueSlug", () => {
  it("makes lowercase kebab-case without accents or punctuation", () => {
    expect(slugify("What is 'gunicorn'?")).toBe("what-is-gunicorn");
    expect(slugify("How does manage.py determine the settings module?")).toBe(
      "how-does-manage-py-determine-the-settings-module",
    );
    expect(slugify("Şuayip's Über-Question")).toBe("suayip-s-uber-question");
  });

  it("cuts long slugs on a hyphen to at most 60 characters", () => {
    const slug = slugify(
      "To improve update queries in the application, the project manager creates a task which entails",
    );
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe("to-improve-update-queries-in-the-application-the-project");
    expect(isValidSlug(slug)).toBe(true);
  });

  it("returns empty when fewer than 3 characters remain", () => {
    expect(slugify("?!")).toBe("");
    expect(slugify("Go")).toBe("");
  });

  it("appends -2, -3 on collisions and stays within 60 characters", () => {
    const taken = new Set<string>();
    expect(uniqueSlug("what-is-wsgi", taken)).toBe("what-is-wsgi");
    expect(uniqueSlug("what-is-wsgi", taken)).toBe("what-is-wsgi-2");
    expect(uniqueSlug("what-is-wsgi", taken)).toBe("what-is-wsgi-3");
    const long = "a".repeat(30) + "-" + "b".repeat(29); // 60 characters
    expect(uniqueSlug(long, taken)).toBe(long);
    const second = uniqueSlug(long, taken);
    expect(second.endsWith("-2")).toBe(true);
    expect(second.length).toBeLessThanOrEqual(60);
    expect(isValidSlug(second)).toBe(true);
  });
});

describe("dedentContinuation", () => {
  it("removes the content indent from continuation lines and keeps deeper indentation", () => {
    const text = "In the code\n   ```python\n   def f():\n       return 1\n   ```";
    expect(dedentContinuation(text, 3)).toBe("In the code\n```python\ndef f():\n    return 1\n```");
  });

  it("leaves lazy (unindented) lines alone", () => {
    expect(dedentContinuation("first line\nlazy line\n  two", 3)).toBe("first line\nlazy line\ntwo");
  });

  it("expands a tab that reaches past the indent", () => {
    expect(dedentContinuation("a\n\tcode", 2)).toBe("a\n  code");
  });
});

describe("guessCodeLanguage", () => {
  it("recognises Python", () => {
    expect(guessCodeLanguage("@transaction.atomic\ndef commit(instance, data):\n    pass")).toBe("python");
    expect(guessCodeLanguage('User.objects.annotate(Count("following"))')).toBe("python");
    expect(guessCodeLanguage("for n in range(3):\n    print(n)")).toBe("python");
  });

  it("labels shell, SQL, markup and prose as text", () => {
    expect(guessCodeLanguage("$ pip install django")).toBe("text");
    expect(guessCodeLanguage("SELECT * FROM auth_user;")).toBe("text");
    expect(guessCodeLanguage("<div>{{ user }}</div>")).toBe("text");
    expect(guessCodeLanguage("just some words")).toBe("text");
  });
});
