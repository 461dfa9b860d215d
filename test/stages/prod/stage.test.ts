import { describe, expect, it } from "vitest";
import { ApprovalError, resolveApproval } from "../../../src/actions/approval/approval.js";
import type { CanaryReport } from "../../../src/aws/synthetics/canary.js";
import type { WatchObservations } from "../../../src/actions/monitoring/watch-summary.js";
import type { StackDeployment } from "../../../src/stages/gamma/stage.js";
import { approveAndRunProd, runProdStage, type ProdPorts, type ProdSettings, type ProdWave, type WaveDeployer } from "../../../src/stages/prod/stage.js";

const DIGEST = "sha256:" + "d".repeat(64);
const OTHER = "sha256:" + "e".repeat(64);
const T = Date.parse("2026-11-26T10:00:00Z");
const approval = resolveApproval({ ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T) });

const waves: ProdWave[] = [
  { name: "1", regions: ["eu-west-1"], bakeMinutes: 10 },
  { name: "2", regions: ["us-east-1", "us-west-2"], bakeMinutes: 20 },
  { name: "3", regions: ["ap-southeast-2"], bakeMinutes: 30 },
];

const settings: ProdSettings = {
  approval,
  digest: DIGEST,
  waves,
  strategy: "ecs-canary",
  endpointOutput: "ApiEndpoint",
  imageParameter: "ImageUri",
  configuredAlarms: [],
};

const ok = (alarm: string, region: string, phase: string, minutes: number): WatchObservations => ({
  phase,
  region,
  startedAt: T,
  endedAt: T + minutes * 60_000,
  alarms: [{ alarm, exists: true, transitions: [{ state: "OK", at: T }] }],
});
const breach = (alarm: string, region: string, phase: string, minutes: number): WatchObservations => ({
  ...ok(alarm, region, phase, minutes),
  alarms: [
    {
      alarm,
      exists: true,
      transitions: [
        { state: "OK", at: T },
        { state: "ALARM", at: T + 60_000 },
      ],
    },
  ],
});

/** A fake of the cfn helper's wave orchestration that records every call. */
class FakeWaves implements WaveDeployer {
  calls: string[] = [];
  breachShiftIn?: string;
  breachBakeIn?: string;
  digestIn: Record<string, string> = {};
  failDeployOf?: string;
  failRollback = false;

  async deployWave(wave: ProdWave, digest: string): Promise<StackDeployment[]> {
    this.calls.push(`deploy ${wave.name} ${digest.slice(0, 9)}`);
    if (wave.name === this.failDeployOf) throw new Error("UPDATE_ROLLBACK_COMPLETE in us-west-2");
    return wave.regions.map((region) => ({
      stackName: "fruit-api-prod",
      region,
      outputs: { ApiEndpoint: `https://${region}.fruit.example.com`, ErrorsAlarm: `fruit-prod-5xx-${region}` },
      parameters: { ImageUri: `123456789012.dkr.ecr.${region}.amazonaws.com/fruit-api@${this.digestIn[region] ?? digest}` },
      watches: [(this.breachShiftIn === region ? breach : ok)(`fruit-prod-5xx-${region}`, region, "traffic shift", 5)],
    }));
  }

  async bakeWave(wave: ProdWave, alarmsByRegion: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]> {
    this.calls.push(`bake ${wave.name} ${bakeMs / 60_000}min ${JSON.stringify(alarmsByRegion)}`);
    return wave.regions.map((r) => (this.breachBakeIn === r ? breach : ok)(`fruit-prod-5xx-${r}`, r, "bake", bakeMs / 60_000));
  }

  async rollback(regions: string[], reason: string): Promise<void> {
    this.calls.push(`rollback ${regions.join(",")} (${reason})`);
    if (this.failRollback) throw new Error("AccessDenied");
  }
}

function ports(waves: FakeWaves, canaryFailsIn?: string): ProdPorts & { canaryCalls: string[] } {
  const canaryCalls: string[] = [];
  return {
    waves,
    canaryCalls,
    canary: async (region: string, endpoint: string): Promise<CanaryReport> => {
      canaryCalls.push(`${region} ${endpoint}`);
      const failed = region === canaryFailsIn;
      return {
        name: "fruit_smoke",
        runtimeVersion: "syn-nodejs-playwright-2.0",
        action: "updated",
        run: failed ? { state: "FAILED", reasonCode: "CANARY_FAILURE", reason: "status 503" } : { state: "PASSED" },
        steps: [],
        passed: !failed,
      };
    },
    now: () => new Date(T),
  };
}

describe("runProdStage", () => {
  it("deploys wave after wave with bake and a prod synthetic test after each wave", async () => {
    const fake = new FakeWaves();
    const p = ports(fake);
    const r = await runProdStage(p, settings);
    expect(r.passed).toBe(true);
    expect(fake.calls).toEqual([
      "deploy 1 sha256:dd",
      'bake 1 10min {"eu-west-1":["fruit-prod-5xx-eu-west-1"]}',
      "deploy 2 sha256:dd",
      'bake 2 20min {"us-east-1":["fruit-prod-5xx-us-east-1"],"us-west-2":["fruit-prod-5xx-us-west-2"]}',
      "deploy 3 sha256:dd",
      'bake 3 30min {"ap-southeast-2":["fruit-prod-5xx-ap-southeast-2"]}',
    ]);
    expect(p.canaryCalls).toEqual([
      "eu-west-1 https://eu-west-1.fruit.example.com",
      "us-east-1 https://us-east-1.fruit.example.com",
      "us-west-2 https://us-west-2.fruit.example.com",
      "ap-southeast-2 https://ap-southeast-2.fruit.example.com",
    ]);
    expect(r.actions.filter((a) => a.name === "verify digest").map((a) => a.region)).toEqual(["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2"]);
    expect(r.actions[0]).toMatchObject({ name: "approval", detail: "jane (explicit)" });
    expect(r.actions[1]?.detail).toMatch(/ECS native canary/);
    expect(r.rolledBack).toEqual([]);
  });

  it("an alarm breach during a prod wave's bake stops the rollout and rolls back", async () => {
    const fake = new FakeWaves();
    fake.breachBakeIn = "us-west-2";
    const p = ports(fake);
    const r = await runProdStage(p, settings);
    expect(r.passed).toBe(false);
    expect(fake.calls.slice(-1)[0]).toBe("rollback us-west-2,us-east-1,eu-west-1 (alarm breached during the bake of wave 2)");
    expect(fake.calls.some((c) => c.startsWith("deploy 3"))).toBe(false);
    expect(p.canaryCalls).toEqual(["eu-west-1 https://eu-west-1.fruit.example.com"]);
    expect(r.rolledBack).toEqual(["us-west-2", "us-east-1", "eu-west-1"]);
    expect(r.actions.find((a) => a.name === "wave 2: bake 20 min")).toMatchObject({ status: "failed" });
    expect(r.actions.find((a) => a.name === "wave 3")).toMatchObject({ status: "skipped" });
    expect(r.actions.slice(-1)[0]).toMatchObject({ name: "rollback", status: "passed" });
  });

  it("an alarm during the traffic shift rolls back before the bake", async () => {
    const fake = new FakeWaves();
    fake.breachShiftIn = "eu-west-1";
    const r = await runProdStage(ports(fake), settings);
    expect(fake.calls).toEqual(["deploy 1 sha256:dd", "rollback eu-west-1 (alarm during the traffic shift in eu-west-1)"]);
    expect(r.actions.find((a) => a.name === "alarms during traffic shift")?.detail).toMatch(/fruit-prod-5xx-eu-west-1 \(stack-output\): ALARM/);
  });

  it("stops when a stack runs another digest than Gamma deployed", async () => {
    const fake = new FakeWaves();
    fake.digestIn["us-east-1"] = OTHER;
    const r = await runProdStage(ports(fake), settings);
    expect(r.passed).toBe(false);
    expect(r.actions.find((a) => a.name === "verify digest" && a.status === "failed")?.detail).toMatch(new RegExp(`runs ${OTHER}, but the release promotes ${DIGEST}`));
    expect(fake.calls.slice(-1)[0]).toMatch(/^rollback us-west-2,us-east-1,eu-west-1 \(digest mismatch in us-east-1\)/);
  });

  it("rolls back when the prod synthetic test fails after a wave", async () => {
    const fake = new FakeWaves();
    const r = await runProdStage(ports(fake, "eu-west-1"), settings);
    expect(r.passed).toBe(false);
    expect(fake.calls.slice(-1)[0]).toBe("rollback eu-west-1 (prod synthetic test failed after wave 1)");
    expect(r.actions.find((a) => a.name === "prod synthetic test")?.detail).toMatch(/FAILED: CANARY_FAILURE: status 503/);
  });

  it("rolls back the whole wave and earlier waves when a wave deploy fails", async () => {
    const fake = new FakeWaves();
    fake.failDeployOf = "2";
    const r = await runProdStage(ports(fake), settings);
    expect(fake.calls.slice(-1)[0]).toBe("rollback us-west-2,us-east-1,eu-west-1 (wave 2 deploy failed)");
    expect(r.actions.find((a) => a.name === "wave 2: deploy")?.detail).toMatch(/UPDATE_ROLLBACK_COMPLETE/);
  });

  it("says loudly when the rollback itself fails", async () => {
    const fake = new FakeWaves();
    fake.breachBakeIn = "eu-west-1";
    fake.failRollback = true;
    const r = await runProdStage(ports(fake), settings);
    expect(r.rolledBack).toEqual([]);
    expect(r.actions.slice(-1)[0]).toMatchObject({ name: "rollback", status: "failed" });
    expect(r.actions.slice(-1)[0]?.detail).toMatch(/ROLLBACK FAILED \(AccessDenied\): check eu-west-1 by hand/);
  });

  it("refuses a prod stack without any alarm", async () => {
    const fake = new FakeWaves();
    const orig = fake.deployWave.bind(fake);
    fake.deployWave = async (w, d) => (await orig(w, d)).map((x) => ({ ...x, outputs: { ApiEndpoint: x.outputs.ApiEndpoint as string }, watches: [] }));
    const r = await runProdStage(ports(fake), settings);
    expect(r.passed).toBe(false);
    expect(r.actions.find((a) => a.name === "alarms during traffic shift")?.detail).toMatch(/prod cannot roll back on its own/);
  });
});

describe("model actions", () => {
  it("records every prod step with the DPRA action of the pipeline model", async () => {
    const r = await runProdStage(ports(new FakeWaves()), { ...settings, waves: [{ name: "pilot", regions: ["eu-west-1"], bakeMinutes: 60 }] });
    const modelActionOf = (name: string) => r.actions.find((a) => a.name === name)?.modelAction;
    expect(modelActionOf("wave pilot: bake 60 min")).toBe("progressive-deployment");
    expect(modelActionOf("prod synthetic test")).toBe("synthetic-tests");
    expect(modelActionOf("approval")).toBe("approval");
  });
});

describe("approveAndRunProd", () => {
  it("without an approval, nothing is deployed and the message says what to do", async () => {
    const fake = new FakeWaves();
    const { approval: _a, ...rest } = settings;
    await expect(
      approveAndRunProd({ ciVars: {}, requiredEnvironment: "prod", allowedSources: ["ci-environment", "explicit"], now: new Date(T) }, [], ports(fake), rest),
    ).rejects.toThrow(ApprovalError);
    await expect(
      approveAndRunProd({ ciVars: {}, requiredEnvironment: "prod", allowedSources: ["ci-environment", "explicit"], now: new Date(T) }, [], ports(fake), rest),
    ).rejects.toThrow(/nothing was deployed to prod[\s\S]*--approved-by <name>/);
    expect(fake.calls).toEqual([]);
  });

  it("with an approval, writes the approval report with the change sets and runs prod", async () => {
    const fake = new FakeWaves();
    const { approval: _a, ...rest } = settings;
    const out = await approveAndRunProd(
      { ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T) },
      [{ stack: "fruit-api-prod", region: "eu-west-1", diff: "~ ImageUri: ...@sha256:aaa -> ...@sha256:ddd" }],
      ports(fake),
      rest,
    );
    expect(out.prod.passed).toBe(true);
    expect(out.approvalReport).toContain("### fruit-api-prod (eu-west-1)");
    expect(out.approvalReport).toContain("- Approved by: jane (--approved-by, self-asserted (approval.sources lists explicit))");
    expect(out.approvalReport).toContain("- **Self-asserted**");
  });
});
