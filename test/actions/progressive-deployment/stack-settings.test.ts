import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../src/config/load.js";
import { AwsEnvironment } from "../../../src/config/sections/environments.js";
import { protectionFor, stackParameters } from "../../../src/actions/progressive-deployment/stack-settings.js";

const base = { account: "123456789012", roleArn: "arn:aws:iam::123456789012:role/dpra-deploy", stackName: "fruit-api" };

describe("environment config", () => {
  it("applies the defaults the deployer relies on", () => {
    const e = AwsEnvironment.parse({ ...base, region: "eu-west-1" });
    expect(e).toMatchObject({
      imageParameter: "ImageUri",
      monitoringMinutes: 10,
      bakeMinutes: 5,
      pollSeconds: 5,
      waitInProgressMinutes: 15,
      timeoutMinutes: 60,
      capabilities: ["CAPABILITY_IAM"],
    });
    expect(e.protection).toEqual({ guardStatefulReplacement: true, statefulTypes: [], allowReplacement: [], detectDrift: false, continueUpdateRollback: false });
  });

  it.each([
    [{ alarms: ["a", "b", "c", "d", "e", "f"], region: "eu-west-1" }, /at most 5 rollback triggers: combine alarms into a composite alarm/],
    [{ waves: [{ regions: ["eu-west-1"] }, { regions: ["eu-west-1", "us-east-1"] }] }, /a region may appear in only one wave/],
    [{ region: "eu-west-1", monitoringMinutes: 181 }, /environments.prod.monitoringMinutes/],
    [{ region: "eu-west-1", protection: { statefulTypes: ["Bucket"] } }, /expected a resource type such as AWS::RDS::DBInstance/],
  ])("refuses invalid settings with a clear message (%#)", (extra, message) => {
    expect(() => validateConfig({ environments: { prod: { ...base, ...extra } } })).toThrow(message);
  });
});

describe("planning", () => {
  it("turns on termination protection and the stack policy for prod only, unless configured", () => {
    const e = AwsEnvironment.parse({ ...base, region: "eu-west-1" });
    expect(protectionFor("prod", e)).toMatchObject({ terminationProtection: true, stackPolicy: true });
    expect(protectionFor("gamma", e)).toMatchObject({ terminationProtection: false, stackPolicy: false });
    const off = AwsEnvironment.parse({ ...base, region: "eu-west-1", protection: { terminationProtection: false, stackPolicy: false } });
    expect(protectionFor("prod", off)).toMatchObject({ terminationProtection: false, stackPolicy: false });
  });

  it("passes the image under the configured parameter name", () => {
    const e = AwsEnvironment.parse({ ...base, region: "eu-west-1", imageParameter: "Image", parameters: { Stage: "prod", Replicas: 3 } });
    expect(stackParameters(e, "repo@sha256:" + "a".repeat(64))).toEqual({ Stage: "prod", Replicas: "3", Image: "repo@sha256:" + "a".repeat(64) });
  });
});
