// Parity of the one wave engine: the same prod scenario through `deploy --env prod` (deployCore, the
// function behind the CLI and the Dagger deploy) and `release --env prod` (runProdStage over the
// CloudFormation port, as src/stages/prod/provider.dagger.ts wires it after the approval and the digest
// check) gives the same decisions: waves, alarms checked, rollback scope, verdict. AWS is the
// aws-sdk-client-mock simulation of test/support/fake-aws.ts, one world per run.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CfnWaves } from "../../../src/actions/progressive-deployment/cfn-waves.js";
import { rolloutRules, type RolloutDecisions } from "../../../src/actions/progressive-deployment/engine.js";
import { planWaves } from "../../../src/actions/progressive-deployment/waves.js";
import { resolveApproval } from "../../../src/actions/approval/approval.js";
import type { CanaryReport } from "../../../src/aws/synthetics/canary.js";
import { parseConfig } from "../../../src/config/load.js";
import { deployCore } from "../../../src/deploy/core.js";
import { runProdStage } from "../../../src/stages/prod/stage.js";
import { FakeRegion, drive, type RegionScenario } from "../../support/fake-aws.js";
import { BLUE_GREEN_SERVICE } from "../../support/stack-templates.js";

const T0 = Date.parse("2026-12-01T09:00:00Z");
const IMAGE = "333333333333.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "a".repeat(64);
const OLD = "333333333333.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "0".repeat(64);
const REGIONS = ["eu-west-1", "us-east-1", "us-west-2"];
// The template outputs one alarm by the convention (LatencyAlarm); dpra.yaml names another.
const TEMPLATE = `Parameters:\n  ImageUri:\n    Type: String\nResources:\n${BLUE_GREEN_SERVICE}Outputs:\n  ApiEndpoint:\n    Value: https://fruit.example.com\n  LatencyAlarm:\n    Value: fruit-api-p99\n`;
const yaml = (extra: string) => `
name: fruit-api
environments:
  prod:
    account: "333333333333"
    roleArn: arn:aws:iam::333333333333:role/dpra-deploy
    stackName: fruit-api-prod
    template: infra/template.yaml
    alarms: [fruit-api-5xx]
    pollSeconds: 1
    monitoringMinutes: 0
    waves:
      - { name: first, regions: [eu-west-1], bakeMinutes: 10 }
      - { name: second, regions: [us-east-1], bakeMinutes: 30 }
      - { regions: [us-west-2], bakeMinutes: 10 }
${extra}`;

type Alarms = NonNullable<RegionScenario["alarms"]>;
const outputs = (region: string) => [
  { OutputKey: "ApiEndpoint", OutputValue: `https://${region}.fruit.example.com` },
  { OutputKey: "LatencyAlarm", OutputValue: "fruit-api-p99" },
];

/** One simulated prod world; `alarmsIn` overrides a region's alarm timelines. */
function world(alarmsIn: Record<string, Alarms> = {}): Map<string, FakeRegion> {
  const fakes = new Map<string, FakeRegion>();
  for (const region of REGIONS) {
    fakes.set(
      region,
      new FakeRegion(region, "fruit-api-prod", {
        stack: { status: "UPDATE_COMPLETE", template: "PREVIOUS", parameters: [{ ParameterKey: "ImageUri", ParameterValue: OLD }], outputs: outputs(region) },
        outputsAfter: outputs(region),
        latencyMs: 100,
        alarms: alarmsIn[region] ?? { "fruit-api-5xx": [{ at: 0, state: "OK" }], "fruit-api-p99": [{ at: 0, state: "OK" }] },
      }),
    );
  }
  return fakes;
}

const clientsOf = (fakes: Map<string, FakeRegion>) => (region: string) => ({ cloudFormation: fakes.get(region)!.cfn, cloudWatch: fakes.get(region)!.cw });
const credentials = async () => ({ accessKeyId: "AKIAPARITYTEST000001", secretAccessKey: "parity/secret" });

/** `deploy --env prod` (the core behind the Dagger function and `dpra deploy`), approved from the CI's protected environment. */
const deployProd = (config: string, template: string, fakes: Map<string, FakeRegion>) =>
  deployCore({
    config: parseConfig(config),
    readSourceFile: async () => template,
    env: "prod",
    image: IMAGE,
    preview: false,
    approval: {
      approvedBy: "jane",
      ciEnvironment: "prod",
      ciVars: "GITHUB_ACTIONS=true\nGITHUB_SERVER_URL=https://github.com\nGITHUB_REPOSITORY=acme/fruit-api\nGITHUB_RUN_ID=7\nGITHUB_ACTOR=jane",
    },
    identity: async ({ app, runId }) => ({ base: { credentials, principal: "test" }, app, runId, forRole: () => ({ credentials, principal: "prod role" }) }),
    makeClients: (region) => clientsOf(fakes)(region),
    log: () => undefined,
  });

async function viaDeploy(extra: string, fakes: Map<string, FakeRegion>): Promise<RolloutDecisions | undefined> {
  vi.setSystemTime(T0);
  const result = await drive(deployProd(yaml(extra), TEMPLATE, fakes), vi, 1000);
  return result.decisions;
}

async function viaRelease(extra: string, fakes: Map<string, FakeRegion>): Promise<RolloutDecisions | undefined> {
  vi.setSystemTime(T0);
  const env = parseConfig(yaml(extra)).environments.prod!;
  const waves = new CfnWaves({ envName: "prod", env, templateBody: TEMPLATE, reference: IMAGE, clientsFor: clientsOf(fakes), log: () => undefined, runId: "parity" });
  const canary = async (): Promise<CanaryReport> => ({
    name: "fruit_smoke",
    runtimeVersion: "syn-nodejs-playwright-2.0",
    action: "updated",
    run: { state: "PASSED" },
    steps: [],
    passed: true,
  });
  const result = await drive(
    runProdStage(
      { waves, canary, now: () => new Date() },
      {
        approval: resolveApproval({ ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T0) }),
        digest: `sha256:${"a".repeat(64)}`,
        waves: planWaves(env),
        strategy: env.deployment.strategy,
        endpointOutput: "ApiEndpoint",
        imageParameter: env.imageParameter,
        ...rolloutRules(env, TEMPLATE),
      },
    ),
    vi,
    1000,
  );
  return result.decisions;
}

const triggersOf = (fake: FakeRegion) =>
  (fake.callsOf("CreateChangeSet")[0]?.input.RollbackConfiguration as { RollbackTriggers: Array<{ Arn: string }> } | undefined)?.RollbackTriggers.map((t) => t.Arn);

beforeEach(() => vi.useFakeTimers({ now: T0 }));
afterEach(() => vi.useRealTimers());

describe("one wave engine: deploy --env prod and release --env prod decide the same", () => {
  it("a clean rollout: three waves baked, the same alarm set (dpra.yaml + template outputs) as rollback triggers and watched", async () => {
    const a = world();
    const b = world();
    const deploy = await viaDeploy("", a);
    const release = await viaRelease("", b);
    expect(deploy).toEqual(release);
    expect(deploy).toMatchObject({
      waves: [
        { name: "first", status: "succeeded", baked: true },
        { name: "second", status: "succeeded", baked: true },
        { name: "3", status: "succeeded", baked: true },
      ],
      alarmsChecked: Object.fromEntries(REGIONS.map((r) => [r, ["fruit-api-p99", "fruit-api-5xx"]])),
      rollbackScope: "all-deployed",
      rolledBack: [],
      verdict: "succeeded",
    });
    for (const region of REGIONS) {
      const arns = ["fruit-api-5xx", "fruit-api-p99"].map((n) => `arn:aws:cloudwatch:${region}:333333333333:alarm:${n}`);
      expect(triggersOf(a.get(region)!)).toEqual(arns);
      expect(triggersOf(b.get(region)!)).toEqual(arns);
    }
  });

  it("a breach in the bake of wave 2: the same stop, rollback scope and verdict (default all-deployed, and failed-wave)", async () => {
    // us-east-1's output alarm breaches 25 minutes in: inside wave second's 30-minute bake in both runs.
    const breach = {
      "us-east-1": {
        "fruit-api-5xx": [{ at: 0, state: "OK" as const }],
        "fruit-api-p99": [
          { at: 0, state: "OK" as const },
          { at: T0 + 25 * 60_000, state: "ALARM" as const },
        ],
      },
    };
    const deploy = await viaDeploy("", world(breach));
    const release = await viaRelease("", world(breach));
    expect(deploy).toEqual(release);
    expect(deploy).toMatchObject({
      waves: [{ status: "rolled-back" }, { status: "rolled-back", baked: false }, { status: "not-started" }],
      rolledBack: ["us-east-1", "eu-west-1"],
      verdict: "rolled-back",
      stoppedBy: "alarm breached during the bake of wave second",
    });
    const scoped = "    rollbackScope: failed-wave\n";
    const a = world(breach);
    const deployScoped = await viaDeploy(scoped, a);
    expect(deployScoped).toEqual(await viaRelease(scoped, world(breach)));
    expect(deployScoped).toMatchObject({
      waves: [{ status: "succeeded" }, { status: "rolled-back" }, { status: "not-started" }],
      rollbackScope: "failed-wave",
      rolledBack: ["us-east-1"],
    });
    expect(a.get("eu-west-1")!.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(IMAGE);
    expect(a.get("us-west-2")!.callsOf("ExecuteChangeSet")).toEqual([]);
  });

  it("no alarms in dpra.yaml nor in the template outputs: both refuse prod before any AWS call", async () => {
    const none = (extra: string) => yaml(extra).replace("    alarms: [fruit-api-5xx]\n", "");
    const bare = TEMPLATE.replace("  LatencyAlarm:\n    Value: fruit-api-p99\n", "");
    const env = parseConfig(none("")).environments.prod!;
    expect(rolloutRules(env, bare)).toMatchObject({ configuredAlarms: [], declaredAlarmOutputs: [] });
    const a = world();
    const refused = await drive(deployProd(none(""), bare, a), vi);
    const b = world();
    const waves = new CfnWaves({ envName: "prod", env, templateBody: bare, reference: IMAGE, clientsFor: clientsOf(b), log: () => undefined, runId: "parity" });
    const released = await runProdStage(
      { waves, canary: async () => ({ name: "c", runtimeVersion: "v", action: "updated", run: { state: "PASSED" }, steps: [], passed: true }), now: () => new Date() },
      {
        approval: resolveApproval({ ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T0) }),
        digest: `sha256:${"a".repeat(64)}`,
        waves: planWaves(env),
        strategy: "ecs-blue-green",
        endpointOutput: "ApiEndpoint",
        imageParameter: "ImageUri",
        ...rolloutRules(env, bare),
      },
    );
    expect(refused.decisions).toEqual(released.decisions);
    expect(refused.decisions).toMatchObject({ verdict: "failed", stoppedBy: "no alarms", rolledBack: [] });
    expect(refused.message).toMatch(/prod cannot roll back on its own/);
    for (const f of [...a.values(), ...b.values()]) expect(f.calls).toEqual([]);
  });
});
