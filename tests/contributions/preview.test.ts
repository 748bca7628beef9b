/**
 * The preview is what the site will show: the proposal's files, once published,
 * render to the same question page the form previewed.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { questionPage } from "~/modules/content/index.server";
import { ContentStore } from "~/modules/content/store.server";
import { isoDate, proposalToFiles } from "~/modules/contributions/files";
import { previewProposal } from "~/modules/contributions/preview.server";
import { parseProposalInput } from "~/modules/contributions/schema";
import { REPO_FILES } from "./fixtures";
import { answerForm, questionForm, tempDir } from "./helpers";

async function contentStore(): Promise<ContentStore> {
  const dir = tempDir();
  for (const [file, text] of Object.entries(REPO_FILES)) {
    if (!file.startsWith("content/")) continue;
    const target = path.join(dir, file.slice("content/".length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  const store = new ContentStore(dir);
  await store.load();
  return store;
}

/** Writes the proposal's files into the content folder, as a merge does, and reloads. */
async function publish(store: ContentStore, form: Record<string, unknown>) {
  const parsed = parseProposalInput(form, store.content.tags.map((t) => t.id));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  const built = proposalToFiles(parsed.input, store.content, { today: isoDate() });
  const rel = built.files.map((f) => f.path.slice("content/".length));
  for (const f of built.files) {
    const target = path.join(store.dir, f.path.slice("content/".length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content);
  }
  await store.reload(rel);
  const q = store.content.bySlug.get(built.slug)!;
  return { built, page: questionPage(store.content, q) };
}

function values(form: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
}

describe("the preview is the published page", () => {
  it("a new question: same slug, number, title, text and 'Asked by' credit", async () => {
    const store = await contentStore();
    const preview = previewProposal(store, values(questionForm))!;
    expect(preview.question.credit).toBe("Ann Example");
    const { page } = await publish(store, questionForm);
    expect(page.question).toEqual(preview.question);
    expect(page.tags).toEqual(preview.tags);
  });

  it("a title too short for a slug: the same fallback slug (question-<number>), where the form once previewed another", async () => {
    // The old preview derived the slug itself and forgot the number: "question" against the published "question-3".
    const store = await contentStore();
    // One letter: too short for a slug of its own.
    const form = { ...questionForm, title: "¿Q? ¡¡¡ !!! ???" };
    const preview = previewProposal(store, values(form))!;
    const { built, page } = await publish(store, form);
    expect(built.slug).toBe(`question-${built.number}`);
    expect(preview.question.slug).toBe(built.slug);
    expect(page.question).toEqual(preview.question);
  });

  it("an edit of an answer: the edited answer as it will read, focused, with its id", async () => {
    const store = await contentStore();
    const q = store.content.questions.find((x) => x.answers.length > 0)!;
    const a = q.answers[0]!;
    const form = { kind: "edit", path: `content/questions/${q.slug}/answers/${a.id}.md`, body: `${a.body.trim()}\n\nAlso: \`select_for_update()\`.`, name: "Eve Editor", licence: "on", website: "" };
    const preview = previewProposal(store, values(form))!;
    expect(preview.focusAnswerId).toBe(a.id);
    const { page } = await publish(store, form);
    expect(preview.answers).toEqual(page.answers);
    expect(preview.answers.find((x) => x.id === a.id)!.html).toContain("<code>select_for_update()</code>");
  });

  it("while typing: the check's errors do not hide the preview (no tag chosen, raw HTML in the text)", async () => {
    const store = await contentStore();
    const preview = previewProposal(store, values({ kind: "question", title: "", body: "Is <b>this</b> safe?", tags: [] }))!;
    expect(preview.question.title).toBe("Untitled question");
    expect(preview.tags).toEqual([]);
    expect(preview.question.html).toContain("Is this safe?");
  });

  it("a new answer: the same answer id (heading anchors) and the same HTML", async () => {
    const store = await contentStore();
    const form = { ...answerForm, body: `${answerForm.body}\n\n## Why it matters\n\nFewer queries.` };
    const preview = previewProposal(store, values(form))!;
    const { built, page } = await publish(store, form);
    expect(preview.focusAnswerId).toBe(built.answerId);
    const published = page.answers.find((a) => a.id === built.answerId)!;
    const previewed = preview.answers.find((a) => a.id === preview.focusAnswerId)!;
    expect(previewed.html).toContain('id="');
    expect(previewed).toEqual(published);
  });
});
