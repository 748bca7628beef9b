const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "4 December 2026, 07:24 UTC": the same text on the server and in every browser (no locale, no time zone guess). */
export function readableTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A date people read, with its machine value. */
export function When({ at }: { at: string }) {
  return <time dateTime={at}>{readableTime(at)}</time>;
}
