/** A posted form as a plain object: repeated names (the tag checkboxes) are arrays. Pure. */
export type FormValues = Record<string, string | string[]>;

/** The single value of a field: the first of a repeated one, "" when absent (also for stored fields, which may hold anything). */
export function one(values: FormValues | Readonly<Record<string, unknown>>, key: string): string {
  const v = values[key];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
}

/** All values of a repeated field. */
export function many(values: FormValues, key: string): string[] {
  const v = values[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
