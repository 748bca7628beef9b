/** Escape text for XML element content and attribute values. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    // characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

/** An ISO date (`YYYY-MM-DD`) as an RFC 3339 timestamp. */
export function dayToTimestamp(day: string): string {
  return `${day}T00:00:00Z`;
}
