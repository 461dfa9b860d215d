import { describe, expect, inject, it } from "vitest";
import { fetchRequest, loadCanary } from "../support/canary.js";

// The canary script itself, run against the live app with Playwright's request API played by fetch
// and the Synthetics library by a recorder: proves the script's workflow matches the API.
describe("synthetic canary against the live app", () => {
  it("walks readiness, create, read, list and delete as reported steps", async () => {
    const steps: string[] = [];
    let closed = false;
    const synthetics = {
      launch: async () => ({}),
      newPage: async () => ({ request: fetchRequest() }),
      executeStep: async (name: string, fn: () => Promise<void>) => {
        steps.push(name);
        await fn();
      },
      close: async () => {
        closed = true;
      },
    };
    await loadCanary().runCanary(synthetics, inject("baseUrl"));
    expect(steps).toEqual(["ready", "create fruit", "read fruit", "list fruits", "delete fruit"]);
    expect(closed).toBe(true);
  });
});
