/**
 * The local forge's delivery: a proposal joins the local review queue —
 * status `opened`, a number from the `local-review-number` sequence, the
 * review page `/review/<id>` as its url. A number is never repeated (a crash
 * between taking it and saving it skips one); a second call returns what was
 * saved.
 */
import { branchName } from "../branch";
import type { ChangeRef, ChangeState, DeliverableProposal, DeliveryResult, Forge, ProgressStore, ProposalRecords } from "../types";

export function reviewPath(id: string): string {
  return `/review/${encodeURIComponent(id)}`;
}

/** A stored proposal's status as the state of its change. */
export function changeState(status: string): ChangeState {
  return status === "merged" ? "merged" : status === "closed" ? "closed" : "open";
}

export function createLocalDelivery(deps: { records: ProposalRecords }): Pick<Forge, "deliver" | "getState"> {
  const { records } = deps;
  return {
    async deliver(proposal: DeliverableProposal, progress: ProgressStore): Promise<DeliveryResult> {
      const done = progress.current;
      if (done.prNumber !== undefined && done.prUrl && done.branch) {
        return { number: done.prNumber, url: done.prUrl, branch: done.branch };
      }
      const branch = branchName(proposal);
      const url = reviewPath(proposal.id);
      const number = await records.allocateNumber("local", (n) => progress.save({ prNumber: n, prUrl: url, branch }));
      await progress.note("queued-for-review", `In the local review queue as #${number}.`);
      return { number, url, branch };
    },

    async getState(ref: ChangeRef): Promise<ChangeState> {
      const entry = ref.proposalId ? await records.byId(ref.proposalId) : await records.byNumber("local", ref.number);
      if (!entry) throw new Error(`No local proposal #${ref.number}`);
      return changeState(entry.status);
    },
  };
}
