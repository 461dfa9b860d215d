import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AwsEnvironment, type AwsEnvironmentInput } from "../../../src/config/sections/environments.js";
import { deployEnvironment, type EnvironmentDeployment } from "../../../src/actions/progressive-deployment/deploy.js";
import { contentRunId } from "../../../src/actions/progressive-deployment/stack-settings.js";
import { FakeRegion, drive, type RegionScenario, type RecordedCall } from "../../support/fake-aws.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "b".repeat(64);
const POLL_MS = 5000;
const LATENCY_MS = 150;

function env(overrides: Partial<AwsEnvironmentInput> = {}): AwsEnvironment {
  return AwsEnvironment.parse({
    account: "123456789012",
    roleArn: "arn:aws:iam::123456789012:role/dpra-deploy",
    stackName: "fruit-api",
    waves: [
      { name: "canary", regions: ["eu-west-1"] },
      { name: "europe", regions: ["eu-central-1", "eu-north-1"] },
      { name: "americas", regions: ["us-east-1"] },
    ],
    bakeMinutes: 2,
    monitoringMinutes: 0,
    alarms: ["fruit-api-5xx"],
    parameters: { Stage: "prod" },
    ...overrides,
  });
}

function world(regionScenarios: Record<string, RegionScenario>) {
  const fakes: Record<string, FakeRegion> = {};
  for (const [region, scenario] of Object.entries(regionScenarios)) {
    fakes[region] = new FakeRegion(region, "fruit-api", { latencyMs: LATENCY_MS, alarms: { "fruit-api-5xx": [{ at: T0, state: "OK" }] }, ...scenario });
  }
  const clientsFor = (region: string) => {
    const f = fakes[region];
    if (!f) throw new Error(`no fake for ${region}`);
    return { cloudFormation: f.cfn, cloudWatch: f.cw };
  };
  return { fakes, clientsFor };
}

const existing: RegionScenario = {
  stack: {
    status: "UPDATE_COMPLETE",
    template: "PREVIOUS",
    parameters: [{ ParameterKey: "ImageUri", ParameterValue: "previous-image" }],
    tags: [{ Key: "dpra:environment", Value: "prod" }],
  },
};

async function run(
  e: AwsEnvironment,
  clientsFor: (r: string) => never | { cloudFormation: FakeRegion["cfn"]; cloudWatch: FakeRegion["cw"] },
  opts: { preview?: boolean; envName?: string; onLog?: (l: string) => void; templateBody?: string } = {},
) {
  const lines: string[] = [];
  const result = await drive(
    deployEnvironment({
      envName: opts.envName ?? "prod",
      env: e,
      clientsFor,
      templateBody: opts.templateBody ?? "NEW TEMPLATE",
      image: IMAGE,
      runId: "run-7",
      preview: opts.preview ?? false,
      pollMs: POLL_MS,
      log: (l) => {
        lines.push(l);
        opts.onLog?.(l);
      },
    }),
    vi,
    50,
  );
  return { result, lines };
}

const writes = (calls: RecordedCall[]) => calls.filter((c) => !/^(Describe|List|Get)/.test(c.command));

beforeEach(() => vi.useFakeTimers({ now: T0 }));
afterEach(() => vi.useRealTimers());

describe("deployEnvironment: waves", () => {
  it("deploys waves in order, regions of a wave concurrently, with a bake after each", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    const { result } = await run(env(), clientsFor);
    expect(result.status).toBe("succeeded");
    expect(result.waves.map((w) => w.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const exec = (r: string) => fakes[r]!.callsOf("ExecuteChangeSet")[0]!.at;
    // Wave 2's regions start together, after wave 1's bake; wave 3 after wave 2's bake.
    expect(exec("eu-central-1")).toBe(exec("eu-north-1"));
    expect(exec("eu-central-1") - exec("eu-west-1")).toBeGreaterThanOrEqual(2 * 60_000);
    expect(exec("us-east-1") - exec("eu-central-1")).toBeGreaterThanOrEqual(2 * 60_000);
    expect(result.waves.every((w) => (w.bakedMs ?? 0) >= 2 * 60_000)).toBe(true);
    const create = fakes["us-east-1"]!.callsOf("CreateChangeSet")[0]!.input;
    expect(create.Parameters).toEqual([
      { ParameterKey: "Stage", ParameterValue: "prod" },
      { ParameterKey: "ImageUri", ParameterValue: IMAGE },
    ]);
    expect(create.RollbackConfiguration).toEqual({
      RollbackTriggers: [{ Arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:fruit-api-5xx", Type: "AWS::CloudWatch::Alarm" }],
      MonitoringTimeInMinutes: 0,
    });
    expect(create.Tags).toContainEqual({ Key: "dpra:environment", Value: "prod" });
    // prod defaults: termination protection and the stateful stack policy.
    expect(fakes["us-east-1"]!.callsOf("UpdateTerminationProtection")).toHaveLength(1);
    expect(fakes["us-east-1"]!.stackPolicies).toHaveLength(1);
  });

  it("with rollbackScope failed-wave, an alarm during the bake of wave 2 of 3 rolls back wave 2 within one poll + one round trip and never touches wave 3", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    let flipAt = 0;
    const onLog = (l: string) => {
      if (l.startsWith("== prod wave europe: baking") && flipAt === 0) {
        flipAt = Date.now() + 37_700;
        fakes["eu-north-1"]!.scenario.alarms!["fruit-api-5xx"]!.push({ at: flipAt, state: "ALARM", reason: "Threshold Crossed: 1 datapoint [42.0] > 5.0" });
      }
    };
    const { result, lines } = await run(env({ rollbackScope: "failed-wave" }), clientsFor, { onLog });
    expect(result.status).toBe("rolled-back");
    expect(result.breach).toMatchObject({ name: "fruit-api-5xx", region: "eu-north-1", wave: "europe", phase: "bake" });
    expect(result.decisions).toMatchObject({ rollbackScope: "failed-wave", rolledBack: ["eu-north-1", "eu-central-1"], verdict: "rolled-back" });
    expect(result.waves.map((w) => w.status)).toEqual(["succeeded", "rolled-back", "not-started"]);
    expect(result.regions.map((r) => [r.region, r.status])).toEqual([
      ["eu-west-1", "updated"],
      ["eu-central-1", "rolled-back"],
      ["eu-north-1", "rolled-back"],
      ["us-east-1", "not-started"],
    ]);
    // Wave 3 never touched: not a single call in us-east-1.
    expect(fakes["us-east-1"]!.calls).toEqual([]);
    // Both wave-2 stacks got the previous template and parameters back through a rollback change set.
    for (const region of ["eu-central-1", "eu-north-1"]) {
      const rollback = fakes[region]!.callsOf("CreateChangeSet").find((c) => String(c.input.ChangeSetName).endsWith("-rollback"))!;
      expect(rollback.input).toMatchObject({
        TemplateBody: "PREVIOUS",
        Parameters: [{ ParameterKey: "ImageUri", ParameterValue: "previous-image" }],
        Tags: [{ Key: "dpra:environment", Value: "prod" }],
        RollbackConfiguration: { RollbackTriggers: [], MonitoringTimeInMinutes: 0 },
      });
      expect(fakes[region]!.stack?.StackStatus).toBe("UPDATE_COMPLETE");
      expect(fakes[region]!.stack?.template).toBe("PREVIOUS");
    }
    // Wave 1 is left alone.
    expect(fakes["eu-west-1"]!.callsOf("CreateChangeSet")).toHaveLength(1);
    // Reaction time: from the alarm flipping to the first rollback call.
    const firstRollbackCall = Math.min(
      ...["eu-central-1", "eu-north-1"].map((r) => fakes[r]!.callsOf("CreateChangeSet").find((c) => String(c.input.ChangeSetName).endsWith("-rollback"))!.at),
    );
    const reactionMs = firstRollbackCall - flipAt;
    expect(reactionMs).toBeLessThanOrEqual(POLL_MS + LATENCY_MS);
    lines.push(`reaction ${reactionMs} ms`);
    console.log(`alarm reaction during bake: ${reactionMs} ms (poll ${POLL_MS} ms, round trip ${LATENCY_MS} ms)`);
  });

  it("an alarm during the deploy's monitoring window cancels the update, rolls back the wave, and stops the rollout", async () => {
    const monitoring = { ...existing, monitoringMs: 5 * 60_000 };
    const { fakes, clientsFor } = world({ "eu-west-1": monitoring, "eu-central-1": monitoring, "eu-north-1": monitoring, "us-east-1": monitoring });
    let flipAt = 0;
    const onLog = (l: string) => {
      if (l.includes("[eu-central-1 fruit-api] executing change set") && flipAt === 0) {
        flipAt = Date.now() + 61_000;
        fakes["eu-central-1"]!.scenario.alarms!["fruit-api-5xx"]!.push({ at: flipAt, state: "ALARM", reason: "latency" });
      }
    };
    const { result } = await run(env({ monitoringMinutes: 5 }), clientsFor, { onLog });
    expect(result.breach).toMatchObject({ region: "eu-central-1", phase: "deploy" });
    const cancel = fakes["eu-central-1"]!.callsOf("CancelUpdateStack")[0]!;
    const reactionMs = cancel.at - flipAt;
    expect(reactionMs).toBeLessThanOrEqual(POLL_MS + LATENCY_MS);
    console.log(`alarm reaction during deploy: ${reactionMs} ms (poll ${POLL_MS} ms, round trip ${LATENCY_MS} ms)`);
    expect(result.regions.find((r) => r.region === "eu-central-1")).toMatchObject({ status: "failed", stack: { stackStatus: "UPDATE_ROLLBACK_COMPLETE" } });
    // The other region of the wave was still in its own monitoring window: cancelled as well.
    expect(fakes["eu-north-1"]!.callsOf("CancelUpdateStack")).toHaveLength(1);
    expect(fakes["eu-north-1"]!.stack?.StackStatus).toBe("UPDATE_ROLLBACK_COMPLETE");
    expect(result.status).toBe("rolled-back");
    expect(fakes["us-east-1"]!.calls).toEqual([]);
  });

  it("a failed region stops the rollout; the wave's other region is rolled back; later waves untouched", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": { ...existing, execution: "fail" }, "us-east-1": existing });
    const { result } = await run(env(), clientsFor);
    expect(result.status).toBe("rolled-back");
    expect(result.message).toContain("europe failed: eu-north-1: deploy failed (root cause: TaskDefinition (AWS::ECS::TaskDefinition) UPDATE_FAILED");
    expect(result.regions.find((r) => r.region === "eu-central-1")?.status).toBe("rolled-back");
    expect(fakes["us-east-1"]!.calls).toEqual([]);
  });

  it("preview creates change sets in every region and executes none", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    const { result } = await run(env(), clientsFor, { preview: true });
    expect(result.status).toBe("preview");
    for (const f of Object.values(fakes)) {
      expect(f.callsOf("ExecuteChangeSet")).toEqual([]);
      expect(writes(f.calls).map((c) => c.command)).toEqual(["CreateChangeSet"]);
    }
    expect(result.regions.every((r) => r.stack?.diffText.includes("TaskDefinition"))).toBe(true);
  });

  it("no changes anywhere: no bake, status no-change", async () => {
    const same = { ...existing, changes: [] };
    const { fakes, clientsFor } = world({ "eu-west-1": same, "eu-central-1": same, "eu-north-1": same, "us-east-1": same });
    const { result } = await run(env(), clientsFor);
    expect(result.status).toBe("no-change");
    expect(result.durationMs).toBeLessThan(60_000);
    expect(fakes["eu-west-1"]!.callsOf("DescribeAlarms")).toEqual([]);
  });

  it("a single-region environment is one wave; gamma gets no termination protection by default", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing });
    const { result } = await run(env({ waves: undefined, region: "eu-west-1" }), clientsFor, { envName: "gamma" });
    expect(result.status).toBe("succeeded");
    expect(fakes["eu-west-1"]!.callsOf("UpdateTerminationProtection")).toEqual([]);
    expect(fakes["eu-west-1"]!.stackPolicies).toEqual([]);
  });

  it("stops and rolls the wave back when a configured alarm does not exist after the deploy (the release's rule; it used to stop without a rollback)", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": { ...existing, alarms: {} }, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    const { result } = await run(env(), clientsFor);
    expect(result.status).toBe("rolled-back");
    expect(result.message).toMatch(/^alarms missing after the deploy in eu-west-1: .*fruit-api-5xx \(config\): MISSING/);
    expect(result.waves[0]).toMatchObject({ status: "rolled-back", missingAlarms: ["fruit-api-5xx"] });
    expect(fakes["eu-west-1"]!.stack?.template).toBe("PREVIOUS");
    expect(fakes["eu-central-1"]!.calls).toEqual([]);
  });

  it("by default (rollbackScope all-deployed) an alarm in the bake of wave 2 rolls back wave 2, then wave 1", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    const onLog = (l: string) => {
      if (l.startsWith("== prod wave europe: baking")) fakes["eu-central-1"]!.scenario.alarms!["fruit-api-5xx"]!.push({ at: Date.now() + 10_000, state: "ALARM" });
    };
    const { result } = await run(env(), clientsFor, { onLog });
    expect(result.decisions).toMatchObject({ rollbackScope: "all-deployed", rolledBack: ["eu-north-1", "eu-central-1", "eu-west-1"], verdict: "rolled-back" });
    expect(result.waves.map((w) => w.status)).toEqual(["rolled-back", "rolled-back", "not-started"]);
    for (const region of ["eu-west-1", "eu-central-1", "eu-north-1"]) expect(fakes[region]!.stack?.template).toBe("PREVIOUS");
    expect(fakes["us-east-1"]!.calls).toEqual([]);
  });

  it("refuses prod before any call when neither dpra.yaml nor the template names an alarm, unless allowNoAlarms gives a reason", async () => {
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": existing, "us-east-1": existing });
    // A template the engine can read, with no output that follows the alarm convention.
    const templateBody = "Outputs:\n  ApiEndpoint:\n    Value: https://fruit.example.com\n";
    const refused = await run(env({ alarms: [] }), clientsFor, { templateBody });
    expect(refused.result.status).toBe("failed");
    expect(refused.result.message).toMatch(/prod cannot roll back on its own.*allowNoAlarms\.reason/);
    for (const f of Object.values(fakes)) expect(f.calls).toEqual([]);
    const allowed = await run(env({ alarms: [], allowNoAlarms: { reason: "a batch job with no traffic to alarm on" } }), clientsFor, { templateBody });
    expect(allowed.result.status).toBe("succeeded");
    // Gamma is warned, not refused.
    const gamma = world({ "eu-west-1": existing });
    const g = await run(env({ alarms: [], waves: undefined, region: "eu-west-1" }), gamma.clientsFor, { envName: "gamma", templateBody });
    expect(g.result.status).toBe("succeeded");
  });
});

describe("reaction time to an alarm during the bake", () => {
  it("stays within one poll interval plus one round trip wherever the flip falls in the poll cycle", async () => {
    const reactions: number[] = [];
    for (let offset = 0; offset < POLL_MS; offset += 500) {
      vi.setSystemTime(T0);
      const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "us-east-1": existing });
      let flipAt = 0;
      const onLog = (l: string) => {
        if (l.startsWith("== prod wave 2: baking") && flipAt === 0) {
          flipAt = Date.now() + 30_000 + offset;
          fakes["eu-central-1"]!.scenario.alarms!["fruit-api-5xx"]!.push({ at: flipAt, state: "ALARM" });
        }
      };
      const threeWaves = env({ rollbackScope: "failed-wave", waves: [{ regions: ["eu-west-1"] }, { regions: ["eu-central-1"] }, { regions: ["us-east-1"] }] });
      const { result } = await run(threeWaves, clientsFor, { onLog });
      expect(result.waves.map((w) => w.status)).toEqual(["succeeded", "rolled-back", "not-started"]);
      expect(fakes["us-east-1"]!.calls).toEqual([]);
      const rollbackAt = fakes["eu-central-1"]!.callsOf("CreateChangeSet").find((c) => String(c.input.ChangeSetName).endsWith("-rollback"))!.at;
      reactions.push(rollbackAt - flipAt);
    }
    expect(Math.max(...reactions)).toBeLessThanOrEqual(POLL_MS + LATENCY_MS);
    expect(Math.min(...reactions)).toBeGreaterThan(0);
    console.log(
      `alarm reaction during bake over ${reactions.length} phases: min ${Math.min(...reactions)} ms, max ${Math.max(...reactions)} ms (bound ${POLL_MS + LATENCY_MS} ms)`,
    );
  });
});

describe("no secret values in results or logs", () => {
  it("a full deploy with a rollback never prints or returns the credentials the clients hold", async () => {
    const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETSECRET";
    const KEY_ID = "AKIASECRETKEYID12345";
    const { fakes, clientsFor } = world({ "eu-west-1": existing, "eu-central-1": existing, "eu-north-1": { ...existing, execution: "fail" }, "us-east-1": existing });
    for (const f of Object.values(fakes)) {
      f.cfn.config.credentials = async () => ({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: "SESSIONTOKENSECRET" });
    }
    const { result, lines } = await run(env(), clientsFor);
    const everything = JSON.stringify(result) + "\n" + lines.join("\n");
    for (const s of [SECRET, KEY_ID, "SESSIONTOKENSECRET"]) expect(everything).not.toContain(s);
    expect(lines.length).toBeGreaterThan(20);
  });
});

describe("run IDs", () => {
  it("are stable for the same content and change with the image", () => {
    const e = env();
    expect(contentRunId("prod", e, IMAGE, "T")).toBe(contentRunId("prod", e, IMAGE, "T"));
    expect(contentRunId("prod", e, IMAGE, "T")).not.toBe(contentRunId("prod", e, IMAGE.replace("b", "c"), "T"));
    expect(contentRunId("prod", e, IMAGE, "T")).toMatch(/^[0-9a-f]{20}$/);
  });
});

export type { EnvironmentDeployment };
