/**
 * Checks app/styles/highlight.css: both themes define every colour, every
 * token colour passes WCAG AA (4.5:1) on the code background, the theme
 * toggle overrides exist, and the token classes our pipeline emits are styled.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createMarkdownRenderer } from "./render";

const cssPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../styles/highlight.css");
const css = readFileSync(cssPath, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");

/** Custom properties declared in the first rule whose selector matches `selector` (after `from`). */
function block(selector: RegExp): Record<string, string> {
  const match = selector.exec(css);
  if (!match) throw new Error(`no block ${selector}`);
  const body = css.slice(match.index + match[0].length, css.indexOf("}", match.index));
  return Object.fromEntries([...body.matchAll(/(--hl-[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1], m[2]!.trim()]));
}

const themes = {
  light: block(/(?:^|\n):root\s*\{/),
  "media dark": block(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{/),
  "data-theme light": block(/:root\[data-theme="light"\]\s*\{/),
  "data-theme dark": block(/:root\[data-theme="dark"\]\s*\{/),
};

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("contrast()", () => {
  it("matches known WCAG values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});

describe("highlight.css", () => {
  it("uses the agreed code backgrounds", () => {
    expect(themes.light["--hl-bg"]).toBe("#f6f8fa");
    expect(themes["data-theme light"]["--hl-bg"]).toBe("#f6f8fa");
    expect(themes["media dark"]["--hl-bg"]).toBe("#161b22");
    expect(themes["data-theme dark"]["--hl-bg"]).toBe("#161b22");
    expect(css).toMatch(/(?:^|\n)pre\s*\{[^}]*background:\s*var\(--hl-bg\)/);
  });

  it("the toggle overrides repeat the matching theme exactly", () => {
    expect(themes["data-theme light"]).toEqual(themes.light);
    expect(themes["data-theme dark"]).toEqual(themes["media dark"]);
    expect(Object.keys(themes["media dark"]).sort()).toEqual(Object.keys(themes.light).sort());
  });

  it("every variable used is defined", () => {
    const used = new Set([...css.matchAll(/var\((--hl-[\w-]+)\)/g)].map((m) => m[1]!));
    for (const name of used) expect(Object.keys(themes.light)).toContain(name);
  });

  for (const [name, theme] of Object.entries(themes)) {
    it(`${name}: every token colour passes WCAG AA on its background`, () => {
      const bg = theme["--hl-bg"]!;
      const failures: string[] = [];
      for (const [variable, value] of Object.entries(theme)) {
        expect(value).toMatch(/^#[0-9a-f]{6}$/i);
        if (variable === "--hl-bg" || variable === "--hl-border" || variable.endsWith("-bg")) continue;
        const against = variable.endsWith("-fg") ? theme[variable.replace(/-fg$/, "-bg")]! : bg;
        const ratio = contrast(value, against);
        if (ratio < 4.5) failures.push(`${variable} ${value} on ${against}: ${ratio.toFixed(2)}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it("styles every token class the pipeline emits for our languages", () => {
    const renderer = createMarkdownRenderer({ cacheSize: 1 });
    const samples = [
      ["python", 'from x import y\n@decorator\nclass A(B):\n    """Doc."""\n    def f(self, n=1) -> str:\n        return f"{n!r}\\n" + r"\\d+" if True else None  # note'],
      ["htmldjango", '{% extends "base.html" %}{% block content %}<a href="{% url \'x\' %}">{{ q.title|upper }}</a>{# c #}{% endblock %}'],
      ["bash", 'for f in *.py; do echo "$f"; done # loop'],
      ["console", "$ python -m pip install django"],
      ["sql", "SELECT count(*) FROM t WHERE a = 'x' AND b > 2; -- c"],
      ["json", '{"a": [1, true, null, "s"]}'],
      ["yaml", "key: value\nlist:\n  - 1\n# c"],
      ["toml", '[tool]\nname = "x" # c'],
      ["diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new"],
      ["http", "POST /api/ HTTP/1.1\nContent-Type: application/json\n\n{}"],
      ["nginx", "server { listen 80; location / { proxy_pass http://app:8000; } }"],
      ["dockerfile", "FROM python:3.12\nENV A=1\nCMD [\"gunicorn\"]"],
      ["html", '<!DOCTYPE html><div class="x">&amp;</div><!-- c -->'],
      ["css", ".a #b:hover > p::before { color: red !important; }"],
      ["javascript", "const re = /a+/g; class A extends B { m() { return `${this.x}`; } }"],
      ["markdown", "# H\n\n- *em* **strong** `code` [l](u)\n> q"],
    ];
    const classes = new Set<string>();
    for (const [lang, code] of samples) {
      const html = renderer.render(`\`\`\`${lang}\n${code}\n\`\`\``);
      for (const m of html.matchAll(/class="(hljs-[^"]+)"/g)) classes.add(m[1]!.split(" ")[0]!);
    }
    expect(classes.size).toBeGreaterThan(15);
    const unstyled = [...classes].filter((name) => !new RegExp(`\\.${name}(?![\\w-])`).test(css));
    expect(unstyled).toEqual([]);
  });
});
