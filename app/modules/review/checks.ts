/**
 * The content check's result as the review queue shows it. Pure.
 *
 * GitHub: the check runs of the pull request's head commit, summarised as
 * success / failure / pending (or none, when CI has not reported anything).
 * Local: the findings of `checkContent` run in-process.
 */
import type { Finding } from "~/modules/validation/types";

export type CheckState = "success" | "failure" | "pending" | "none";

export interface CheckSummary {
  state: CheckState;
  /** One line for people, e.g. "2 of 3 checks passed, 1 failed (content-check)". */
  text: string;
}

export interface CheckRunLike {
  name: string;
  status: string;
  conclusion: string | null;
}

const FAILING = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);

export function summariseCheckRuns(runs: readonly CheckRunLike[]): CheckSummary {
  if (runs.length === 0) return { state: "none", text: "No checks reported yet" };
  const failed = runs.filter((r) => r.status === "completed" && r.conclusion !== null && FAILING.has(r.conclusion));
  const pending = runs.filter((r) => r.status !== "completed");
  const passed = runs.length - failed.length - pending.length;
  const names = (list: readonly CheckRunLike[]) => list.map((r) => r.name).join(", ");
  if (failed.length > 0) {
    return { state: "failure", text: `${failed.length} of ${runs.length} check${runs.length === 1 ? "" : "s"} failed (${names(failed)})` };
  }
  if (pending.length > 0) {
    return { state: "pending", text: `${pending.length} of ${runs.length} check${runs.length === 1 ? "" : "s"} still running (${names(pending)})` };
  }
  return { state: "success", text: passed === 1 ? `Check passed (${names(runs)})` : `All ${passed} checks passed` };
}

export function summariseFindings(findings: readonly Finding[]): CheckSummary {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (errors > 0) return { state: "failure", text: `${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}` };
  if (warnings > 0) return { state: "success", text: `Passed with ${plural(warnings, "warning")}` };
  return { state: "success", text: "Passed" };
}
