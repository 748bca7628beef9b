/**
 * The plain texts of the questions and answers — what search indexes and
 * quotes in its snippets — kept out of the process's memory (decisions/035).
 * They are read rarely (to index a changed question again, for the few
 * results a search shows), so each is appended to a temporary file and read
 * back with one positioned read when asked for.
 *
 * The file is unlinked as soon as it is open: the system frees it when the
 * process ends, however it ends. Texts are only ever appended, never
 * overwritten, so a reference an older snapshot holds stays valid; a replaced
 * text's bytes stay in the file until the process ends (a few KB an edit).
 * Where no file can be made or written (a read-only or full disk), texts are
 * kept in memory as UTF-8 bytes instead.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where a text is: a range of the file, or its bytes in memory. */
export type TextRef = { readonly at: number; readonly length: number } | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TextStore {
  private end = 0;

  private constructor(private fd: number | undefined) {}

  /** A store in an unlinked file under `dir` (made if missing); in memory when that fails. */
  static open(dir: string = os.tmpdir()): TextStore {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `texts-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.tmp`);
      const fd = fs.openSync(file, "wx+", 0o600);
      fs.unlinkSync(file);
      return new TextStore(fd);
    } catch (error) {
      console.warn(`content: texts kept in memory (no temporary file in ${dir}: ${(error as Error).message})`);
      return TextStore.inMemory();
    }
  }

  /** A store that keeps every text in memory (tests, and the fallback). */
  static inMemory(): TextStore {
    return new TextStore(undefined);
  }

  /** Whether the texts are in a file (false: in memory). */
  get onDisk(): boolean {
    return this.fd !== undefined;
  }

  /** Keeps a text; the reference reads it back. */
  put(text: string): TextRef {
    return this.putBytes(encoder.encode(text));
  }

  /** Keeps a text given as UTF-8 (kept as it is in memory: the caller must not change it). */
  putBytes(bytes: Uint8Array): TextRef {
    if (this.fd === undefined) return bytes;
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.end + written);
    } catch {
      return bytes; // a full disk: this text stays in memory
    }
    const ref = { at: this.end, length: bytes.length };
    this.end += bytes.length;
    return ref;
  }

  /** The text behind a reference ("" once the store is closed). */
  get(ref: TextRef): string {
    if (ref instanceof Uint8Array) return decoder.decode(ref);
    if (this.fd === undefined || ref.length === 0) return "";
    const buffer = Buffer.allocUnsafe(ref.length);
    let read = 0;
    while (read < ref.length) {
      const n = fs.readSync(this.fd, buffer, read, ref.length - read, ref.at + read);
      if (n === 0) break;
      read += n;
    }
    return decoder.decode(buffer.subarray(0, read));
  }

  /** Bytes written to the file so far (replaced texts included). */
  get fileBytes(): number {
    return this.end;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fs.closeSync(fd);
  }
}
