import { describe, expect, it, vi } from "vitest";
import type { CanaryReport } from "../../../src/aws/synthetics/canary.js";
import type { ChaosReport } from "../../../src/actions/chaos-tests/experiment.js";
import { runGammaStage, type GammaPorts, type GammaSettings, type StackDeployment } from "../../../src/stages/gamma/stage.js";
import { DigestMismatchError } from "../../../src/digest.js";
import { endpointFromOutputs, verifyDeployedDigest } from "../../../src/cloudformation/stack-facts.js";

const DIGEST = "sha256:" + "b".repeat(64);
const OTHER = "sha256:" + "c".repeat(64);
const T = Date.parse("2026-11-26T09:00:00Z");

function deployment(over: Partial<StackDeployment> = {}): StackDeployment {
  return {
    stackName: "fruit-api-gamma",
    region: "eu-west-1",
    outputs: { ApiEndpoint: "https://gamma.fruit.example.com/", ErrorsAlarm: "fruit-gamma-5xx", ChaosTemplate: "EXTabc" },
    parameters: { ImageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@${DIGEST}` },
    watches: [
      {
        phase: "deploy+bake",
        region: "eu-west-1",
        startedAt: T,
        endedAt: T + 600_000,
        alarms: [{ alarm: "fruit-gamma-5xx", exists: true, transitions: [{ state: "OK", at: T }] }],
      },
    ],
    ...over,
  };
}

const passedCanary: CanaryReport = {
  name: "fruit_smoke",
  runtimeVersion: "syn-nodejs-playwright-2.0",
  action: "created",
  run: { id: "r1", state: "PASSED" },
  steps: [],
  passed: true,
};

function ports(over: Partial<GammaPorts> = {}): GammaPorts & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    deploy: vi.fn(async (digest: string) => (calls.push(`deploy ${digest}`), deployment())),
    canary: vi.fn(async (endpoint: string) => (calls.push(`canary ${endpoint}`), passedCanary)),
    now: () => new Date(T),
    ...over,
  };
}

const settings: GammaSettings = { digest: DIGEST, endpointOutput: "ApiEndpoint", imageParameter: "ImageUri", configuredAlarms: [], bakeMinutes: 5 };

describe("runGammaStage", () => {
  it("deploys, verifies the digest, checks alarms and runs the canary against the endpoint from the outputs", async () => {
    const p = ports();
    const r = await runGammaStage(p, settings);
    expect(r.passed).toBe(true);
    expect(r.endpoint).toBe("https://gamma.fruit.example.com");
    expect(p.calls).toEqual([`deploy ${DIGEST}`, "canary https://gamma.fruit.example.com"]);
    expect(r.actions.map((a) => [a.name, a.status])).toEqual([
      ["deploy", "passed"],
      ["verify digest", "passed"],
      ["alarms", "passed"],
      ["synthetic canary", "passed"],
    ]);
    expect(r.actions.find((a) => a.name === "alarms")?.detail).toMatch(/watched 1 alarm\(s\) for 600 s/);
  });

  it("stops on a digest mismatch before any test runs", async () => {
    const p = ports({ deploy: async () => deployment({ parameters: { ImageUri: `repo@${OTHER}` } }) });
    const r = await runGammaStage(p, settings);
    expect(r.passed).toBe(false);
    expect(r.actions.map((a) => [a.name, a.status])).toEqual([
      ["deploy", "passed"],
      ["verify digest", "failed"],
      ["alarms", "skipped"],
      ["synthetic canary", "skipped"],
    ]);
    expect(p.canary).not.toHaveBeenCalled();
  });

  it("warns when no alarms exist at all (the one no-alarms rule refuses prod only), and fails when a configured alarm is missing", async () => {
    const none = await runGammaStage(ports({ deploy: async () => deployment({ outputs: { ApiEndpoint: "https://g" }, watches: [] }) }), settings);
    expect(none.actions.find((a) => a.name === "alarms")).toMatchObject({ status: "warning" });
    expect(none.actions.find((a) => a.name === "alarms")?.detail).toMatch(/no alarms .*nothing can trigger a rollback of gamma \(prod refuses this\)/);

    const missing = await runGammaStage(ports(), { ...settings, configuredAlarms: ["fruit-gamma-latency"] });
    expect(missing.passed).toBe(false);
    expect(missing.actions.find((a) => a.name === "alarms")?.detail).toMatch(/fruit-gamma-latency \(config\): MISSING/);
  });

  it("fails the canary step with the list of outputs when the endpoint output is absent", async () => {
    const r = await runGammaStage(ports(), { ...settings, endpointOutput: "Url" });
    expect(r.actions.find((a) => a.name === "synthetic canary")).toMatchObject({ status: "failed" });
    expect(r.actions.find((a) => a.name === "synthetic canary")?.detail).toMatch(/no output "Url" .*outputs: ApiEndpoint, ErrorsAlarm, ChaosTemplate/);
  });

  it("records a failing canary and skips capacity and chaos", async () => {
    const capacity = vi.fn();
    const chaos = vi.fn();
    const r = await runGammaStage(
      ports({ canary: async () => ({ ...passedCanary, passed: false, run: { state: "FAILED", reasonCode: "CANARY_FAILURE", reason: "502" } }), capacity, chaos }),
      { ...settings, chaos: { experimentTemplateOutput: "ChaosTemplate" } },
    );
    expect(r.passed).toBe(false);
    expect(r.actions.find((a) => a.name === "synthetic canary")?.detail).toMatch(/FAILED: CANARY_FAILURE: 502/);
    expect(r.actions.slice(-2).map((a) => [a.name, a.status])).toEqual([
      ["capacity test", "skipped"],
      ["chaos test", "skipped"],
    ]);
    expect(capacity).not.toHaveBeenCalled();
    expect(chaos).not.toHaveBeenCalled();
  });

  it("runs capacity then chaos with the template from the stack output", async () => {
    const chaosReport: ChaosReport = {
      experimentId: "EXP1",
      experimentStatus: "completed",
      stopped: { requested: true },
      before: { from: 0, to: 1, requests: 10, successRate: 1, p95Ms: 100 },
      during: { from: 1, to: 2, requests: 10, successRate: 1, p95Ms: 120 },
      checks: [{ name: "success rate", passed: true, detail: "100%" }],
      passed: true,
    };
    const capacity = vi.fn(async () => ({ verdict: { passed: true, metrics: { p95Ms: 1, errorRate: 0, rps: 1, requests: 1 }, checks: [] }, report: "ok", k6ExitCode: 0 }));
    const chaos = vi.fn(async () => chaosReport);
    const r = await runGammaStage(ports({ capacity, chaos }), { ...settings, chaos: { experimentTemplateOutput: "ChaosTemplate" } });
    expect(r.passed).toBe(true);
    expect(capacity).toHaveBeenCalledWith("https://gamma.fruit.example.com");
    expect(chaos).toHaveBeenCalledWith("https://gamma.fruit.example.com", "EXTabc");
    expect(r.actions.map((a) => a.name)).toEqual(["deploy", "verify digest", "alarms", "synthetic canary", "capacity test", "chaos test"]);
  });

  it("records a failed deploy and skips everything after it", async () => {
    const r = await runGammaStage(ports({ deploy: async () => Promise.reject(new Error("UPDATE_ROLLBACK_COMPLETE: Resource handler returned message")) }), settings);
    expect(r.actions.map((a) => [a.name, a.status])).toEqual([
      ["deploy", "failed"],
      ["verify digest", "skipped"],
      ["alarms", "skipped"],
      ["synthetic canary", "skipped"],
    ]);
    expect(r.actions[0]?.detail).toMatch(/UPDATE_ROLLBACK_COMPLETE/);
  });
});

describe("stack facts", () => {
  it("verifies the ImageUri digest and stops on a tag or another digest", () => {
    const where = { stack: "fruit-api-prod", region: "us-east-1" };
    expect(verifyDeployedDigest({ ImageUri: `r@${DIGEST}` }, DIGEST, where)).toBe(`r@${DIGEST}`);
    expect(() => verifyDeployedDigest({ ImageUri: `r@${OTHER}` }, DIGEST, where)).toThrow(DigestMismatchError);
    expect(() => verifyDeployedDigest({ ImageUri: `r@${OTHER}` }, DIGEST, where)).toThrow(
      new RegExp(`stack fruit-api-prod in us-east-1 runs ${OTHER}, but the release promotes ${DIGEST}`),
    );
    expect(() => verifyDeployedDigest({ ImageUri: "r:latest" }, DIGEST, where)).toThrow(/not pinned by digest/);
    expect(() => verifyDeployedDigest({}, DIGEST, where)).toThrow(/has no ImageUri parameter/);
    expect(() => verifyDeployedDigest({ Image: `r@${DIGEST}` }, DIGEST, where, "Image")).not.toThrow();
    expect(() => verifyDeployedDigest({ ImageUri: `r@${DIGEST}` }, "latest", where)).toThrow(/not sha256/);
  });

  it("reads the endpoint output as a URL", () => {
    expect(endpointFromOutputs({ Url: "https://x.example.com/" }, "Url", "s")).toBe("https://x.example.com");
    expect(() => endpointFromOutputs({ Url: "not a url" }, "Url", "s")).toThrow(/not a URL/);
    expect(() => endpointFromOutputs({ Url: "ftp://x" }, "Url", "s")).toThrow(/http\(s\) URL/);
  });
});

describe("model actions", () => {
  it("records every step with the DPRA action of the pipeline model", async () => {
    const r = await runGammaStage(ports(), settings);
    expect(r.actions.map((a) => [a.name, a.modelAction])).toEqual([
      ["deploy", "deploy-software"],
      ["verify digest", "deploy-software"],
      ["alarms", "monitoring"],
      ["synthetic canary", "synthetic-tests"],
    ]);
    // Capacity and chaos, when configured. (Prod's steps: test/stages/prod/stage.test.ts.)
    const chaosReport: ChaosReport = {
      experimentId: "EXP1",
      experimentStatus: "completed",
      stopped: { requested: true },
      before: { from: 0, to: 1, requests: 10, successRate: 1, p95Ms: 100 },
      during: { from: 1, to: 2, requests: 10, successRate: 1, p95Ms: 120 },
      checks: [{ name: "success rate", passed: true, detail: "100%" }],
      passed: true,
    };
    const capacity = async () => ({ verdict: { passed: true, metrics: { p95Ms: 1, errorRate: 0, rps: 1, requests: 1 }, checks: [] }, report: "ok", k6ExitCode: 0 });
    const full = await runGammaStage(ports({ capacity, chaos: async () => chaosReport }), { ...settings, chaos: { experimentTemplateOutput: "ChaosTemplate" } });
    const modelActionOf = (name: string) => full.actions.find((a) => a.name === name)?.modelAction;
    expect(modelActionOf("chaos test")).toBe("chaos-tests");
    expect(modelActionOf("capacity test")).toBe("capacity-tests");
  });
});
