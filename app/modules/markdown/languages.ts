/**
 * Languages highlight.js may use on the server (via lowlight).
 *
 * lowlight's `common` set (python, bash, shell, sql, json, yaml, ini, diff,
 * xml/html, css, javascript, typescript, markdown, …) plus what Django
 * answers need on top: Django templates, HTTP, nginx and Dockerfiles.
 */
import { common } from "lowlight";
import type { LanguageFn } from "highlight.js";
import django from "highlight.js/lib/languages/django";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import http from "highlight.js/lib/languages/http";
import nginx from "highlight.js/lib/languages/nginx";
import pgsql from "highlight.js/lib/languages/pgsql";

export const languages: Record<string, LanguageFn> = {
  ...common,
  django,
  dockerfile,
  http,
  nginx,
  pgsql,
};

/** Extra names people write after the fence, mapped to the grammar to use. */
export const languageAliases: Record<string, string[]> = {
  django: ["htmldjango", "html+django", "django-html", "djangotemplate", "jinja2"],
  bash: ["sh", "zsh", "shell-script"],
  shell: ["console", "shellsession", "terminal"],
  python: ["py3", "python3"],
  "python-repl": ["pycon", "pyrepl"],
  ini: ["toml", "cfg", "conf", "env", "dotenv"],
  json: ["json5", "jsonc"],
  yaml: ["yml"],
  xml: ["html", "svg"],
  sql: ["sqlite", "mysql"],
  pgsql: ["postgres", "postgresql"],
  diff: ["patch"],
  plaintext: ["text", "txt", "plain"],
};
