import { describe, expect, it } from "vitest";
import { chaosSettingsFrom } from "../../../src/aws/fis/settings.js";
import { AwsEnvironment } from "../../../src/config/sections/environments.js";
import { ChaosConfig } from "../../../src/config/sections/verification.js";
import { prodWavesFrom } from "../../../src/stages/prod/waves.js";

const base = { account: "123456789012", roleArn: "arn:aws:iam::123456789012:role/dpra-deploy", stackName: "fruit-api-prod" };

describe("prodWavesFrom", () => {
  it("keeps the configured waves and fills the bake time from the environment default", () => {
    const env = AwsEnvironment.parse({
      ...base,
      bakeMinutes: 15,
      waves: [{ name: "pilot", regions: ["eu-west-1"], bakeMinutes: 60 }, { regions: ["us-east-1", "us-west-2"] }],
    });
    expect(prodWavesFrom(env)).toEqual([
      { name: "pilot", regions: ["eu-west-1"], bakeMinutes: 60 },
      { name: "2", regions: ["us-east-1", "us-west-2"], bakeMinutes: 15 },
    ]);
  });

  it("makes one wave of a single region", () => {
    expect(prodWavesFrom(AwsEnvironment.parse({ ...base, region: "eu-west-1" }))).toEqual([{ name: "1", regions: ["eu-west-1"], bakeMinutes: 5 }]);
  });
});

describe("chaosSettingsFrom", () => {
  it("converts the config to milliseconds and builds an idempotency token per run", () => {
    const s = chaosSettingsFrom(ChaosConfig.parse({ experimentTemplateOutput: "ChaosTemplateId" }), "EXTabc", "gh-9876543210-2");
    expect(s).toMatchObject({ experimentTemplateId: "EXTabc", clientToken: "dpra-gh-9876543210-2-gamma-chaos", warmupMs: 60_000, maxExperimentMs: 900_000 });
  });
});
