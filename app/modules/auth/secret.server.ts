/**
 * The secret that signs the session cookie (and, derived from it, the key
 * that encrypts maintainers' GitHub tokens at rest).
 *
 *   SESSION_SECRET set           → used (at least 32 characters in production, else the start is refused)
 *   unset, development / test    → a fixed development secret, with a warning
 *   unset, production            → DATA_DIR/session-secret: generated once (random, mode 0600) on the
 *                                   first start, reused afterwards, with a note on the console. A file
 *                                   that is empty, too short or unreadable refuses the start.
 *
 * So `npm start` on a fresh clone works, production never runs on a known
 * secret, and sessions survive restarts. See docs/decisions/010-maintainer-review.md.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const SESSION_SECRET_FILE = "session-secret";
export const MIN_SECRET_LENGTH = 32;
export const DEVELOPMENT_SECRET = "django-questions-development-session-secret-not-for-production";

export class SessionSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionSecretError";
  }
}

export interface SecretOptions {
  secret?: string;
  production: boolean;
  dataDir: string;
  log?: { info(message: string): void; warn(message: string): void };
}

export interface ResolvedSecret {
  secret: string;
  source: "env" | "file" | "generated" | "development";
}

const consoleLog = { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) };

export function resolveSessionSecret(options: SecretOptions): ResolvedSecret {
  const log = options.log ?? consoleLog;
  if (options.secret !== undefined) {
    if (options.production && options.secret.length < MIN_SECRET_LENGTH) {
      throw new SessionSecretError(
        `SESSION_SECRET is too short (${options.secret.length} characters): use at least ${MIN_SECRET_LENGTH} random characters, e.g. the output of \`openssl rand -base64 48\`.`,
      );
    }
    return { secret: options.secret, source: "env" };
  }
  if (!options.production) {
    log.warn("SESSION_SECRET is not set: using the development default. Set SESSION_SECRET in production.");
    return { secret: DEVELOPMENT_SECRET, source: "development" };
  }
  const file = path.resolve(options.dataDir, SESSION_SECRET_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return { secret: existing, source: "file" };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const theirs = readSecretFile(file);
      if (theirs !== undefined) return { secret: theirs, source: "file" };
    }
    throw new SessionSecretError(`SESSION_SECRET is not set and ${file} could not be written (${(error as Error).message}). Set SESSION_SECRET.`);
  }
  log.info(`SESSION_SECRET is not set: generated a session secret into ${file} (mode 0600); it is reused on every start.`);
  return { secret, source: "generated" };
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SessionSecretError(`${file} could not be read (${(error as Error).message}): fix its permissions, or set SESSION_SECRET.`);
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new SessionSecretError(
      `${file} holds no usable session secret (at least ${MIN_SECRET_LENGTH} characters): delete it to have a new one generated, or set SESSION_SECRET.`,
    );
  }
  return secret;
}
