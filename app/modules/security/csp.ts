/**
 * Pages are rendered with this placeholder as the CSP nonce; the production
 * server swaps in a fresh random nonce on every response (also for pages
 * served from its cache) and sends the matching Content-Security-Policy.
 */
export const CSP_NONCE_PLACEHOLDER = "__CSP_NONCE_7f3a9c__";

const CSP_BEFORE = "default-src 'self'; script-src 'self' 'nonce-";
const CSP_AFTER = [
  "'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function contentSecurityPolicy(nonce: string): string {
  return CSP_BEFORE + nonce + CSP_AFTER;
}
