import { findInvisibleCharacter, invisibleCharacterMessage } from "../invisible";
import type { Hit, Rule } from "./rule";

/** The names and titles people read next to the site's own text. */
const FIELDS = { question: ["title", "credit"], answer: ["author"] } as const;

export const invisibleCharacters: Rule = {
  id: "invisible-characters",
  severity: "error",
  summary:
    "No invisible or bidirectional control characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+061C, U+2060, U+FEFF) in a title, credit or author.",
  check(ctx) {
    const hits: Hit[] = [];
    for (const entry of [...ctx.questions, ...ctx.answers]) {
      for (const field of FIELDS[entry.kind]) {
        const state = entry.fields.get(field);
        const value = entry.data?.[field];
        if (!state || typeof value !== "string") continue;
        const found = findInvisibleCharacter(value);
        if (found) hits.push({ path: entry.path, ...state.position, message: invisibleCharacterMessage(`"${field}"`, found) });
      }
    }
    return hits;
  },
};
