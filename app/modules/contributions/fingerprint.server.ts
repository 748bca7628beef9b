import { createHash } from "node:crypto";

/**
 * What makes two proposals the same one (a double submit, a resend): kind, target, files and who sent them.
 * A revision takes its new files' fingerprint (revise.server.ts).
 */
export function proposalFingerprint(
  kind: string,
  target: string,
  files: readonly { path: string; content: string }[],
  contributor: { name: string; github?: string; email?: string },
): string {
  return createHash("sha256")
    .update(JSON.stringify([kind, target, files, contributor.name, contributor.github ?? "", contributor.email ?? ""]))
    .digest("hex");
}
