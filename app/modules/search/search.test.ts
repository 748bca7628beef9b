import { describe, expect, it } from "vitest";
import { fixtureDoc, fixtureDocs } from "./__fixtures__/docs";
import { buildSearchIndex, searchIndexIsDirty, searchQuestions, updateSearchIndex, type SearchDocument, type SearchResponse } from "./index";

const index = buildSearchIndex(fixtureDocs);
const slugs = (r: SearchResponse) => r.results.map((x) => x.slug);
const numbers = (r: SearchResponse) => r.results.map((x) => x.number);

/** Every `*Html` output must be escaped text plus `<mark>` tags only. */
function expectSafeHtml(r: SearchResponse) {
  for (const result of r.results) {
    for (const html of [result.titleHtml, result.snippetHtml]) {
      expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
      expect(html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    }
  }
}

describe("buildSearchIndex", () => {
  it("indexes every document once and keeps the original documents", () => {
    const dup = { ...fixtureDoc("what-is-gunicorn"), title: "Duplicate slug" };
    const idx = buildSearchIndex([...fixtureDocs, dup]);
    expect(idx.size).toBe(fixtureDocs.length);
    expect(idx.docs.get("what-is-gunicorn")?.title).toBe("What is gunicorn?");
    expect(idx.byNumber.get(43)?.slug).toBe("how-django-migrations-work");
  });

  it("builds an index of ~100 questions quickly", () => {
    const many: SearchDocument[] = Array.from({ length: 100 }, (_, i) => {
      const d = fixtureDocs[i % fixtureDocs.length]!;
      return { ...d, slug: `${d.slug}-${i}`, number: i + 1 };
    });
    buildSearchIndex(many); // warm-up (JIT)
    const start = performance.now();
    const idx = buildSearchIndex(many);
    const ms = performance.now() - start;
    expect(idx.size).toBe(100);
    // Tens of ms on an idle machine; generous bound for loaded CI runners.
    expect(ms).toBeLessThan(1000);
  });

  it("works on an empty content folder", () => {
    const r = searchQuestions(buildSearchIndex([]), "migrations");
    expect(r.results).toEqual([]);
    expect(r.message).toMatch(/No questions match "migrations"/);
  });
});

describe("ranking", () => {
  it("puts a title match before questions that only mention the word in their body or answers", () => {
    const r = searchQuestions(index, "gunicorn");
    expect(r.results[0]?.slug).toBe("what-is-gunicorn");
    expect(r.results[0]?.matchedIn).toContain("title");
    // The WSGI question and the Celery workers question only mention gunicorn in answers.
    expect(slugs(r)).toEqual(
      expect.arrayContaining(["wsgi-and-asgi", "multiple-celery-workers"]),
    );
    for (const other of r.results.slice(1)) expect(other.matchedIn).not.toContain("title");
    expect(r.total).toBe(3);
    expect(r.message).toBeUndefined();
  });

  it("puts a title match first even when a body-only match has a higher score", () => {
    const doc = (slug: string, number: number, title: string, body: string, answers = ""): SearchDocument => ({
      slug, number, title, body, answers, tags: ["architecture"], tagLabels: ["Architecture & Design"],
    });
    const idx = buildSearchIndex([
      doc("purpose-of-celery-beat", 62, "The purpose of Celery beat", "What does the beat process do and how is it deployed?"),
      doc(
        "choosing-a-pool",
        70,
        "Choosing a pool implementation",
        "Should workers use prefork or gevent? Celery workers with prefork run tasks in child processes; workers with gevent share one.",
        "Celery workers: prefork for CPU-bound work, gevent for IO-bound workers.",
      ),
      doc("what-is-wsgi", 45, "WSGI and ASGI", "What is WSGI; how about ASGI?"),
    ]);
    const r = searchQuestions(idx, "celery workers");
    expect(slugs(r)).toEqual(["purpose-of-celery-beat", "choosing-a-pool"]);
    expect(r.results[1]!.score).toBeGreaterThan(r.results[0]!.score);
    expect(r.results[0]!.titleHtml).toBe("The purpose of <mark>Celery</mark> beat");
  });

  it("ranks questions matching more query words in their title first", () => {
    const r = searchQuestions(index, "django migrations");
    expect(r.results[0]?.slug).toBe("how-django-migrations-work");
    expect(r.results[0]?.titleHtml).toBe("How <mark>Django</mark> <mark>migrations</mark> work");
  });

  it("marks matched title words and shows a snippet of the body around the match", () => {
    const r = searchQuestions(index, "breach");
    const top = r.results[0]!;
    expect(top.slug).toBe("breach-attack-mitigation");
    expect(top.titleHtml).toBe("The <mark>BREACH</mark> attack and its mitigation in Django");
    expect(top.snippetHtml).toBe(
      "Explain <mark>BREACH</mark> attack. Does Django have any mitigation against it? How would such mitigation work?",
    );
    expect(top.matchedIn).toEqual(["title", "body", "answers"]);
  });

  it("falls back to an answers snippet when the body does not match", () => {
    const r = searchQuestions(index, "uvicorn");
    expect(slugs(r)).toEqual(["wsgi-and-asgi"]);
    expect(r.results[0]!.matchedIn).toEqual(["answers"]);
    expect(r.results[0]!.snippetHtml).toContain("<mark>uvicorn</mark>");
    expect(r.results[0]!.snippetHtml.startsWith("… ")).toBe(true);
  });

  it("respects limit but reports the total", () => {
    const r = searchQuestions(index, "django", { limit: 2 });
    expect(r.results).toHaveLength(2);
    expect(r.total).toBeGreaterThan(2);
  });
});

describe("stemming and as-you-type", () => {
  it("finds 'migration' questions for 'migrations' and the other way round", () => {
    const plural = searchQuestions(index, "migrations");
    const singular = searchQuestions(index, "migration");
    expect(numbers(plural).slice(0, 2).sort()).toEqual([2, 43]);
    expect(numbers(singular).slice(0, 2).sort()).toEqual([2, 43]);
    // The body of #2 says "migrate" and "migration": both are highlighted.
    const conflicting = plural.results.find((x) => x.number === 2)!;
    expect(conflicting.snippetHtml).toContain("<mark>migrate</mark>");
    expect(conflicting.snippetHtml).toContain("<mark>migration</mark> graph");
  });

  it("completes the last word being typed", () => {
    expect(searchQuestions(index, "gunic").results[0]?.slug).toBe("what-is-gunicorn");
    expect(searchQuestions(index, "csrf tok").results[0]?.slug).toBe("csrf-and-djangos-protection");
  });

  it("does not complete a word followed by a space (the reader finished typing it)", () => {
    const r = searchQuestions(index, "gunic ");
    expect(r.results).toEqual([]);
    expect(r.message).toBe('No questions match "gunic".');
  });

  it("tolerates a typo when nothing matches exactly, and says so", () => {
    const r = searchQuestions(index, "midleware");
    expect(r.results[0]?.slug).toBe("what-is-middleware");
    expect(r.message).toMatch(/similar spellings/);
  });

  it("splits dotted names and strips punctuation like the indexed text", () => {
    const r = searchQuestions(index, "Blog.objects.filter()");
    expect(r.results[0]?.slug).toBe("one-filter-vs-chained-filters");
  });

  it("keeps identifiers with underscores searchable as a whole", () => {
    const r = searchQuestions(index, "select_related");
    expect(slugs(r)).toEqual(["slow-django-admin"]);
    expect(r.results[0]!.snippetHtml).toContain("<mark>select_related</mark>");
  });
});

describe("tag filter", () => {
  it("only returns questions carrying the tag", () => {
    const all = searchQuestions(index, "middleware");
    const security = searchQuestions(index, "middleware", { tag: "security" });
    expect(all.results.some((r) => !r.tags.includes("security"))).toBe(true);
    expect(security.results.length).toBeGreaterThan(0);
    for (const r of security.results) expect(r.tags).toContain("security");
    expect(slugs(security)).not.toContain("what-is-middleware");
  });

  it("explains when the tag filter removed every match", () => {
    const r = searchQuestions(index, "gunicorn", { tag: "testing" });
    expect(r.results).toEqual([]);
    expect(r.message).toBe('No questions tagged "testing" match "gunicorn".');
  });
});

describe("lunr query syntax", () => {
  it("title:wsgi only looks at titles", () => {
    const r = searchQuestions(index, "title:wsgi");
    expect(slugs(r)).toEqual(["wsgi-and-asgi"]);
    expect(r.results[0]!.matchedIn).toEqual(["title"]);
    expect(r.message).toBeUndefined();
  });

  it("orm* matches the ORM tag", () => {
    const r = searchQuestions(index, "orm*");
    expect(r.total).toBe(4); // the three "orm" tagged questions and "ORM parameterises" in #16's answers
    expect(numbers(r).slice(0, 3).sort()).toEqual([24, 29, 30]);
  });

  it("+csrf -breach requires csrf and excludes breach", () => {
    const r = searchQuestions(index, "+csrf -breach");
    expect(r.results.length).toBeGreaterThan(0);
    // #37 mentions BREACH in its answers, #38 is about BREACH: both are excluded.
    expect(slugs(r)).not.toContain("breach-attack-mitigation");
    expect(slugs(r)).not.toContain("csrf-and-djangos-protection");
    expect(slugs(r).sort()).toEqual(["built-in-security-measures", "what-is-middleware"]);
  });

  it("migrat~1 is a fuzzy match", () => {
    const r = searchQuestions(index, "migrat~1");
    expect(numbers(r).slice(0, 2).sort()).toEqual([2, 43]);
  });

  it("tags:security finds the security questions, also as Tag:security", () => {
    const expected = ["breach-attack-mitigation", "built-in-security-measures", "csrf-and-djangos-protection", "jwt-and-stateless-authentication"];
    expect(slugs(searchQuestions(index, "tags:security")).sort()).toEqual(expected);
    expect(slugs(searchQuestions(index, "Tag:security")).sort()).toEqual(expected);
  });

  it("trims query terms like indexed words: +__str__ finds __str__", () => {
    const r = searchQuestions(index, "+__str__");
    expect(slugs(r)).toEqual(["post-save-signal-vs-overriding-save"]);
    expect(r.results[0]!.snippetHtml).toContain("<mark>__str__</mark>");
  });

  it("caps huge edit distances instead of exhausting memory", () => {
    const r = searchQuestions(index, "csrf~99");
    expect(r.results[0]?.slug).toBe("csrf-and-djangos-protection");
  });

  it.each(["title:", "*", "+", "~", ":", "^", "-", "title:*", "a:b:c", "\\"])(
    "%j does not throw and explains that nothing matched",
    (q) => {
      const r = searchQuestions(index, q);
      expect(r.results).toEqual([]);
      expect(r.total).toBe(0);
      expect(r.message).toMatch(/No questions match/);
    },
  );

  it("a bare wildcard gets a hint", () => {
    expect(searchQuestions(index, "*").message).toMatch(/wildcard needs a few letters/);
  });

  it("an unknown field falls back to the words and says why", () => {
    const r = searchQuestions(index, "foo:gunicorn");
    expect(r.results[0]?.slug).toBe("what-is-gunicorn");
    expect(r.message).toMatch(/syntax could not be read \(unrecognised field 'foo'/);
    expect(searchQuestions(index, "foo:bar").message).toBe('No questions match "foo:bar".');
  });

  it("a broken boost falls back to the words", () => {
    const r = searchQuestions(index, "gunicorn^");
    expect(r.results[0]?.slug).toBe("what-is-gunicorn");
    expect(r.message).toMatch(/boost must be numeric/);
  });

  it.each(["csrf^x", "title:csrf:", "body:csrf^"])("%j cannot be parsed but still finds csrf", (q) => {
    const r = searchQuestions(index, q);
    expect(r.results[0]?.slug).toBe("csrf-and-djangos-protection");
    expect(r.message).toMatch(/syntax could not be read/);
  });

  it.each(["csrf~", "+-csrf", "-+csrf", "csrf~0"])("%j is read leniently and finds csrf", (q) => {
    const r = searchQuestions(index, q);
    expect(r.results[0]?.slug).toBe("csrf-and-djangos-protection");
  });
});

describe("robustness", () => {
  it.each(["", "   ", "\n\t"])("asks for input on an empty query %j", (q) => {
    const r = searchQuestions(index, q);
    expect(r).toEqual({ query: "", results: [], total: 0, message: "Type something to search the questions." });
  });

  it.each(["the", "what is", "What is the"])("explains that %j only contains common words", (q) => {
    const r = searchQuestions(index, q);
    expect(r.results).toEqual([]);
    expect(r.message).toMatch(/only contains very common words/);
  });

  it("caps a 5 KB query to its first words and says so", () => {
    const q = `migrations ${"lorem ipsum dolor sit amet ".repeat(200)}`;
    expect(q.length).toBeGreaterThan(5000);
    const start = performance.now();
    const r = searchQuestions(index, q);
    expect(performance.now() - start).toBeLessThan(500);
    expect(r.query.length).toBeLessThanOrEqual(256);
    expect(r.query.split(" ").length).toBeLessThanOrEqual(32);
    expect(r.query.startsWith("migrations lorem")).toBe(true);
    expect(r.results[0]?.number).toBe(43);
    expect(r.message).toMatch(/too long, so only its first 32 words were used/);
  });

  it("caps a 10 KB single-word query and many short words", () => {
    const long = searchQuestions(index, "x".repeat(10_000));
    expect(long.query).toHaveLength(256);
    expect(long.message).toMatch(/too long.*No questions match/);

    const words = searchQuestions(index, Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "));
    expect(words.query.split(" ")).toHaveLength(32);
    expect(words.message).toMatch(/first 32 words/);
  });

  it("escapes a <script> query's matches in the HTML output", () => {
    const r = searchQuestions(index, "<script>alert('xss')</script>");
    expect(r.results[0]?.slug).toBe("built-in-security-measures");
    expect(r.results[0]!.snippetHtml).toContain(
      "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&#39;<mark>xss</mark>&#39;)&lt;/<mark>script</mark>&gt;",
    );
    expectSafeHtml(r);
  });

  it("finds accented and non-Latin words", () => {
    expect(slugs(searchQuestions(index, "café"))).toEqual(["multi-language-django-project"]);
    expect(slugs(searchQuestions(index, "Français"))).toEqual(["multi-language-django-project"]);
    const jp = searchQuestions(index, "日本語");
    expect(slugs(jp)).toEqual(["multi-language-django-project"]);
    expect(jp.results[0]!.snippetHtml).toContain("<mark>日本語</mark>");
    const creme = searchQuestions(index, "crème brûlée");
    expect(creme.results[0]!.snippetHtml).toContain("&quot;<mark>Crème</mark> <mark>brûlée</mark> au café&quot;");
  });

  it("answers emoji, quotes and control characters with a message, not an exception", () => {
    for (const q of ["🍮", '"""', "'", "\u0000\u0007", "<>", "&amp;", "%%", "${x}", "\\u0000"]) {
      const r = searchQuestions(index, q);
      expect(r.results).toEqual([]);
      expect(r.message).toBeTruthy();
    }
  });

  it("only ever outputs escaped text plus <mark> for a batch of hostile queries", () => {
    const queries = [
      "<img src=x onerror=alert(1)>",
      '"><script>alert(1)</script>',
      "csrf & breach",
      "QuerySets' \"lazy\"",
      "django",
      "title:csrf^10 +django",
      "*e* *a*",
    ];
    for (const q of queries) {
      const r = searchQuestions(index, q);
      expectSafeHtml(r);
    }
    // A title with quotes and an apostrophe survives escaping intact.
    const lazy = searchQuestions(index, "lazy");
    expect(lazy.results[0]!.titleHtml).toBe("What &quot;QuerySets are <mark>lazy</mark>&quot; means");
  });
});

describe("question numbers", () => {
  it.each(["43", "#43", "q43", "Q43"])("%j puts question 43 first", (q) => {
    const r = searchQuestions(index, q);
    expect(r.results[0]?.number).toBe(43);
    expect(r.results[0]?.title).toBe("How Django migrations work");
    expect(r.message).toBeUndefined();
  });

  it("keeps text matches for the number after the numbered question", () => {
    // Question #2 has no "2" in its text; the gunicorn answer recommends "2 x CPU cores + 1 workers".
    const r = searchQuestions(index, "2");
    expect(slugs(r)).toEqual(["conflicting-migrations-after-clean-rebase", "what-is-gunicorn"]);
    expect(r.results[0]?.matchedIn).toEqual([]);
    expect(r.results[0]?.titleHtml).toBe("Conflicting migrations after a clean rebase");
    expect(r.results[1]?.snippetHtml).toContain("<mark>2</mark> x CPU cores");
  });

  it("says when a question number does not exist", () => {
    const r = searchQuestions(index, "#999");
    expect(r.results).toEqual([]);
    expect(r.message).toBe("There is no question #999.");
  });

  it("still shows text matches for a number that is not a question", () => {
    const r = searchQuestions(index, "2008");
    expect(slugs(r)).toEqual(["one-filter-vs-chained-filters"]);
    expect(r.message).toBe("There is no question #2008.");
  });
});

describe("updates in place", () => {
  it("answers like a fresh index after documents are changed, added and removed", () => {
    const live = buildSearchIndex(fixtureDocs);
    const changed = { ...fixtureDoc("what-is-gunicorn"), title: "What is uvicorn?", body: "An ASGI server named uvicorn." };
    const added: SearchDocument = { ...fixtureDoc("wsgi-and-asgi"), slug: "brand-new", number: 999, title: "Hypercorn and friends" };
    updateSearchIndex(live, { upsert: [changed, added], remove: ["breach-attack-mitigation"] });
    const fresh = buildSearchIndex([
      ...fixtureDocs.filter((d) => d.slug !== "what-is-gunicorn" && d.slug !== "breach-attack-mitigation"),
      changed,
      added,
    ]);
    expect(live.size).toBe(fresh.size);
    for (const q of ["gunicorn", "uvicorn", "breach", "hypercorn", "999", "title:asgi", "+csrf -breach", "migrat~1", "orm*"]) {
      const a = searchQuestions(live, q);
      const b = searchQuestions(fresh, q);
      expect(slugs(a).sort(), q).toEqual(slugs(b).sort());
      expect(a.total, q).toBe(b.total);
    }
    expect(live.byNumber.get(999)?.slug).toBe("brand-new");
    expect(slugs(searchQuestions(live, "title:gunicorn"))).toEqual([]);
    expect(slugs(searchQuestions(live, "title:uvicorn"))).toEqual(["what-is-gunicorn"]);
  });

  it("survives many edits with pauses between them (no vacuum walks the index meanwhile) and says when it is worth rebuilding", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const live = buildSearchIndex(fixtureDocs);
      expect(searchIndexIsDirty(live)).toBe(false);
      // Edits arriving one by one, each a new title (new terms split the index's tree) — as a wiki's edits do.
      for (let i = 0; i < 60; i++) {
        const doc = fixtureDocs[i % fixtureDocs.length]!;
        updateSearchIndex(live, { upsert: [{ ...doc, title: `${doc.title} zebra${i}x` }] });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      expect(searchIndexIsDirty(live)).toBe(true);
      const last = fixtureDocs[59 % fixtureDocs.length]!;
      expect(slugs(searchQuestions(live, "zebra59x"))).toEqual([last.slug]);
      expect(searchIndexIsDirty(buildSearchIndex([...live.docs.values()]))).toBe(false);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});
