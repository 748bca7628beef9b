import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRET, resolveSessionSecret, SESSION_SECRET_FILE, SessionSecretError } from "./secret.server";

function quiet() {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => void lines.push(`info ${m}`), warn: (m: string) => void lines.push(`warn ${m}`) } };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "dq-secret-"));

describe("the session secret", () => {
  it("uses SESSION_SECRET when set", () => {
    const secret = "x".repeat(40);
    expect(resolveSessionSecret({ secret, production: true, dataDir: tmp() })).toEqual({ secret, source: "env" });
  });

  it("refuses to start in production with a short SESSION_SECRET", () => {
    expect(() => resolveSessionSecret({ secret: "short", production: true, dataDir: tmp() })).toThrow(SessionSecretError);
  });

  it("uses a development default with a warning outside production", () => {
    const q = quiet();
    const dir = tmp();
    expect(resolveSessionSecret({ production: false, dataDir: dir, log: q.log })).toEqual({ secret: DEVELOPMENT_SECRET, source: "development" });
    expect(q.lines.join("\n")).toMatch(/^warn SESSION_SECRET is not set/);
    expect(fs.existsSync(path.join(dir, SESSION_SECRET_FILE))).toBe(false);
  });

  it("in production without SESSION_SECRET, generates DATA_DIR/session-secret (0600) once and reuses it", () => {
    const dir = path.join(tmp(), "data");
    const q = quiet();
    const first = resolveSessionSecret({ production: true, dataDir: dir, log: q.log });
    expect(first.source).toBe("generated");
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(first.secret).not.toBe(DEVELOPMENT_SECRET);
    const file = path.join(dir, SESSION_SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(q.lines.join("\n")).toContain(file);
    const again = resolveSessionSecret({ production: true, dataDir: dir, log: q.log });
    expect(again).toEqual({ secret: first.secret, source: "file" });
  });

  it("refuses to start on an empty or truncated secret file", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, SESSION_SECRET_FILE), "tooshort\n");
    expect(() => resolveSessionSecret({ production: true, dataDir: dir })).toThrow(/no usable session secret/);
  });
});
