import { describe, expect, it } from "vitest";
import { canarySpecFrom } from "../../../src/aws/synthetics/spec.js";
import { SyntheticsConfig } from "../../../src/config/sections/verification.js";

const outputs = {
  ApiEndpoint: "https://gamma.fruit.example.com",
  CanaryRoleArn: "arn:aws:iam::123456789012:role/fruit-canary",
  CanaryArtifactsLocation: "s3://fruit-canary-artifacts/gamma",
};

describe("canarySpecFrom", () => {
  it("takes the endpoint, role and artifact location from the stack outputs", () => {
    const config = SyntheticsConfig.parse({ name: "fruit_smoke", script: "synthetics/canary.js" });
    const { spec, timings } = canarySpecFrom(config, "exports.handler = async () => {};", { name: "fruit-api-gamma", outputs });
    expect(spec).toMatchObject({
      name: "fruit_smoke",
      runtimeFamily: "syn-nodejs-playwright",
      executionRoleArn: "arn:aws:iam::123456789012:role/fruit-canary",
      artifactS3Location: "s3://fruit-canary-artifacts/gamma",
      environment: { BASE_URL: "https://gamma.fruit.example.com" },
      schedule: "rate(5 minutes)",
    });
    expect(spec.code.entryPath).toBe("canary.js");
    expect(timings.runTimeoutMs).toBe(600_000);
  });

  it("prefers config values and names what is missing", () => {
    const config = SyntheticsConfig.parse({
      name: "s",
      script: "c.js",
      executionRoleArn: "arn:aws:iam::123456789012:role/explicit",
      artifactS3Location: "s3://bucket-x/p",
    });
    expect(canarySpecFrom(config, "x", { name: "st", outputs: { ApiEndpoint: "https://e" } }).spec.executionRoleArn).toBe("arn:aws:iam::123456789012:role/explicit");
    const bare = SyntheticsConfig.parse({ name: "s", script: "c.js" });
    expect(() => canarySpecFrom(bare, "x", { name: "st", outputs: { ApiEndpoint: "https://e" } })).toThrow(
      /synthetics.executionRoleArn is not set and stack st has no output "CanaryRoleArn"/,
    );
  });
});
