import { proseText, walk, type MdNode } from "../markdown";
import type { Hit, Rule } from "./rule";

/** Instructions a question may open with instead of asking with "?". */
export const IMPERATIVE_VERBS = [
  "analyse", "analyze", "build", "calculate", "choose", "clarify", "classify", "compare", "configure", "consider",
  "contrast", "convert", "create", "debug", "decide", "define", "demonstrate", "describe", "design", "detail",
  "differentiate", "discuss", "distinguish", "elaborate", "enumerate", "evaluate", "explain", "extend", "find",
  "fix", "give", "identify", "illustrate", "implement", "imagine", "interpret", "justify", "list", "mention",
  "name", "outline", "pick", "predict", "propose", "provide", "recommend", "refactor", "review", "rewrite",
  "show", "sketch", "state", "suggest", "summarise", "summarize", "suppose", "tell", "trace", "walk", "write",
];

const VERBS = new Set(IMPERATIVE_VERBS);

/** First word of the first prose block (headings, lists and quotes included). */
function firstWord(tree: MdNode): { word: string; line: number; column: number } | null {
  for (const block of tree.children ?? []) {
    if (block.type === "code" || block.type === "html" || block.type === "thematicBreak" || block.type === "definition") continue;
    const text = proseText(block).trim();
    if (text === "") continue;
    const m = /[A-Za-z]+/.exec(text);
    const start = block.position?.start ?? { line: 1, column: 1 };
    return { word: m ? m[0] : "", line: start.line, column: start.column };
  }
  return null;
}

export const questionForm: Rule = {
  id: "question-form",
  severity: "warning",
  summary:
    'A question body should ask something: contain a "?" or open with an instruction such as Explain, Describe, Compare, List.',
  field: { question: "body", answer: "body" },
  check(ctx) {
    const hits: Hit[] = [];
    for (const q of ctx.questions) {
      if (q.body === null || q.body.trim() === "") continue;
      const tree = q.markdown();
      if (!tree) continue;
      let asks = false;
      // Only prose asks: a "?" in code (blocks, inline spans) is part of the code.
      walk(tree, (node) => {
        if (node.type === "text" && node.value?.includes("?")) asks = true;
      });
      if (asks) continue;
      const first = firstWord(tree);
      if (first && VERBS.has(first.word.toLowerCase())) continue;
      hits.push({
        path: q.path,
        line: (first?.line ?? 1) + q.bodyLine - 1,
        column: first?.column ?? 1,
        message:
          'the question neither asks anything (no "?") nor starts with an instruction such as Explain, Describe, Compare or List; ' +
          "phrase it as a question or start with an imperative verb",
      });
    }
    return hits;
  },
};
