/**
 * Lighthouse's mobile audit of a question page (production build): the
 * categories whose scores do not depend on timing — accessibility, best
 * practices, SEO — score 100, and the page downloads no JavaScript (a
 * reading page works without it; see app/modules/page/scripts.ts).
 * Performance is a timing figure: `npm run audit` measures it (README).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { runLighthouse } from "../support/lighthouse";

let server: AppServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("Lighthouse (mobile) on a question page", () => {
  it("scores 100 for accessibility, best practices and SEO, and ships no JavaScript", { timeout: 180_000 }, async () => {
    const question = new URL((await fetch(server.url + "/q/4")).url).pathname;
    const result = await runLighthouse(server.url + question, ["accessibility", "best-practices", "seo", "performance"]);
    expect(result.failures.filter((f) => f.category !== "performance")).toEqual([]);
    expect(result.scores).toMatchObject({ accessibility: 1, "best-practices": 1, seo: 1 });
    expect(result.metrics.scriptBytes).toBe(0);
    expect(result.metrics.unusedScriptBytes).toBe(0);
    // Nothing moves once shown (layout shift is not a timing figure).
    expect(result.metrics.cls).toBeLessThan(0.01);
  });
});
