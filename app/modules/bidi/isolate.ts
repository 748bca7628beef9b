/**
 * Bidirectional isolation for plain text that mixes the site's words with a
 * contributor's (a title in "Question: …", a name in "Proposed by …"). An
 * Arabic or Hebrew title, or one that ends in a neutral character, would
 * otherwise reorder the text around it; U+2068 FIRST STRONG ISOLATE …
 * U+2069 POP DIRECTIONAL ISOLATE make it a unit with its own direction, like
 * `<bdi>` does in HTML (used in pages). For `<title>`, feeds, commit messages
 * and pull-request text. Pure.
 */
export const FSI = "\u2068";
export const PDI = "\u2069";

/** Embedding, override and isolate controls: stray ones could end the isolation early. */
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function isolate(text: string): string {
  const clean = text.replace(CONTROLS, "");
  return clean ? FSI + clean + PDI : clean;
}
