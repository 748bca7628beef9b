/**
 * Vitest global setup: asks PostgreSQL once per run whether it answers, hands
 * the answer to the test files (`inject("postgres")`), says so loudly when it
 * does not, and drops the run's databases at the end (see postgres.ts).
 */
import type { TestProject } from "vitest/node";
import { dropLeftovers, probePostgres, unavailableMessage } from "./postgres";

export default async function setup(project: TestProject) {
  const info = await probePostgres();
  project.provide("postgres", info);
  if (info.optedOut) {
    console.warn("\nTEST_WITHOUT_POSTGRES=1: the PostgreSQL tests are skipped. This is not a full run.\n");
  } else if (!info.available) {
    console.error(`\n${unavailableMessage(info)}\n`);
  }
  return async () => {
    await dropLeftovers(info);
  };
}
