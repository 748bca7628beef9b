/** What a proposal form shows after a POST: shared by the proposal forms and the revise form. */
import type { Finding } from "~/modules/validation/types";
import type { FormValues, ProposalPreview } from "./preview.server";
import type { FieldErrors } from "./schema";

export interface FormState {
  values: FormValues;
  fieldErrors: FieldErrors;
  warnings: FieldErrors;
  findings: Finding[];
  preview?: ProposalPreview;
  /** True when this state answers the Preview button. */
  previewOnly: boolean;
  /** Set when the preview was refused by the rate limit: seconds to wait. */
  retryAfterSeconds?: number;
}
