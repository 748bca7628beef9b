import { walk } from "../markdown";
import { pythonSyntaxError } from "../python";
import { markdownEntries, type Hit, type Rule } from "./rule";

/** Info-string languages checked as Python 3 source. */
export const PYTHON_LANGUAGES = new Set(["python", "py", "python3", "py3"]);
/** The info-string word that marks a deliberately partial snippet (```python partial). */
export const PARTIAL_MARK = "partial";

/**
 * Python code blocks must parse. Form field: the body (question text or
 * answer text). Reported at the offending line inside the block.
 */
export const pythonSyntax: Rule = {
  id: "python-syntax",
  severity: "error",
  summary: "A ```python code block must parse as Python 3 (mark a deliberately partial snippet ```python partial).",
  check(ctx) {
    const hits: Hit[] = [];
    for (const entry of markdownEntries(ctx)) {
      const tree = entry.markdown();
      if (!tree || entry.body === null) continue;
      const lines = entry.body.split("\n");
      walk(tree, (node) => {
        if (node.type !== "code" || !node.position) return;
        const lang = (node.lang ?? "").toLowerCase();
        if (!PYTHON_LANGUAGES.has(lang)) return;
        const meta = (node as { meta?: string | null }).meta ?? "";
        if (meta.split(/\s+/).includes(PARTIAL_MARK)) return;
        const error = pythonSyntaxError(node.value ?? "");
        if (!error) return;
        // Fenced code starts on the line after the fence; each code line is one source line.
        const bodyIndex = node.position.start.line + error.line - 1; // 0-based index into `lines`
        const source = lines[bodyIndex] ?? "";
        const codeLine = (node.value ?? "").split("\n")[error.line - 1] ?? "";
        const prefix = source.endsWith(codeLine) ? source.length - codeLine.length : node.position.start.column - 1;
        hits.push({
          path: entry.path,
          line: bodyIndex + entry.bodyLine,
          column: prefix + error.column,
          message:
            `this ${lang} block does not parse as Python 3: ${error.message} (line ${error.line} of the block); ` +
            `fix it, or if the snippet is deliberately partial, open the block with ${fence(lines[node.position.start.line - 1] ?? "")}${lang} ${PARTIAL_MARK}`,
        });
      });
    }
    return hits;
  },
};

function fence(line: string): string {
  return /(`{3,}|~{3,})/.exec(line)?.[1] ?? "```";
}
