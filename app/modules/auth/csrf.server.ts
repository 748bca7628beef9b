/**
 * Secrets compared in constant time: CSRF tokens, the maintainer token,
 * OAuth state. Both sides are hashed first, so `timingSafeEqual` always gets
 * equal lengths and the comparison time says nothing about the secret.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Constant-time equality of two secrets (false when either is missing or empty). */
export function secretsMatch(expected: string | undefined | null, given: string | undefined | null): boolean {
  if (!expected || !given) return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

/** Constant-time comparison of a candidate with a stored SHA-256 digest. */
export function matchesHash(hash: Buffer | undefined, candidate: string | undefined | null): boolean {
  if (!hash || !candidate) return false;
  return timingSafeEqual(hash, sha256(candidate));
}

/** The field name of the CSRF token in every maintainer form. */
export const CSRF_FIELD = "csrf";

/** Checks the CSRF token posted with a form against the one in the session. */
export function csrfValid(sessionToken: string | undefined, posted: FormDataEntryValue | null | undefined): boolean {
  return typeof posted === "string" && secretsMatch(sessionToken, posted);
}
