/**
 * Maintainer sign-in with a token (the local review queue, or any setup
 * without GitHub sign-in).
 *
 * - `MAINTAINER_TOKEN` set: that token signs in, as often as needed.
 * - unset: a random token is made at every start and printed once as a
 *   sign-in link on the console. It signs in once, then it is used up (a
 *   restart makes a new one). Only its SHA-256 is kept, in memory.
 *
 * Candidates are compared with `crypto.timingSafeEqual` (over SHA-256 digests).
 *
 * A session made with a token is bound to the credential it was made with
 * (`credential`, stored as a keyed fingerprint, see `credentialFingerprint`):
 * when MAINTAINER_TOKEN changes, or the process that printed the one-time
 * link ends, the sessions it made are signed out.
 */
import { createHmac } from "node:crypto";
import { matchesHash, randomToken, sha256 } from "./csrf.server";

export type TokenCheck = "ok" | "wrong" | "used";

export interface TokenSignIn {
  /** Whether token sign-in is on at all. */
  readonly enabled: boolean;
  /** `configured`: MAINTAINER_TOKEN; `one-time`: the generated link. */
  readonly mode: "configured" | "one-time" | "off";
  check(candidate: string | null | undefined): TokenCheck;
  /**
   * What a session made with this sign-in is bound to: the SHA-256 of MAINTAINER_TOKEN, or a random
   * id of this process's one-time link (so its sessions end with the process). Undefined when off.
   * Not a secret by itself, but only ever stored keyed (`credentialFingerprint`).
   */
  readonly credential?: string;
}

export interface TokenSignInSetup {
  signIn: TokenSignIn;
  /** The generated one-time token, to print once (never kept in clear by the server). */
  oneTimeToken?: string;
}

export function createTokenSignIn(options: { configured?: string; enabled: boolean }): TokenSignInSetup {
  if (!options.enabled) {
    return { signIn: { enabled: false, mode: "off", check: () => "wrong" } };
  }
  if (options.configured) {
    const hash = sha256(options.configured);
    return {
      signIn: { enabled: true, mode: "configured", credential: `configured:${hash.toString("hex")}`, check: (c) => (matchesHash(hash, c) ? "ok" : "wrong") },
    };
  }
  const token = randomToken(24);
  const hash = sha256(token);
  let used = false;
  return {
    oneTimeToken: token,
    signIn: {
      enabled: true,
      mode: "one-time",
      // Per process, like the link: a restart makes a new one, which signs out the old link's session.
      credential: `one-time:${randomToken(24)}`,
      check(candidate) {
        if (!matchesHash(hash, candidate)) return "wrong";
        if (used) return "used";
        used = true;
        return "ok";
      },
    },
  };
}

/** The keyed fingerprint of a sign-in credential stored with a token session: HMAC-SHA-256 under the session secret. */
export function credentialFingerprint(secret: string, credential: string): string {
  return createHmac("sha256", secret).update(`maintainer token session v1\0${credential}`, "utf8").digest("base64url");
}
