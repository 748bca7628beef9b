import { truncate } from "../fields";
import { walkBodies, type Hit, type Rule } from "./rule";

export const rawHtml: Rule = {
  id: "raw-html",
  severity: "error",
  summary: "No raw HTML tags or comments in question and answer text (HTML inside code spans and code blocks is fine).",
  field: { question: "body", answer: "body" },
  check(ctx) {
    const hits: Hit[] = [];
    walkBodies(ctx, (entry, node, parent) => {
      if (node.type !== "html" || !node.position) return;
      const value = (node.value ?? "").trim();
      // A closing tag right after its reported opening tag in the same paragraph adds nothing.
      const closing = /^<\/([a-zA-Z][\w-]*)\s*>$/.exec(value);
      if (closing && parent?.type !== "root") {
        const name = closing[1]!.toLowerCase();
        const opened = (parent?.children ?? []).some(
          (s) => s !== node && s.type === "html" && new RegExp(`^<${name}[\\s/>]`, "i").test(s.value ?? ""),
        );
        if (opened) return;
      }
      const shown = truncate(value.split("\n")[0] ?? value, 40);
      const message = value.startsWith("<!--")
        ? `HTML comment \`${shown}\` is not allowed; remove it (notes for reviewers belong in the pull request)`
        : `raw HTML \`${shown}\` is not allowed; use Markdown instead — if it is code, put it in backticks or a fenced code block`;
      hits.push({
        path: entry.path,
        line: node.position.start.line + entry.bodyLine - 1,
        column: node.position.start.column,
        message,
      });
    });
    return hits;
  },
};
