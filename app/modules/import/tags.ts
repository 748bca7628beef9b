/**
 * The importer's built-in tag vocabulary and the keyword guess that assigns
 * tags to a question from its plain text. Pure (no node:fs, no Remix).
 */
import type { Tag } from "~/modules/content/types";

export const FALLBACK_TAG = "general";
export const MAX_TAGS = 5;

export interface TagRule extends Tag {
  /**
   * Keywords, matched on whole lowercase words of the plain text. A keyword
   * may span several words ("static files"); a word ending in `*` matches
   * any word starting with it ("optimi*"); other words also match their
   * plural ("model" matches "models").
   */
  keywords: string[];
}

/** In order of precedence when more than MAX_TAGS tags match equally. */
export const TAG_RULES: TagRule[] = [
  {
    id: "orm",
    label: "ORM & QuerySets",
    description: "Querying with the Django ORM: QuerySets, lookups, expressions, annotations and loading related objects.",
    keywords: [
      "orm",
      "queryset*",
      "annotate",
      "annotation*",
      "aggregate",
      "aggregation*",
      "select_related",
      "prefetch_related",
      "objects",
      "filter",
      "lookup*",
      "f object",
      "q object",
      "get_or_create",
      "update_or_create",
      "bulk_create",
      "bulk_update",
      "values_list",
    ],
  },
  {
    id: "models",
    label: "Models & fields",
    description: "Defining models: fields, relations, managers, validation and model methods.",
    keywords: [
      "model",
      "field",
      "foreignkey",
      "onetoonefield",
      "manytomanyfield",
      "charfield",
      "imagefield",
      "filefield",
      "fieldfile",
      "many to many",
      "one to one",
      "related_name",
      "manager",
      "generic relation*",
      "validator*",
      "auto_now",
      "auto_now_add",
      "swappable",
    ],
  },
  {
    id: "migrations",
    label: "Migrations",
    description: "Schema and data migrations: how they are made, applied, merged and kept backwards compatible.",
    keywords: ["migration*", "migrate*", "makemigrations", "squashmigrations", "backwards compatible"],
  },
  {
    id: "database",
    label: "Databases",
    description: "Database engines, connections, transactions, locking, backups and upgrades.",
    keywords: [
      "database*",
      "postgres*",
      "mysql",
      "sqlite*",
      "psycopg*",
      "backup*",
      "transaction*",
      "sql",
      "dumpdata",
      "loaddata",
      "conn_max_age",
      "atomic_requests",
      "lock a row",
      "select_for_update",
      "index",
      "indexes",
    ],
  },
  {
    id: "security",
    label: "Security",
    description: "Protecting a Django site: CSRF, XSS, secrets, signing and other attacks and mitigations.",
    keywords: [
      "csrf",
      "xss",
      "secret*",
      "security",
      "secure",
      "breach",
      "vulnerab*",
      "sql injection",
      "clickjacking",
      "debug mode",
      "authenticity",
      "untrusted",
      "signing",
    ],
  },
  {
    id: "auth",
    label: "Authentication",
    description: "Users, sessions, permissions and authentication mechanisms.",
    keywords: ["authenticat*", "jwt", "session*", "login", "logout", "permission*", "password*", "user model"],
  },
  {
    id: "signals",
    label: "Signals",
    description: "Django's signal dispatcher: built-in signals, receivers and their pitfalls.",
    keywords: ["signal*", "post_save", "pre_save", "post_delete", "pre_delete", "m2m_changed", "receiver*"],
  },
  {
    id: "testing",
    label: "Testing",
    description: "Testing Django code: test cases, the test client, fixtures and mocking.",
    keywords: ["test", "testing", "testcase", "transactiontestcase", "pytest", "unittest", "mock*"],
  },
  {
    id: "deployment",
    label: "Deployment & scaling",
    description: "Running Django in production: WSGI/ASGI servers, containers, static files and scaling.",
    keywords: [
      "deploy*",
      "gunicorn",
      "uwsgi",
      "uvicorn",
      "wsgi",
      "asgi",
      "scale",
      "scaling",
      "docker*",
      "production",
      "nginx",
      "static file*",
      "worker*",
    ],
  },
  {
    id: "middleware",
    label: "Middleware",
    description: "The request/response middleware chain and writing your own middleware.",
    keywords: ["middleware*"],
  },
  {
    id: "settings",
    label: "Settings",
    description: "Configuring Django: the settings module and individual settings.",
    keywords: [
      "setting",
      "settings module",
      "django_settings_module",
      "allowed_hosts",
      "installed_apps",
      "secret_key",
      "debug",
    ],
  },
  {
    id: "admin",
    label: "Admin",
    description: "The Django admin site: customising it and keeping it fast.",
    keywords: ["admin"],
  },
  {
    id: "i18n",
    label: "Internationalisation",
    description: "Translations, languages, locales and time zones.",
    keywords: ["translation*", "translate*", "i18n", "l10n", "language*", "locale*", "gettext", "multilingual"],
  },
  {
    id: "performance",
    label: "Performance",
    description: "Finding bottlenecks and making Django applications faster.",
    keywords: [
      "performance",
      "slow*",
      "optimi*",
      "bottleneck*",
      "cache",
      "caching",
      "efficient*",
      "efficiency",
      "response time*",
      "profil*",
    ],
  },
  {
    id: "tasks",
    label: "Background tasks",
    description: "Celery, workers, scheduled jobs and queues for work done outside the request.",
    keywords: ["celery", "background task*", "redis", "rabbitmq", "message broker*", "cron*", "queue*"],
  },
  {
    id: "views",
    label: "Views & APIs",
    description: "Function- and class-based views, requests, responses, templates and APIs.",
    keywords: [
      "view",
      "class based",
      "function based",
      "endpoint*",
      "api",
      "json",
      "csv",
      "httpresponse",
      "streaminghttpresponse",
      "template*",
      "url*",
      "rest framework",
      "serializer*",
    ],
  },
  {
    id: FALLBACK_TAG,
    label: "General",
    description: "Questions about Django and its ecosystem as a whole.",
    keywords: [],
  },
];

const RULES_BY_ID = new Map(TAG_RULES.map((rule) => [rule.id, rule]));

/** The tag (id, label, description) of a rule id, or undefined. */
export function tagById(id: string): Tag | undefined {
  const rule = RULES_BY_ID.get(id);
  return rule ? { id: rule.id, label: rule.label, description: rule.description } : undefined;
}

/** Lowercase words of `text`: letters, digits and underscores; `manage.py` stays one word. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:\.py\b)?/gu) ?? [];
}

function wordMatches(word: string, pattern: string): boolean {
  if (pattern.endsWith("*")) return word.startsWith(pattern.slice(0, -1));
  return word === pattern || word === `${pattern}s` || word === `${pattern}es`;
}

function countKeyword(tokens: string[], keyword: string): number {
  const parts = keyword
    .toLowerCase()
    .split(/[\s-]+/)
    .filter(Boolean);
  if (parts.length === 0) return 0;
  let count = 0;
  for (let i = 0; i + parts.length <= tokens.length; i++) {
    let all = true;
    for (let j = 0; j < parts.length; j++) {
      if (!wordMatches(tokens[i + j] ?? "", parts[j] ?? "")) {
        all = false;
        break;
      }
    }
    if (all) count += 1;
  }
  return count;
}

/**
 * Guesses 1–MAX_TAGS tag ids for a question from its plain text: each rule
 * scores the number of keyword occurrences; the best-scoring rules win (ties
 * in TAG_RULES order). With a `vocabulary`, only its ids are candidates.
 * Falls back to FALLBACK_TAG when nothing matches.
 */
export function guessTags(plainText: string, vocabulary?: ReadonlySet<string>): string[] {
  const tokens = words(plainText);
  const scored: { id: string; score: number; order: number }[] = [];
  TAG_RULES.forEach((rule, order) => {
    if (vocabulary && !vocabulary.has(rule.id)) return;
    const score = rule.keywords.reduce((sum, kw) => sum + countKeyword(tokens, kw), 0);
    if (score > 0) scored.push({ id: rule.id, score, order });
  });
  if (scored.length === 0) return [FALLBACK_TAG];
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const chosen = scored.slice(0, MAX_TAGS);
  // Present the chosen tags in vocabulary order, which reads more naturally.
  return chosen.sort((a, b) => a.order - b.order).map((s) => s.id);
}
