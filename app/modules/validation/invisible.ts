/**
 * Invisible and bidirectional control characters in names and titles. Such a
 * character shows nothing, or reorders the text around it (U+202E turns
 * "evil.exe‮txt.doc" into something that reads otherwise), so a name or
 * title that contains one can say something other than what the reader sees.
 * Refused by the content check (`invisible-characters`) for titles, credits
 * and authors, and by the proposal form for every one-line field. Pure.
 */
const NAMES: Readonly<Record<number, string>> = {
  0x061c: "ARABIC LETTER MARK",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
};

const PATTERN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

export interface InvisibleCharacter {
  /** "U+202E" */
  code: string;
  /** Its Unicode name, "RIGHT-TO-LEFT OVERRIDE". */
  name: string;
  /** 1-based position in the text, in characters (code points). */
  position: number;
}

/** The first invisible or bidirectional control character of `text`, if any. */
export function findInvisibleCharacter(text: string): InvisibleCharacter | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const cp = match[0].codePointAt(0)!;
  return {
    code: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`,
    name: NAMES[cp] ?? "INVISIBLE CHARACTER",
    position: [...text.slice(0, match.index)].length + 1,
  };
}

/** "contains U+202E RIGHT-TO-LEFT OVERRIDE (character 5), …" — the sentence both the check and the form use. */
export function invisibleCharacterMessage(field: string, found: InvisibleCharacter): string {
  return (
    `${field} contains ${found.code} ${found.name} (character ${found.position}), an invisible character that can make ` +
    "the text read differently from what it is; remove it (retype the text if you cannot see it)"
  );
}
