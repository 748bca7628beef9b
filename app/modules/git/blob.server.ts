import { createHash } from "node:crypto";

/** The git blob SHA-1 of a file's bytes (what `git hash-object` prints, and what GitHub calls a file's `sha`). */
export function gitBlobHash(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
