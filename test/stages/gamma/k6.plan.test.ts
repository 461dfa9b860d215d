// PLAN TEST (fake engine: requests recorded, nothing run) of release --env gamma with a capacity
// test: the AWS side is the mocked world of test/support/release.ts. It shows that k6 is aimed at the
// endpoint the Gamma stack outputs after the deploy, not at anything configured by hand.
import { SyntheticsClient } from "@aws-sdk/client-synthetics";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dag } from "@dagger.io/dagger";
import { K6_IMAGE, K6_SUMMARY } from "../../../src/actions/capacity-tests/k6.dagger.js";
import type { CredentialSecrets } from "../../../src/inputs/credentials.dagger.js";
import { release } from "../../../src/release/release.dagger.js";
import { mockAws } from "../../support/aws-mock.js";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { Plan } from "../../support/plan.js";
import { summaryWith } from "../../actions/capacity-tests/k6-summary.sample.js";
import { FakeWorld, FILES, KEY_ID, mockCanary, OLD_REF, passingBeta, passingBuild, REF, SECRET_KEY, stackScenario, YAML } from "../../support/release.js";

const synthetics = mockAws(SyntheticsClient);
let engine: FakeEngine | undefined;
beforeEach(() => {
  synthetics.reset();
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await engine?.close();
  engine = undefined;
});

// Gamma without a bake and with quick stack operations, so that real timers keep the test short.
const yaml = YAML.replace("bakeMinutes: 1\n  prod:", "bakeMinutes: 0\n  prod:") + "capacity:\n  script: load/k6.js\n  thresholds: { p95Ms: 300, errorRate: 0.01, minRps: 5 }\n";
const files: Record<string, string> = { ...FILES, "dpra.yaml": yaml, "load/k6.js": "export default function () {}\n" };

function answer(leaf: Leaf): unknown {
  const path = leaf.calls.find((c) => c.field === "file")?.args.path as string | undefined;
  if (leaf.field === "entries") return [...new Set(Object.keys(files).map((f) => f.split("/")[0]!))];
  if (leaf.field === "contents" && path === K6_SUMMARY) return summaryWith(120, 0.001, 40);
  if (leaf.field === "contents" && path !== undefined && files[path] !== undefined) return files[path];
  if (leaf.field === "exitCode") return 0;
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  return undefined;
}

const quick = {
  execution: () => [
    { afterMs: 0, status: "UPDATE_IN_PROGRESS" },
    { afterMs: 200, status: "UPDATE_COMPLETE" },
  ],
};

describe("release --env gamma plan", () => {
  it("k6 targets the Gamma endpoint from the stack outputs, with the run ID, from the pinned image", async () => {
    const world = new FakeWorld();
    world.add("gamma", "eu-west-1", "fruit-api-gamma", {
      ...stackScenario("eu-west-1", OLD_REF, quick),
      outputsAfter: [{ OutputKey: "ApiEndpoint", OutputValue: "https://gamma-after-deploy.fruit.example.com/" }],
    });
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) world.add("prod", region, "fruit-api-prod", stackScenario(region, OLD_REF, quick));
    mockCanary(synthetics, () => "PASSED");
    engine = await FakeEngine.start({ answer });
    const secrets: CredentialSecrets = { awsAccessKeyId: dag.setSecret("aws-key-id", KEY_ID), awsSecretAccessKey: dag.setSecret("aws-secret", SECRET_KEY) };
    const result = await engine.run(() =>
      release({
        source: dag.directory(),
        env: "gamma",
        digest: REF,
        build: passingBuild(),
        stages: { beta: passingBeta },
        failOnError: false,
        aws: { secrets, world },
        runId: "run-k6",
      }),
    );
    expect(result.failure).toBe("");
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    expect(gamma.actions.find((a) => a.name === "capacity-tests")).toMatchObject({ status: "succeeded" });
    expect(gamma.actions.find((a) => a.name === "capacity-tests")!.summary).toContain("k6 load/k6.js against https://gamma-after-deploy.fruit.example.com");
    const plan = new Plan(engine);
    expect(plan.images()).toEqual([K6_IMAGE]);
    const [k6] = plan.containersRunning("run");
    const env = Object.fromEntries(k6!.calls.filter((c) => c.field === "withEnvVariable").map((c) => [c.args.name, c.args.value]));
    expect(env).toMatchObject({ BASE_URL: "https://gamma-after-deploy.fruit.example.com", DPRA_RUN_ID: "run-k6" });
    // Nothing was built or rebuilt: the release deployed the given digest.
    expect(plan.callsNamed("dockerBuild")).toEqual([]);
    expect(plan.secretLeaks()).toEqual([]);
  }, 60_000);
});
