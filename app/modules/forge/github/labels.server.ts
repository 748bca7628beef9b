/**
 * The labels of a proposal's pull request: `contribution`, what it is about
 * (`question` / `answer`), and `edit` for edits — created once per process
 * with colour and description, added after the pull request is opened.
 */
import { proposalArea } from "../branch";
import type { ForgeError } from "../errors";
import type { DeliverableProposal, ProgressStore } from "../types";
import { is422 } from "./client.server";
import type { DeliveryContext } from "./context.server";

export const LABELS: Record<string, { color: string; description: string }> = {
  contribution: { color: "0e8a16", description: "Proposed on the Django Questions site" },
  question: { color: "1d76db", description: "A question: a new one, or an edit of one" },
  answer: { color: "5319e7", description: "An answer: a new one, or an edit of one" },
  edit: { color: "fbca04", description: "Changes an existing question or answer" },
};

/** The labels of a proposal's pull request: `contribution`, what it is about, and `edit` for edits. */
export function proposalLabels(p: Pick<DeliverableProposal, "kind" | "files">): string[] {
  const area = proposalArea(p);
  return p.kind === "edit" ? ["contribution", area, "edit"] : ["contribution", area];
}

export function createLabeller(ctx: DeliveryContext): (p: DeliverableProposal, number: number, progress: ProgressStore) => Promise<void> {
  const { app, upstream, log, toForgeError } = ctx;

  /** Labels known to exist (created, or GitHub said they already exist): checked once per process. */
  const labelsReady = new Map<string, Promise<void>>();
  function ensureLabel(name: string): Promise<void> {
    let ready = labelsReady.get(name);
    if (!ready) {
      const spec = LABELS[name] ?? { color: "ededed", description: "" };
      ready = app.rest.issues.createLabel({ ...upstream, name, color: spec.color, description: spec.description }).then(
        () => undefined,
        (error: unknown) => {
          if (!is422(error, /already_exists|already exists/i)) throw error;
        },
      );
      labelsReady.set(name, ready);
      ready.catch(() => labelsReady.delete(name));
    }
    return ready;
  }

  /**
   * Labels help the maintainers but never hold a proposal back for good:
   * transient errors are retried (the pull request is already saved, so the
   * next attempt only labels it); other errors are noted and skipped.
   */
  async function addLabels(p: DeliverableProposal, number: number, progress: ProgressStore): Promise<void> {
    const names = proposalLabels(p);
    const retryable = (e: ForgeError) => e.kind === "transient" || e.kind === "rate-limited";
    try {
      for (const name of names) {
        try {
          await ensureLabel(name);
        } catch (error) {
          const e = toForgeError(error, `creating the label "${name}"`, "app");
          if (retryable(e)) throw e;
          // Adding a missing label creates it, only without colour and description.
          await progress.note("label-not-created", e.message);
        }
      }
      await app.rest.issues.addLabels({ ...upstream, issue_number: number, labels: names });
      await progress.note("labelled", `Labelled ${names.join(", ")}.`);
    } catch (error) {
      const e = toForgeError(error, "labelling the pull request", "app");
      if (retryable(e)) throw e;
      log.warn(`labels not added to #${number}: ${e.message}`);
      await progress.note("labels-skipped", `The labels could not be added: ${e.message}`);
    }
    await progress.save({ labelled: true });
  }

  return addLabels;
}
