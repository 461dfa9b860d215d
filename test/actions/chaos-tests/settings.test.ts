import { describe, expect, it } from "vitest";
import { chaosSettingsFrom } from "../../../src/actions/chaos-tests/settings.js";
import { ChaosConfig } from "../../../src/config/sections/verification.js";

describe("chaosSettingsFrom", () => {
  it("converts the config to milliseconds and builds an idempotency token per run", () => {
    const s = chaosSettingsFrom(ChaosConfig.parse({ experimentTemplateOutput: "ChaosTemplateId" }), "EXTabc", "gh-9876543210-2");
    expect(s).toMatchObject({ experimentTemplateId: "EXTabc", clientToken: "dpra-gh-9876543210-2-gamma-chaos", warmupMs: 60_000, maxExperimentMs: 900_000 });
  });
});
