// release --env gamma / prod against a mocked AWS world (CloudFormation and CloudWatch simulated
// per region, Synthetics mocked), with fake timers. The build and Beta stages are fakes here: their
// own plan tests run them through the fake engine.
import { CreateCanaryCommand } from "@aws-sdk/client-synthetics";
import { describe, expect, it, vi } from "vitest";
import type { CredentialSecrets } from "../../src/inputs/credentials.dagger.js";
import { release, type ReleaseInput } from "../../src/release/release.dagger.js";
import { drive } from "../support/fake-aws.js";
import {
  CI_APPROVAL,
  FakeWorld,
  FILES,
  KEY_ID,
  mockCanary,
  OLD_REF,
  passingBeta,
  passingBuild,
  REF,
  SECRET_KEY,
  sourceOf,
  stackScenario,
  releaseSdkMocks,
  T0,
} from "../support/release.js";

const { synthetics } = releaseSdkMocks();

function input(world: FakeWorld, over: Partial<ReleaseInput>): ReleaseInput {
  return {
    source: sourceOf(FILES),
    env: "gamma",
    build: passingBuild(),
    failOnError: false,
    stages: { beta: passingBeta },
    aws: { secrets: {}, world, publisher: async () => REF },
    runId: "run-1",
    ...over,
  };
}

/** Secrets are read through the engine; here they are plain stand-ins with plaintext(). */
function keys(): CredentialSecrets {
  return {
    awsAccessKeyId: { plaintext: async () => KEY_ID },
    awsSecretAccessKey: { plaintext: async () => SECRET_KEY },
  } as unknown as CredentialSecrets;
}

function gammaWorld(gammaAlarm: "OK" | "ALARM" = "OK"): FakeWorld {
  const world = new FakeWorld();
  world.add(
    "gamma",
    "eu-west-1",
    "fruit-api-gamma",
    stackScenario("eu-west-1", OLD_REF, {
      alarms: { "fruit-api-5xx": [{ at: 0, state: "OK" }, ...(gammaAlarm === "ALARM" ? [{ at: T0 + 30_000, state: "ALARM" as const }] : [])] },
    }),
  );
  for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) world.add("prod", region, "fruit-api-prod", stackScenario(region, OLD_REF));
  return world;
}

const prodCalls = (world: FakeWorld, region: string) => world.get("prod", region).calls.filter((c) => c.command !== "DescribeAlarms");
const paramOf = (call: { input: Record<string, unknown> } | undefined) =>
  (call?.input.Parameters as Array<{ ParameterKey: string; ParameterValue?: string }> | undefined)?.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue;

describe("release --env gamma (mocked AWS)", () => {
  it("build, Beta, publish once, then Gamma: deploy the digest, watch the alarms, run the canary; the approval report shows the prod change sets", async () => {
    const world = gammaWorld();
    const ran = mockCanary(synthetics, () => "PASSED");
    let published = 0;
    const result = await drive(release(input(world, { aws: { secrets: keys(), world, publisher: async () => (published++, REF) } })), vi, 1000);
    expect(result.failure).toBe("");
    expect(result.verdict).toBe("passed");
    expect(published).toBe(1);
    expect(result.digest).toBe(REF);
    expect(result.imageDigest).toBe(`sha256:${"a".repeat(64)}`);
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    expect(gamma.actions.map((a) => [a.name, a.status])).toEqual([
      ["launch-env", "succeeded"],
      ["db-deploy", "skipped"],
      ["deploy-software", "succeeded"],
      ["monitoring", "succeeded"],
      ["synthetic-tests", "succeeded"],
      ["capacity-tests", "skipped"],
      ["chaos-tests", "skipped"],
    ]);
    expect(gamma.actions.find((a) => a.name === "deploy-software")!.summary).toMatch(/verify digest \(eu-west-1\): ImageUri=.*@sha256:a{64}/);
    expect(gamma.actions.find((a) => a.name === "monitoring")!.summary).toMatch(/fruit-api-5xx/);
    // The stack got the published reference as its image parameter.
    const gammaFake = world.get("gamma", "eu-west-1");
    expect(paramOf(gammaFake.callsOf("CreateChangeSet")[0])).toBe(REF);
    // Alarms were watched during the bake (one minute, polled every second).
    expect(gammaFake.callsOf("DescribeAlarms").length).toBeGreaterThan(50);
    expect(ran).toEqual(["eu-west-1"]);
    // The reviewer's report: digest and every prod region's change set, created (not executed).
    expect(result.approvalReport).toContain(`Image digest: \`sha256:${"a".repeat(64)}\``);
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) {
      expect(result.approvalReport).toContain(`### fruit-api-prod (${region})`);
      expect(world.get("prod", region).callsOf("ExecuteChangeSet")).toEqual([]);
    }
    expect(result.approvalReport).not.toContain("## Approval");
    expect(result.summary).toBe(result.markdown);
    expect(result.summary).toContain("## Test (Gamma): steps");
    // No secret value anywhere in what the release returns.
    const logged = vi.mocked(console.log).mock.calls.flat().join("\n");
    expect(logged).toContain("fruit-api-gamma");
    const everything = JSON.stringify(result) + result.markdown + result.approvalReport + logged;
    for (const s of [KEY_ID, SECRET_KEY]) expect(everything).not.toContain(s);
    // Gamma's clients were built with Gamma's credentials, prod's (for the preview) with prod's.
    expect(new Set(world.credentialsSeen.map((c) => c.env))).toEqual(new Set(["gamma", "prod"]));
  });

  it("an alarm breaching during the Gamma bake fails monitoring, rolls the stack back, and the canary does not run", async () => {
    const world = gammaWorld("ALARM");
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(world, { digest: REF, aws: { secrets: keys(), world } })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^gamma\.monitoring failed: alarms \(eu-west-1\): failed .*fruit-api-5xx \(config\): ALARM/);
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    expect(gamma.actions.find((a) => a.name === "monitoring")!.status).toBe("failed");
    expect(gamma.actions.find((a) => a.name === "synthetic-tests")!.status).not.toBe("succeeded");
    expect(ran).toEqual([]);
    // Rolled back: the stack runs the image it ran before.
    expect(world.get("gamma", "eu-west-1").stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
  });
});

describe("release --env prod (mocked AWS)", () => {
  it("a failing Gamma canary stops the release before prod: no prod stack is touched", async () => {
    const world = gammaWorld();
    mockCanary(synthetics, () => "FAILED");
    const result = await drive(release(input(world, { env: "prod", approval: CI_APPROVAL, aws: { secrets: keys(), world, publisher: async () => REF } })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^gamma\.synthetic-tests failed: synthetic canary \(eu-west-1\): failed fruit_smoke .*FAILED/);
    expect(result.stages.find((s) => s.id === "prod")!.actions.map((a) => a.status)).toEqual(["cancelled", "skipped", "cancelled", "cancelled"]);
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) expect(prodCalls(world, region)).toEqual([]);
    // Gamma marked the digest failed: a later prod-only release of it is refused.
    expect(world.gammaVerdicts.records(REF).map((r) => [r.verdict, r.checks.find((c) => c.name === "canary")?.status])).toEqual([["failed", "failed"]]);
    const later = await drive(release(input(world, { env: "prod", digest: REF, approval: CI_APPROVAL, aws: { secrets: keys(), world } })), vi, 1000);
    expect(later.failure).toMatch(
      /^prod\.approval failed: refusing to deploy \S+ to prod: sha256:a{64} failed Gamma in run run-1 \(https:\/\/github\.com\/acme\/fruit-api\/actions\/runs\/42\), \S+: canary \(fruit_smoke/,
    );
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) expect(prodCalls(world, region)).toEqual([]);
  });

  it("without an approval nothing is deployed to prod, and the message says how to approve", async () => {
    const world = gammaWorld();
    world.gammaVerdicts.seed(REF, "passed");
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(world, { env: "prod", digest: REF, aws: { secrets: keys(), world } })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^prod\.approval failed: prod needs an approval and none was found, so nothing was deployed to prod\./);
    expect(result.failure).toMatch(/--ci-environment prod/);
    expect(result.failure).toMatch(/To accept a self-asserted --approved-by, list explicit in approval.sources/);
    expect(result.stages.find((s) => s.id === "prod")!.actions.find((a) => a.name === "progressive-deployment")!.status).toBe("cancelled");
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) expect(prodCalls(world, region)).toEqual([]);
    expect(world.get("gamma", "eu-west-1").calls).toEqual([]);
  });

  it("build to prod in one call: prod deploys the digest Gamma deployed, wave by wave, with a canary after each", async () => {
    const world = gammaWorld();
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(world, { env: "prod", approval: CI_APPROVAL, aws: { secrets: keys(), world, publisher: async () => REF } })), vi, 1000);
    expect(result.failure).toBe("");
    expect(result.verdict).toBe("passed");
    const gammaImage = paramOf(world.get("gamma", "eu-west-1").callsOf("CreateChangeSet")[0]);
    expect(gammaImage).toBe(REF);
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) {
      const fake = world.get("prod", region);
      // The change set the approval report showed is the one executed, with Gamma's image.
      expect(fake.callsOf("CreateChangeSet").map(paramOf)).toEqual([gammaImage]);
      expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(1);
      expect(fake.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(gammaImage);
    }
    // Gamma's canary, then one prod canary after each wave.
    expect(synthetics.commandCalls(CreateCanaryCommand).map((c) => c.args[0].input.RunConfig.EnvironmentVariables.BASE_URL)).toEqual([
      "https://eu-west-1.fruit.example.com",
      "https://eu-west-1.fruit.example.com",
      "https://us-east-1.fruit.example.com",
      "https://us-west-2.fruit.example.com",
    ]);
    expect(ran).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    // One call: Gamma's pass is recorded against the digest, and prod goes on Gamma's in-run result (nothing read back).
    expect(world.gammaVerdicts.records(REF).map((r) => [r.verdict, r.runId])).toEqual([["passed", "run-1"]]);
    expect(world.gammaVerdicts.readers).toEqual([]);
    expect(result.approvalReport).toMatch(/## Approval\n\n- Approved by: alice \(GITHUB_ACTOR: who started the run/);
    // One call: the approval came after Gamma passed, and names that Gamma run.
    expect(result.approvalReport).toMatch(/- After Gamma: Gamma of release run \S+ passed for sha256:a{64}/);
    const prod = result.stages.find((s) => s.id === "prod")!;
    expect(prod.actions.map((a) => [a.name, a.status])).toEqual([
      ["approval", "succeeded"],
      ["db-deploy", "skipped"],
      ["progressive-deployment", "succeeded"],
      ["synthetic-tests", "succeeded"],
    ]);
  });

  it("an alarm during the bake of wave 2 stops the rollout: waves 2 and 1 are rolled back, wave 3 is never touched", async () => {
    const world = gammaWorld();
    world.gammaVerdicts.seed(REF, "passed");
    // us-east-1 (wave 2) breaches 20 minutes in: inside its 30-minute bake.
    world.add(
      "prod",
      "us-east-1",
      "fruit-api-prod",
      stackScenario("us-east-1", OLD_REF, {
        alarms: {
          "fruit-api-5xx": [
            { at: 0, state: "OK" },
            { at: T0 + 20 * 60_000, state: "ALARM", reason: "5xx > 1%" },
          ],
        },
      }),
    );
    world.add("gamma", "eu-west-1", "fruit-api-gamma", stackScenario("eu-west-1", REF));
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(world, { env: "prod", digest: REF, approval: CI_APPROVAL, aws: { secrets: keys(), world } })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^prod\.progressive-deployment failed: .*wave second: bake 30 min: failed/);
    expect(result.markdown).toMatch(/rollback: \*\*ok\*\* rolled back us-east-1, eu-west-1: alarm breached during the bake of wave second/);
    for (const region of ["us-east-1", "eu-west-1"]) {
      const fake = world.get("prod", region);
      expect(fake.callsOf("ExecuteChangeSet").length).toBeGreaterThanOrEqual(2); // the deploy, then the redeploy of the previous state
      expect(fake.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
    }
    // Wave 3 only got the change set the approval report showed: never executed, never rolled back.
    const rest = world.get("prod", "us-west-2");
    expect(rest.callsOf("CreateChangeSet")).toHaveLength(1);
    expect(rest.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
    expect(rest.stack?.StackStatus).toBe("UPDATE_COMPLETE");
    expect(world.get("prod", "us-west-2").callsOf("ExecuteChangeSet")).toEqual([]);
  });

  it("prod-only (--digest) refuses a digest the Gamma stack does not run, before touching prod", async () => {
    const world = gammaWorld(); // Gamma still runs OLD_REF
    world.gammaVerdicts.seed(REF, "passed");
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(world, { env: "prod", digest: REF, approval: CI_APPROVAL, aws: { secrets: keys(), world } })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/refusing to deploy .*@sha256:a{64} to prod: stack fruit-api-gamma in eu-west-1 runs sha256:0{64}, but the release promotes sha256:a{64}/);
    expect(result.failure).toMatch(/Release this digest to Gamma first/);
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) expect(prodCalls(world, region)).toEqual([]);
    expect(world.get("gamma", "eu-west-1").callsOf("DescribeStacks")).toHaveLength(1);
  });
});
