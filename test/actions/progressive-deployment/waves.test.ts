// One naming of waves for deploy, Gamma and Prod (moved here from the deploy plan tests and the prod
// stage's wave tests, which named them "wave 2" and "2" respectively).
import { describe, expect, it } from "vitest";
import { planWaves, waveLabel } from "../../../src/actions/progressive-deployment/waves.js";
import { AwsEnvironment } from "../../../src/config/sections/environments.js";

const base = { account: "123456789012", roleArn: "arn:aws:iam::123456789012:role/dpra-deploy", stackName: "fruit-api" };

describe("planWaves", () => {
  it("keeps the configured waves and fills the bake time from the environment default", () => {
    const env = AwsEnvironment.parse({ ...base, bakeMinutes: 15, waves: [{ name: "pilot", regions: ["eu-west-1"], bakeMinutes: 60 }, { regions: ["us-east-1", "us-west-2"] }] });
    expect(planWaves(env)).toEqual([
      { name: "pilot", regions: ["eu-west-1"], bakeMinutes: 60 },
      { name: "2", regions: ["us-east-1", "us-west-2"], bakeMinutes: 15 },
    ]);
  });

  it("makes one wave of a single region", () => {
    expect(planWaves(AwsEnvironment.parse({ ...base, region: "eu-west-1" }))).toEqual([{ name: "1", regions: ["eu-west-1"], bakeMinutes: 5 }]);
  });

  it("labels every wave the same way, named or numbered", () => {
    expect(waveLabel({ name: "pilot" })).toBe("wave pilot");
    expect(waveLabel({ name: "2" })).toBe("wave 2");
  });
});
