/** A posted form as a plain object: repeated names (the tag checkboxes) are arrays. Pure. */
export type FormValues = Record<string, string | string[]>;

/** The single value of a field ("" when absent). */
export function one(values: FormValues, key: string): string {
  const v = values[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** All values of a repeated field. */
export function many(values: FormValues, key: string): string[] {
  const v = values[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
