/**
 * The Nu HTML Checker (the W3C's validator, from the `vnu-jar` npm package)
 * run on Java 17+ (`java` on PATH, or JAVA_HOME). Its own postinstall would
 * download a Java runtime from the network; the project does not run it
 * (package.json allowScripts) and uses the machine's Java instead
 * (`apt-get install -y openjdk-17-jre-headless`; .ci/run installs it).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface HtmlMessage {
  document: string;
  type: string;
  subType?: string;
  message: string;
  line?: number;
  column?: number;
  extract?: string;
}

export function javaPath(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** The checker's errors (and warnings with `warnings`) for each named HTML document, in one run. */
export function checkHtml(documents: { name: string; html: string }[], options: { warnings?: boolean } = {}): HtmlMessage[] {
  const jar = String(require("vnu-jar"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dq-vnu-"));
  const byFile = new Map<string, string>();
  documents.forEach((d, i) => {
    const file = path.join(dir, `${i}.html`);
    fs.writeFileSync(file, d.html);
    byFile.set(`file:${file}`, d.name);
  });
  const args = ["-Xss2m", "-jar", jar, "--format", "json", "--exit-zero-always", ...(options.warnings ? [] : ["--errors-only"]), ...byFile.keys()].map((a) =>
    a.startsWith("file:") ? a.slice("file:".length) : a,
  );
  const run = spawnSync(javaPath(), args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (run.error) {
    throw new Error(`The Nu HTML Checker needs Java 17 or newer (${javaPath()}: ${run.error.message}); install it with 'apt-get install -y openjdk-17-jre-headless' or set JAVA_HOME.`);
  }
  let report: { messages: (HtmlMessage & { url: string; lastLine?: number; firstColumn?: number })[] };
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    throw new Error(`The Nu HTML Checker did not answer with JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return report.messages.map((m) => ({
    document: byFile.get(m.url) ?? m.url,
    type: m.type,
    subType: m.subType,
    message: m.message,
    line: m.lastLine,
    column: m.firstColumn,
    extract: m.extract,
  }));
}
