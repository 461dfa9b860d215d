import { CreateCanaryCommand, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { dag } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";
import { environmentCanary } from "../../../src/actions/synthetic-tests/environment-canary.dagger.js";
import { SyntheticsConfig } from "../../../src/config/sections/verification.js";
import { mockAws } from "../../support/aws-mock.js";
import { FakeEngine } from "../../support/fake-engine.js";
import { Plan } from "../../support/plan.js";
import { virtualClock } from "../../support/virtual-clock.js";
import { mockNewCanary, placeboRuns } from "../../support/synthetics.js";

// Plan test: the SDK talks to a loopback fake engine (nothing runs) and Synthetics is mocked.
let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe("environmentCanary", () => {
  it("reads the script from the source and points the canary at the endpoint from the stack outputs", async () => {
    const script = "exports.handler = async () => { /* visit BASE_URL */ };\n";
    engine = await FakeEngine.start({ answer: (leaf) => (leaf.field === "contents" ? script : undefined) });
    const synthetics = mockAws(SyntheticsClient);
    mockNewCanary(synthetics, placeboRuns);

    const config = SyntheticsConfig.parse({ name: "fruit_smoke", script: "synthetics/canary.js" });
    const outputs = {
      ApiEndpoint: "https://gamma.fruit.example.com",
      CanaryRoleArn: "arn:aws:iam::222222222222:role/fruit-canary",
      CanaryArtifactsLocation: "s3://fruit-canary-artifacts/gamma",
    };
    const report = await engine.run(() =>
      environmentCanary(
        dag.directory(),
        config,
        { name: "fruit-api-gamma", outputs },
        new SyntheticsClient({ region: "eu-west-1" }),
        virtualClock(Date.parse("2025-10-05T14:14:00Z")),
      ),
    );

    expect(report.passed).toBe(true);
    expect(new Plan(engine).callsNamed("file").map(({ call }) => call.args.path)).toEqual(["synthetics/canary.js"]);
    const input = synthetics.commandCalls(CreateCanaryCommand)[0]?.args[0].input;
    expect(input.RunConfig.EnvironmentVariables).toEqual({ BASE_URL: "https://gamma.fruit.example.com" });
    expect(input.ExecutionRoleArn).toBe("arn:aws:iam::222222222222:role/fruit-canary");
    expect(Buffer.from(input.Code.ZipFile).includes(Buffer.from(script))).toBe(true);
    synthetics.restore();
  });
});
