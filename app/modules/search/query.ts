/**
 * The search syntax readers may type (documented on the search page and in
 * README.md): `+word` required, `-word` excluded, `field:word` (title, body,
 * answers, tags), `word*` word starts, `word~1` similar spellings, `word^2`
 * weight. Parsed here into clauses, which search.ts turns into a MiniSearch
 * query. The syntax is the one lunr had, so readers' habits and links keep
 * working; errors say what could not be read.
 */
import { trimTerm } from "./text";
import type { SearchField } from "./types";

export const SEARCH_FIELDS: readonly SearchField[] = ["title", "body", "answers", "tags"];

export interface Clause {
  /** Lower-cased and trimmed, not stemmed. */
  term: string;
  field?: SearchField;
  presence: "must" | "not" | "should";
  /** `word*`: matches words starting with `term` (not stemmed). */
  prefix: boolean;
  /** Maximum edit distance (0: exact). */
  editDistance: number;
  boost: number;
}

export class QuerySyntaxError extends Error {
  override name = "QuerySyntaxError";
}

function parseToken(token: string): Clause | null {
  const presenceRun = /^[+-]*/.exec(token)![0];
  let rest = token.slice(presenceRun.length);
  const presence: Clause["presence"] =
    presenceRun === "" ? "should" : /^\++$/.test(presenceRun) ? "must" : /^-+$/.test(presenceRun) ? "not" : "should";

  let field: SearchField | undefined;
  const colon = rest.indexOf(":");
  if (colon !== -1) {
    const name = rest.slice(0, colon);
    if (name === "") throw new QuerySyntaxError(`expecting a field name before ':' in '${token}'`);
    if (!(SEARCH_FIELDS as readonly string[]).includes(name)) {
      throw new QuerySyntaxError(`unrecognised field '${name}', possible fields: ${SEARCH_FIELDS.map((f) => `'${f}'`).join(", ")}`);
    }
    field = name as SearchField;
    rest = rest.slice(colon + 1);
    if (rest.includes(":")) throw new QuerySyntaxError(`unexpected ':' in '${token}'`);
  }

  const modifiersAt = rest.search(/[~^]/);
  const rawTerm = (modifiersAt === -1 ? rest : rest.slice(0, modifiersAt)).replace(/\\(.)/g, "$1").replace(/\\$/, "");
  let editDistance = 0;
  let boost = 1;
  let modifiers = modifiersAt === -1 ? "" : rest.slice(modifiersAt);
  while (modifiers !== "") {
    const m = /^([~^])(\d*)/.exec(modifiers)!;
    if (m[2] === "") throw new QuerySyntaxError(m[1] === "^" ? "boost must be numeric" : "edit distance must be numeric");
    if (m[1] === "~") editDistance = Number(m[2]);
    else boost = Number(m[2]);
    modifiers = modifiers.slice(m[0].length);
    if (modifiers !== "" && !/^[~^]/.test(modifiers)) {
      throw new QuerySyntaxError(m[1] === "^" ? "boost must be numeric" : "edit distance must be numeric");
    }
  }
  if (rawTerm === "") throw new QuerySyntaxError(`expecting a term in '${token}'`);
  const prefix = rawTerm.endsWith("*");
  const term = trimTerm(rawTerm.replace(/\*/g, "").toLowerCase());
  if (term === "") return null; // a single letter or punctuation only: nothing to look for
  return { term, ...(field ? { field } : {}), presence, prefix, editDistance, boost };
}

/**
 * Clauses of a query written in the syntax above (already made safe by the
 * caller: field aliases canonical, bare wildcards dropped, edit distances
 * capped). Throws {@link QuerySyntaxError} with a reader-facing reason.
 */
export function parseQuery(query: string): Clause[] {
  const clauses: Clause[] = [];
  for (const token of query.split(/\s+/)) {
    if (token === "") continue;
    const clause = parseToken(token);
    if (clause) clauses.push(clause);
  }
  return clauses;
}
