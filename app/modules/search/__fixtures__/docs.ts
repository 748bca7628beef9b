import type { SearchDocument } from "../types";

/**
 * Eighteen realistic question documents, shaped like the content module builds
 * them (plain text already extracted from Markdown). Questions follow the real
 * content of the site; the answers are short community-style answers.
 */
export const fixtureDocs: SearchDocument[] = [
  {
    slug: "how-django-migrations-work",
    number: 43,
    title: "How Django migrations work",
    tags: ["migrations", "database"],
    tagLabels: ["Migrations", "Databases & Transactions"],
    body:
      "In summary, how does Django migrations work? Why do we need migrations? Do you know what happens in the background? " +
      "What does Django migrations entail in the actual database?",
    answers:
      "makemigrations compares the current models with the state reconstructed from the existing migration files and writes " +
      "new Python files with operations such as AddField or AlterField. migrate applies unapplied migrations in dependency " +
      "order and records each one in the django_migrations table, so it knows what already ran. Each operation is turned " +
      "into SQL by the schema editor of the database backend.",
  },
  {
    slug: "conflicting-migrations-after-clean-rebase",
    number: 2,
    title: "Conflicting migrations after a clean rebase",
    tags: ["migrations"],
    tagLabels: ["Migrations"],
    body:
      "You rebased your feature branch on main without any Git conflict, yet Django refuses to migrate and reports " +
      "conflicting leaf nodes in the migration graph. Why does this happen and how do you fix it?",
    answers:
      "Two branches each added a 0012 file that depends on 0011, so the graph has two leaves. Run makemigrations --merge " +
      "to create a merge file, or renumber your own file so that it depends on the other one and regenerate it.",
  },
  {
    slug: "add-unique-field-backwards-compatibly",
    number: 3,
    title: "Adding a unique UUID field in a backwards compatible way",
    tags: ["migrations", "models", "database"],
    tagLabels: ["Migrations", "Models & Fields", "Databases & Transactions"],
    body:
      "How would you add a unique field (say UUID) to a model, in a backwards compatible manner?",
    answers:
      "Do it in three steps: add the field as nullable without unique, backfill values for existing rows in a data " +
      "migration (in batches for large tables), then alter the field to unique and not null. A callable default like " +
      "uuid.uuid4 would otherwise be evaluated once and give every row the same value.",
  },
  {
    slug: "csrf-and-djangos-protection",
    number: 37,
    title: "CSRF and Django's protection against it",
    tags: ["security", "http"],
    tagLabels: ["Security", "Views, Middleware & HTTP"],
    body:
      "Explain Cross-site request forgery (CSRF) vulnerability and Django's secure implementation against it.",
    answers:
      "A malicious site makes the victim's browser send a state-changing request with their cookies. CsrfViewMiddleware " +
      "requires a secret token in POST forms (the {% csrf_token %} tag) that must match the csrftoken cookie; the token is " +
      "masked on every response to defend against BREACH. For AJAX requests, send the X-CSRFToken header.",
  },
  {
    slug: "breach-attack-mitigation",
    number: 38,
    title: "The BREACH attack and its mitigation in Django",
    tags: ["security", "http"],
    tagLabels: ["Security", "Views, Middleware & HTTP"],
    body:
      "Explain BREACH attack. Does Django have any mitigation against it? How would such mitigation work?",
    answers:
      "BREACH recovers secrets from HTTPS responses compressed with gzip by watching how the compressed length changes. " +
      "Django masks the CSRF token with a random salt on every request, so the secret never repeats byte for byte; " +
      "GZipMiddleware also adds random bytes to the response.",
  },
  {
    slug: "wsgi-and-asgi",
    number: 45,
    title: "WSGI and ASGI",
    tags: ["deployment", "http"],
    tagLabels: ["Deployment & Operations", "Views, Middleware & HTTP"],
    body: "What is WSGI; how about ASGI?",
    answers:
      "WSGI is the synchronous Python standard between web servers and applications; gunicorn and uWSGI are WSGI servers " +
      "that call Django's application object for each request. ASGI is its asynchronous successor that also supports " +
      "websockets and long-lived connections, served by uvicorn or daphne.",
  },
  {
    slug: "what-is-gunicorn",
    number: 9,
    title: "What is gunicorn?",
    tags: ["deployment"],
    tagLabels: ["Deployment & Operations"],
    body:
      "What is gunicorn and why do we put it in front of a Django project in production instead of runserver?",
    answers:
      "Gunicorn is a pre-fork WSGI HTTP server: a master process manages several worker processes that each run your " +
      "application. It is robust and configurable (workers, timeouts, graceful reloads), unlike the development server. " +
      "A common starting point is 2 x CPU cores + 1 workers.",
  },
  {
    slug: "querysets-are-lazy",
    number: 30,
    title: 'What "QuerySets are lazy" means',
    tags: ["orm", "performance"],
    tagLabels: ["ORM & QuerySets", "Performance & Scaling"],
    body:
      "What does it mean that QuerySets are lazy? When is a QuerySet actually evaluated and the database hit?",
    answers:
      "Building a QuerySet with filter() or exclude() runs no SQL. The query runs when you iterate, slice with a step, " +
      "call len(), list() or bool(), or print it. The results are then cached on the QuerySet, which matters for " +
      "performance: evaluate once and reuse.",
  },
  {
    slug: "one-filter-vs-chained-filters",
    number: 29,
    title: "One filter with many arguments vs chained filters",
    tags: ["orm"],
    tagLabels: ["ORM & QuerySets"],
    body:
      "Is there a difference between Blog.objects.filter(entry__headline__contains='Lennon', entry__pub_date__year=2008) " +
      "and Blog.objects.filter(entry__headline__contains='Lennon').filter(entry__pub_date__year=2008)?",
    answers:
      "For multi-valued relations, yes. A single filter() call requires one related entry to satisfy both conditions; " +
      "chained filter() calls may match different entries, and may add extra JOINs.",
  },
  {
    slug: "slow-django-admin",
    number: 24,
    title: "Speeding up a slow Django admin site",
    tags: ["performance", "orm"],
    tagLabels: ["Performance & Scaling", "ORM & QuerySets"],
    body:
      "The Django admin changelist of a large table takes many seconds to load. What would you look at to speed it up?",
    answers:
      "Use list_select_related or override get_queryset with select_related to avoid N+1 queries, use raw_id_fields or " +
      "autocomplete_fields for foreign keys, set show_full_result_count = False, and add database indexes for ordering " +
      "and list_filter fields.",
  },
  {
    slug: "post-save-signal-vs-overriding-save",
    number: 26,
    title: "post_save signal vs overriding save()",
    tags: ["signals", "models"],
    tagLabels: ["Signals", "Models & Fields"],
    body:
      "When would you use a post_save signal receiver and when would you override the model's save() method instead?",
    answers:
      "Override save() for logic that belongs to the model itself, next to __str__ and clean(). Signals suit decoupled " +
      "apps reacting to models they do not own. Remember that bulk_create and queryset.update() fire neither.",
  },
  {
    slug: "multiple-celery-workers",
    number: 61,
    title: "Why run multiple Celery workers",
    tags: ["tasks", "deployment"],
    tagLabels: ["Celery & Background Tasks", "Deployment & Operations"],
    body:
      "Why would you run several Celery workers, maybe on separate queues, instead of a single worker with high concurrency?",
    answers:
      "Separate queues keep slow tasks like report generation from blocking urgent ones like password reset emails. " +
      "Workers can be scaled and restarted independently, much like gunicorn workers for the web process.",
  },
  {
    slug: "serving-static-files-with-django",
    number: 67,
    title: "Why not serve static files with Django",
    tags: ["files", "deployment", "performance"],
    tagLabels: ["Files & Static Assets", "Deployment & Operations", "Performance & Scaling"],
    body:
      "Why is it a bad idea to serve static files with Django in production, and what would you use instead?",
    answers:
      "Every CSS or image request would tie up a Python worker. Run collectstatic and let nginx, a CDN or WhiteNoise with " +
      "far-future cache headers serve the files.",
  },
  {
    slug: "jwt-and-stateless-authentication",
    number: 55,
    title: "JWT tokens and stateless authentication",
    tags: ["auth", "security"],
    tagLabels: ["Authentication & Sessions", "Security"],
    body:
      "What is a JSON Web Token and what does stateless authentication mean? What are the drawbacks compared to sessions?",
    answers:
      "A JWT is a signed token carrying claims, so the server can authenticate a request without a session lookup. The " +
      "catch: tokens cannot be revoked before they expire without keeping state again.",
  },
  {
    slug: "testcase-vs-transactiontestcase",
    number: 14,
    title: "TestCase vs TransactionTestCase",
    tags: ["testing", "database"],
    tagLabels: ["Testing", "Databases & Transactions"],
    body:
      "What is the difference between TestCase and TransactionTestCase, and when do you need the slower one?",
    answers:
      "TestCase wraps each test in a transaction and rolls it back, which is fast. TransactionTestCase truncates tables " +
      "instead; you need it to test on_commit callbacks, select_for_update or behaviour across several connections.",
  },
  {
    slug: "what-is-middleware",
    number: 23,
    title: "Middleware: what it is and when you need it",
    tags: ["http", "architecture"],
    tagLabels: ["Views, Middleware & HTTP", "Architecture & Design"],
    body:
      "What is a middleware in Django? Give examples of when you would write your own middleware.",
    answers:
      "Middleware wraps the view: each one gets the request on the way in and the response on the way out. Examples: " +
      "SecurityMiddleware, SessionMiddleware, CsrfViewMiddleware (the CSRF protection), or a custom one that adds a " +
      "request id header for logging.",
  },
  {
    slug: "built-in-security-measures",
    number: 16,
    title: "Built-in security measures and what Django leaves to you",
    tags: ["security"],
    tagLabels: ["Security"],
    body:
      "Could you tell of some built-in security measures taken by Django? Do you know of a common security " +
      "consideration, in the context of the web, that Django does not provide?",
    answers:
      "Templates auto-escape variables, so a comment containing <script>alert('xss')</script> is shown as text " +
      "instead of running; the ORM parameterises SQL; clickjacking and CSRF protection come as middleware. Rate " +
      "limiting login attempts and a Content-Security-Policy header are left to you.",
  },
  {
    slug: "multi-language-django-project",
    number: 15,
    title: "Handling a multi-language Django project",
    tags: ["ecosystem", "architecture"],
    tagLabels: ["Ecosystem & Releases", "Architecture & Design"],
    body:
      "How would you handle a project that must be available in several languages, say English, Français and " +
      "日本語, including translated content stored in the database?",
    answers:
      "Mark strings with gettext, run makemessages and compilemessages, and enable LocaleMiddleware. Translated " +
      "model content (a menu entry like \"Crème brûlée au café\" 🍮) needs a package such as django-modeltranslation " +
      "or a separate translation table. Unicode is fine everywhere as long as the database uses UTF-8.",
  },
];

/** Looks a fixture document up by slug (throws in tests when a slug is mistyped). */
export function fixtureDoc(slug: string): SearchDocument {
  const doc = fixtureDocs.find((d) => d.slug === slug);
  if (!doc) throw new Error(`No fixture document ${slug}`);
  return doc;
}
