/**
 * Maintainer sessions (`maintainer_sessions`, owned by this module), on the
 * data layer: SQLite by default, PostgreSQL with DATABASE_URL — where every
 * instance reads the same rows, so a cookie made on one instance works on
 * all and a sign-out on one ends the session everywhere. The cookie carries a
 * random session id; the row is keyed by its SHA-256 and holds who signed in
 * and, for GitHub sign-in, the maintainer's OAuth token — encrypted with
 * AES-256-GCM under a key derived (HKDF) from SESSION_SECRET, bound to the row
 * by the associated data. Cookie sessions are signed, not encrypted, so the
 * token never goes into the cookie. A token session also holds the keyed
 * fingerprint of the credential it was made with (token.server.ts).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { DataLayer } from "~/modules/db/data.server";
import { randomToken, sha256 } from "./csrf.server";

export type SessionKind = "token" | "github";

export interface MaintainerSession {
  kind: SessionKind;
  /** GitHub login, or `maintainer` for token sign-in. */
  login: string;
  name: string | null;
  /** The maintainer's GitHub OAuth token (decrypted), for GitHub sign-in. */
  githubToken?: string;
  /** Token sign-in: the fingerprint of the credential the session was made with. */
  credential?: string;
  createdAt: number;
  expiresAt: number;
}

export function tokenKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "django-questions", "maintainer github token v1", 32));
}

function idHash(id: string): string {
  return sha256(id).toString("hex");
}

export function encryptToken(key: Buffer, token: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url");
}

export function decryptToken(key: Buffer, sealed: string, aad: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

export interface SessionStoreOptions {
  data: Pick<DataLayer, "db">;
  secret: string;
  ttlMs: number;
  now?: () => number;
}

export function createSessionStore(options: SessionStoreOptions) {
  const { db } = options.data;
  const { ttlMs } = options;
  const now = options.now ?? Date.now;
  const key = tokenKey(options.secret);
  let lastPrune = 0;

  async function prune(t: number) {
    if (t - lastPrune < 60_000) return;
    lastPrune = t;
    await db.deleteFrom("maintainer_sessions").where("expires_at", "<=", t).execute();
  }

  return {
    /** Creates a session; returns the id to put in the cookie. */
    async create(input: { kind: SessionKind; login: string; name?: string | null; githubToken?: string; credential?: string }): Promise<string> {
      const id = randomToken(32);
      const hash = idHash(id);
      const t = now();
      await prune(t);
      await db
        .insertInto("maintainer_sessions")
        .values({
          id_hash: hash,
          kind: input.kind,
          login: input.login,
          name: input.name ?? null,
          github_token: input.githubToken ? encryptToken(key, input.githubToken, hash) : null,
          credential: input.credential ?? null,
          created_at: t,
          expires_at: t + ttlMs,
        })
        .execute();
      return id;
    },

    async get(id: string | undefined): Promise<MaintainerSession | undefined> {
      if (!id || id.length > 200) return undefined;
      const hash = idHash(id);
      const row = await db.selectFrom("maintainer_sessions").selectAll().where("id_hash", "=", hash).executeTakeFirst();
      if (!row) return undefined;
      if (row.expires_at <= now()) {
        await db.deleteFrom("maintainer_sessions").where("id_hash", "=", hash).execute();
        return undefined;
      }
      let githubToken: string | undefined;
      if (row.github_token) {
        githubToken = decryptToken(key, row.github_token, hash);
        // Encrypted under another SESSION_SECRET: the session is worthless.
        if (githubToken === undefined) return undefined;
      }
      return {
        kind: row.kind,
        login: row.login,
        name: row.name,
        ...(githubToken ? { githubToken } : {}),
        ...(row.credential ? { credential: row.credential } : {}),
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },

    async delete(id: string | undefined): Promise<void> {
      if (!id) return;
      await db.deleteFrom("maintainer_sessions").where("id_hash", "=", idHash(id)).execute();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
