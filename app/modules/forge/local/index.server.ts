/**
 * The embedded default forge: no GitHub. Delivering a proposal puts it in
 * the local review queue (delivery.server.ts); maintainers review it on the
 * site, and a merge writes (and commits) the files in the content folder
 * (review.server.ts).
 */
import type { Forge, ForgeTexts } from "../types";
import { createLocalDelivery } from "./delivery.server";
import { createLocalReview, type LocalReviewDeps } from "./review.server";

export { contentTarget, type LocalReviewDeps } from "./review.server";
export { reviewPath } from "./delivery.server";

export const LOCAL_TEXTS: ForgeTexts = {
  name: "the local review queue",
  change: "proposal",
  changeLabel: "Review",
  queue: "Proposals in the local review queue.",
  renumbering: "",
  mergeHint: () => "Writes the files into the content folder (and commits them when it is a git checkout).",
  destination: "the local review queue",
};

export function createLocalForge(deps: LocalReviewDeps): Forge {
  const delivery = createLocalDelivery(deps);
  return {
    name: "local",
    texts: LOCAL_TEXTS,
    remote: false,
    deliver: delivery.deliver,
    getState: delivery.getState,
    // The queue entry reads the stored proposal: a revision is in it as soon as it is stored.
    revise: async () => ({}),
    review: createLocalReview(deps),
  };
}

export { createLocalDelivery, createLocalReview };
