import { CreateCanaryCommand, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { dag } from "@dagger.io/dagger";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Dpra } from "../../../src/index.js";
import { mockAws } from "../../support/aws-mock.js";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { Plan } from "../../support/plan.js";
import { mockNewCanary } from "../../support/synthetics.js";

// Plan test of the `canary` function: the real SDK talks to a loopback fake engine (nothing runs)
// and the Synthetics API is mocked.

const synthetics = mockAws(SyntheticsClient);
let engine: FakeEngine | undefined;
beforeEach(() => synthetics.reset());
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const yaml = [
  "synthetics:",
  "  name: fruit_smoke",
  "  script: synthetics/canary.js",
  "  executionRoleArn: arn:aws:iam::222222222222:role/fruit-canary",
  "  artifactS3Location: s3://fruit-canary-artifacts/gamma",
].join("\n");
const script = "exports.handler = async () => fetch(process.env.BASE_URL);\n";

function answer(leaf: Leaf): unknown {
  const file = leaf.calls.find((c) => c.field === "file")?.args.path;
  if (leaf.field === "entries") return ["dpra.yaml", "package.json", "package-lock.json", "synthetics"];
  if (leaf.field === "contents" && file === "package.json") return '{"name":"fruit-api"}';
  if (leaf.field === "contents" && file === "dpra.yaml") return yaml;
  if (leaf.field === "contents" && file === "synthetics/canary.js") return script;
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  return undefined;
}

function mockHappyCanary(state: "PASSED" | "FAILED") {
  mockNewCanary(synthetics, () => [
    { Id: "run-1", Status: { State: state, ...(state === "FAILED" ? { StateReasonCode: "CANARY_FAILURE" } : {}) }, Timeline: { Started: new Date() } },
  ]);
}

describe("Dpra.canary", () => {
  it("creates and runs the canary against the endpoint, with the credentials only in the client", async () => {
    mockHappyCanary("PASSED");
    engine = await FakeEngine.start({ answer });
    const out = await engine.run(() =>
      new Dpra(dag.directory())
        .withAws(
          dag.setSecret("aws-key-id", "ASIAEXAMPLEKEYID0001"),
          dag.setSecret("aws-secret", "example/secret/access/key/value/0001"),
          dag.setSecret("aws-token", "example-session-token-0001"),
        )
        .canary("https://gamma.fruit.example.com", "eu-west-1"),
    );
    expect(out).toMatch(/^canary fruit_smoke \(syn-nodejs-playwright-2\.0, created\): PASSED/);
    expect(out).toMatch(/- run run-1: PASSED/);
    const create = synthetics.commandCalls(CreateCanaryCommand)[0]!;
    expect(create.args[0].input.RunConfig.EnvironmentVariables).toEqual({ BASE_URL: "https://gamma.fruit.example.com" });
    const client = (create as unknown as { thisValue: SyntheticsClient }).thisValue;
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: "ASIAEXAMPLEKEYID0001", sessionToken: "example-session-token-0001" });
    expect(await client.config.region()).toBe("eu-west-1");
    // The secrets reach no container, argument or file.
    expect(new Plan(engine).secretLeaks()).toEqual([]);
  });

  it("fails the call with the report when the run fails", async () => {
    mockHappyCanary("FAILED");
    engine = await FakeEngine.start({ answer });
    await expect(
      engine.run(() =>
        new Dpra(dag.directory()).withAws(dag.setSecret("k", "ASIAEXAMPLEKEYID0002"), dag.setSecret("s", "example-secret-0002")).canary("https://g.example.com", "eu-west-1"),
      ),
    ).rejects.toThrow(/canary fruit_smoke .*: FAILED: CANARY_FAILURE/);
  });

  it("refuses a bad region and a source without a synthetics section before calling AWS", async () => {
    engine = await FakeEngine.start({ answer });
    await expect(engine.run(() => new Dpra(dag.directory()).withAws(dag.setSecret("k", "x"), dag.setSecret("s", "y")).canary("https://g", "Ireland"))).rejects.toThrow(
      /--region "Ireland" is not an AWS region name/,
    );
    await engine.close();
    engine = await FakeEngine.start({ answer: (leaf) => (leaf.field === "entries" ? ["package.json", "package-lock.json"] : answer(leaf)) });
    await expect(engine.run(() => new Dpra(dag.directory()).withAws(dag.setSecret("k", "x"), dag.setSecret("s", "y")).canary("https://g", "eu-west-1"))).rejects.toThrow(
      /no synthetics section/,
    );
    expect(synthetics.calls()).toHaveLength(0);
  });
});
