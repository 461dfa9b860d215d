import { describe, expect, it } from "vitest";
import { resolveApproval } from "../../../src/actions/approval/approval.js";
import { runGammaStage, type StackDeployment } from "../../../src/stages/gamma/stage.js";
import { digestForProd, formatActions } from "../../../src/stages/gamma/summary.js";
import { runProdStage, type ProdWave, type WaveDeployer } from "../../../src/stages/prod/stage.js";

const BETA_DIGEST = "sha256:" + "1".repeat(64);
const T = Date.parse("2026-11-26T10:00:00Z");

function stack(region: string, digest: string, name: string): StackDeployment {
  return {
    stackName: name,
    region,
    outputs: { ApiEndpoint: `https://${region}.example.com`, ErrorsAlarm: `${name}-5xx` },
    parameters: { ImageUri: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@${digest}` },
    watches: [{ phase: "deploy", region, startedAt: T, endedAt: T + 60_000, alarms: [{ alarm: `${name}-5xx`, exists: true, transitions: [{ state: "OK", at: T }] }] }],
  };
}

const canary = async () => ({ name: "c", runtimeVersion: "syn-nodejs-playwright-2.0", action: "updated" as const, run: { state: "PASSED" as const }, steps: [], passed: true });

describe("promotion from Gamma to Prod", () => {
  it("prod deploys exactly the digest Gamma deployed and verified", async () => {
    const gamma = await runGammaStage(
      { deploy: async (d) => stack("eu-west-1", d, "fruit-api-gamma"), canary, now: () => new Date(T) },
      { digest: BETA_DIGEST, endpointOutput: "ApiEndpoint", imageParameter: "ImageUri", configuredAlarms: [], bakeMinutes: 5 },
    );
    const deployedDigests: string[] = [];
    const waves: WaveDeployer = {
      deployWave: async (w: ProdWave, digest: string) => {
        deployedDigests.push(digest);
        return w.regions.map((r) => stack(r, digest, "fruit-api-prod"));
      },
      bakeWave: async (w: ProdWave) => w.regions.map((r) => stack(r, BETA_DIGEST, "fruit-api-prod").watches[0]!),
      rollback: async () => undefined,
    };
    const prod = await runProdStage(
      { waves, canary, now: () => new Date(T) },
      {
        approval: resolveApproval({ ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T) }),
        digest: digestForProd(gamma),
        waves: [
          { name: "1", regions: ["eu-west-1"], bakeMinutes: 5 },
          { name: "2", regions: ["us-east-1"], bakeMinutes: 5 },
        ],
        strategy: "ecs-blue-green",
        endpointOutput: "ApiEndpoint",
        imageParameter: "ImageUri",
        configuredAlarms: [],
      },
    );
    expect(prod.passed).toBe(true);
    expect(deployedDigests).toEqual([BETA_DIGEST, BETA_DIGEST]);
    const summary = formatActions([...gamma.actions, ...prod.actions]);
    expect(summary).toMatch(/- gamma · verify digest \(eu-west-1\): \*\*ok\*\* ImageUri=.*@sha256:1{64}/);
    expect(summary).toMatch(/- prod · verify digest \(us-east-1\): \*\*ok\*\*/);
    expect(summary).toMatch(/- gamma · alarms \(eu-west-1\): \*\*ok\*\* deploy in eu-west-1: watched 1 alarm\(s\) for 60 s\n {4}fruit-api-gamma-5xx \(stack-output\): OK/);
  });

  it("does not hand a digest to prod when Gamma failed", async () => {
    const gamma = await runGammaStage(
      {
        deploy: async (d) => stack("eu-west-1", d, "g"),
        canary: async () => ({ ...(await canary()), passed: false, run: { state: "FAILED" as const, reason: "502" } }),
        now: () => new Date(T),
      },
      { digest: BETA_DIGEST, endpointOutput: "ApiEndpoint", imageParameter: "ImageUri", configuredAlarms: [], bakeMinutes: 5 },
    );
    expect(() => digestForProd(gamma)).toThrow(/Gamma did not pass \(synthetic canary: .*FAILED: 502\): prod is not started/);
  });
});
