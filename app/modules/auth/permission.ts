/**
 * Who is a maintainer, from GitHub's answer to
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`. Pure.
 *
 * `role_name` is the user's highest role (`admin`, `maintain`, `write`,
 * `triage`, `read`, or the name of a custom role); `permission` is the legacy
 * base level (`admin`, `write`, `read`, `none`; `maintain` counts as `write`,
 * `triage` as `read`). Maintainers are the users who can merge: admin,
 * maintain and write. A custom role is judged by its base `permission`.
 */

export const MAINTAINER_ROLES = ["admin", "maintain", "write"] as const;
const NON_MAINTAINER_ROLES = new Set(["triage", "read", "none", ""]);

export interface RepositoryPermission {
  role_name?: string | null;
  permission?: string | null;
}

export function isMaintainerPermission(p: RepositoryPermission): boolean {
  const role = (p.role_name ?? "").toLowerCase();
  if ((MAINTAINER_ROLES as readonly string[]).includes(role)) return true;
  if (NON_MAINTAINER_ROLES.has(role) && role !== "") return false;
  const base = (p.permission ?? "").toLowerCase();
  return base === "admin" || base === "write" || base === "maintain";
}

/** The role to show ("write", "read", a custom role's name, ...). */
export function roleLabel(p: RepositoryPermission): string {
  return p.role_name || p.permission || "none";
}

/** A small in-memory cache with a time to live (maintainer permissions, by login). */
export class TtlCache<V> {
  private entries = new Map<string, { value: V; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
