// Gamma verdict records for the tests of the record (test/stages/gamma/verdict.test.ts) and of the
// promotion decision over it (test/pipeline/promotion.test.ts): Gamma steps that pass, one whose
// canary failed, and the record texts built from them.
import type { ReadVerdict } from "../../src/pipeline/promotion.js";
import type { StageAction } from "../../src/stages/aws-environment/steps.js";
import type { GammaResult } from "../../src/stages/gamma/stage.js";
import { verdictRecordOf } from "../../src/stages/gamma/verdict.js";

export const DIGEST = "sha256:" + "b".repeat(64);
export const OTHER = "sha256:" + "c".repeat(64);
export const HOW = "dagger call release --env gamma --digest 111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@" + DIGEST;
export const ctx = {
  repository: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api",
  runId: "run-7",
  runUrl: "https://github.com/acme/fruit-api/actions/runs/42",
  recordedAt: new Date("2026-12-07T10:00:00Z"),
  environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
};

export const step = (name: string, status: StageAction["status"], detail = "ok"): StageAction => ({ stage: "gamma", modelAction: "deploy-software", name, status, detail });
export const passedSteps = [
  step("deploy", "passed", "stack fruit-api-gamma in eu-west-1"),
  step("verify digest", "passed"),
  step("alarms", "warning", "fruit-api-5xx: INSUFFICIENT_DATA longer than the bake\nsecond line"),
  step("synthetic canary", "passed", "fruit_smoke: PASSED"),
  step("capacity test", "passed", "p95 120 ms"),
];
export const canaryFailedSteps = [
  step("deploy", "passed"),
  step("verify digest", "passed"),
  step("alarms", "passed"),
  step("synthetic canary", "failed", "fruit_smoke (syn-nodejs-playwright-2.0, created): FAILED CANARY_FAILURE\nstack trace"),
  step("capacity test", "skipped", "the synthetic canary failed"),
];
export const result = (passed: boolean, actions: StageAction[]): GammaResult => ({ passed, digest: DIGEST, monitoring: [], actions });

export const recordText = (over: Record<string, unknown>) => JSON.stringify({ ...verdictRecordOf(result(true, passedSteps), ctx), ...over });
export const read = (text: string, i = 0): ReadVerdict => ({ source: `referrer sha256:${String(i).repeat(64)}`, text });
