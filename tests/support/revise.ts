/**
 * What `reviseProposal` needs in the contribution tests: the stores over `data`, the forge, and the test
 * content (tests/contributions/fixtures.ts), as the app wires them (revise-web.server.ts).
 */
import { createProposalVersions, type ReviseContext } from "~/modules/contributions/revise.server";
import { revisionStoreFor } from "~/modules/contributions/revise-web.server";
import type { DataLayer } from "~/modules/db/data.server";
import { contentFiles, snapshot, TEMPLATE } from "../contributions/fixtures";

export function reviseContext(data: Pick<DataLayer, "db" | "dialect">, forge: ReviseContext["forge"], extra: Partial<ReviseContext> = {}): ReviseContext {
  return {
    store: revisionStoreFor({ data }),
    versions: createProposalVersions(data),
    forge,
    content: snapshot(),
    contentFiles: contentFiles(),
    template: TEMPLATE,
    ...extra,
  };
}
