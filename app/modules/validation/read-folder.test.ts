// Tests of the file-system adapter app/modules/content/read-folder.server.ts (owned by the content check).
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readContentFiles, readContentFolder } from "~/modules/content/read-folder.server";

let dir: string;
const dec = new TextDecoder();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "content-read-"));
  const put = async (rel: string, data: string | Uint8Array) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), data);
  };
  await put("tags.yml", "- id: orm\n");
  await put("questions/b/question.md", "B");
  await put("questions/a/question.md", "A");
  await put("questions/a/answers/x.md", "X");
  await put(".DS_Store", new Uint8Array([0, 1, 2]));
  await put(".git/HEAD", "ref: refs/heads/main\n");
  await put("questions/a/answers/.gitkeep", "");
  await symlink(path.join(dir, "questions"), path.join(dir, "questions/a/loop"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readContentFolder", () => {
  it("lists every file with sorted forward-slash paths, dot-files included, .git skipped, symlink loops ignored", async () => {
    const files = await readContentFolder(dir);
    expect(files.map((f) => f.path)).toEqual([
      ".DS_Store",
      "questions/a/answers/.gitkeep",
      "questions/a/answers/x.md",
      "questions/a/question.md",
      "questions/b/question.md",
      "tags.yml",
    ]);
    expect([...files[0]!.bytes]).toEqual([0, 1, 2]);
    expect(dec.decode(files.find((f) => f.path === "questions/a/question.md")!.bytes)).toBe("A");
  });

  it("rejects a path that is not a folder", async () => {
    await expect(readContentFolder(path.join(dir, "tags.yml"))).rejects.toThrow(/not a directory/);
    await expect(readContentFolder(path.join(dir, "missing"))).rejects.toThrow();
  });
});

describe("readContentFiles", () => {
  it("re-reads only the given files and leaves out deleted ones", async () => {
    const files = await readContentFiles(dir, ["questions/b/question.md", "./tags.yml", "questions/gone/question.md", "questions/b/question.md"]);
    expect(files.map((f) => [f.path, dec.decode(f.bytes)])).toEqual([
      ["questions/b/question.md", "B"],
      ["tags.yml", "- id: orm\n"],
    ]);
  });

  it("refuses paths outside the folder", async () => {
    await expect(readContentFiles(dir, ["../etc/passwd"])).rejects.toThrow(/outside the content folder/);
  });
});
