// Level 4 (fixture unit test): the Gamma verdict record (schema, built from a Gamma result) and the
// promotion decision a prod-only release takes over the records attached to a digest.
import { describe, expect, it } from "vitest";
import type { StageAction } from "../../../src/stages/aws-environment/steps.js";
import type { GammaResult } from "../../../src/stages/gamma/stage.js";
import { decidePromotion, GammaVerdictRecord, parseVerdictRecord, type ReadVerdict } from "../../../src/pipeline/promotion.js";
import { verdictChecks, verdictRecordOf } from "../../../src/stages/gamma/verdict.js";

const DIGEST = "sha256:" + "b".repeat(64);
const OTHER = "sha256:" + "c".repeat(64);
const HOW = "dagger call release --env gamma --digest 111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@" + DIGEST;
const ctx = {
  repository: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api",
  runId: "run-7",
  runUrl: "https://github.com/acme/fruit-api/actions/runs/42",
  recordedAt: new Date("2026-12-07T10:00:00Z"),
  environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
};

const step = (name: string, status: StageAction["status"], detail = "ok"): StageAction => ({ stage: "gamma", modelAction: "deploy-software", name, status, detail });
const passedSteps = [
  step("deploy", "passed", "stack fruit-api-gamma in eu-west-1"),
  step("verify digest", "passed"),
  step("alarms", "warning", "fruit-api-5xx: INSUFFICIENT_DATA longer than the bake\nsecond line"),
  step("synthetic canary", "passed", "fruit_smoke: PASSED"),
  step("capacity test", "passed", "p95 120 ms"),
];
const canaryFailedSteps = [
  step("deploy", "passed"),
  step("verify digest", "passed"),
  step("alarms", "passed"),
  step("synthetic canary", "failed", "fruit_smoke (syn-nodejs-playwright-2.0, created): FAILED CANARY_FAILURE\nstack trace"),
  step("capacity test", "skipped", "the synthetic canary failed"),
];
const result = (passed: boolean, actions: StageAction[]): GammaResult => ({ passed, digest: DIGEST, monitoring: [], actions });

const recordText = (over: Record<string, unknown>) => JSON.stringify({ ...verdictRecordOf(result(true, passedSteps), ctx), ...over });
const read = (text: string, i = 0): ReadVerdict => ({ source: `referrer sha256:${String(i).repeat(64)}`, text });

describe("the Gamma verdict record", () => {
  it("a passing Gamma becomes a passed record naming the run, the time, the stack and every check", () => {
    const record = verdictRecordOf(result(true, passedSteps), ctx);
    expect(record).toEqual({
      schemaVersion: 1,
      subject: DIGEST,
      repository: ctx.repository,
      verdict: "passed",
      runId: "run-7",
      runUrl: ctx.runUrl,
      recordedAt: "2026-12-07T10:00:00.000Z",
      environment: ctx.environment,
      checks: [
        { name: "deploy", status: "passed", detail: "stack fruit-api-gamma in eu-west-1" },
        { name: "verify-digest", status: "passed", detail: "ok" },
        { name: "alarms", status: "passed", detail: "warning: fruit-api-5xx: INSUFFICIENT_DATA longer than the bake" },
        { name: "canary", status: "passed", detail: "fruit_smoke: PASSED" },
        { name: "capacity", status: "passed", detail: "p95 120 ms" },
      ],
    });
    expect(parseVerdictRecord(JSON.stringify(record), "x")).toEqual(record);
  });

  it("a failed canary becomes a failed record with the canary failed and the later checks skipped", () => {
    const record = verdictRecordOf(result(false, canaryFailedSteps), ctx);
    expect(record.verdict).toBe("failed");
    expect(record.checks.map((c) => `${c.name}:${c.status}`)).toEqual(["deploy:passed", "verify-digest:passed", "alarms:passed", "canary:failed", "capacity:skipped"]);
  });

  it("a first deploy's two DB deploy steps are one check with the worse status; rollback and other steps are not checks", () => {
    const checks = verdictChecks([step("db deploy", "passed", "deferred"), step("deploy", "passed"), step("db deploy", "failed", "exit 1"), step("rollback", "passed")]);
    expect(checks).toEqual([
      { name: "db-deploy", status: "failed", detail: "exit 1" },
      { name: "deploy", status: "passed", detail: "ok" },
    ]);
  });

  it("refuses a pass that is not one: a failed check, or a mandatory check missing", () => {
    const record = verdictRecordOf(result(true, passedSteps), ctx);
    expect(GammaVerdictRecord.safeParse({ ...record, checks: [...record.checks, { name: "chaos", status: "failed" }] }).success).toBe(false);
    expect(() => parseVerdictRecord(JSON.stringify({ ...record, checks: record.checks.filter((c) => c.name !== "canary") }), "f")).toThrow(
      'f: field "checks": verdict "passed" without a passed canary check',
    );
    expect(() => verdictRecordOf(result(true, canaryFailedSteps), ctx)).toThrow();
  });
});

describe("decidePromotion", () => {
  const passed = recordText({});
  const failed = JSON.stringify(verdictRecordOf(result(false, canaryFailedSteps), { ...ctx, runId: "run-8", recordedAt: new Date("2026-12-07T11:00:00Z") }));

  it("no record: refused, saying what to run", () => {
    expect(decidePromotion(DIGEST, [], HOW)).toEqual({ promotable: false, reason: `no Gamma pass record for ${DIGEST}: run \`${HOW}\` first` });
  });

  it("a pass record: promotable, naming the run", () => {
    const decision = decidePromotion(DIGEST, [read(passed)], HOW);
    expect(decision.promotable).toBe(true);
    if (decision.promotable)
      expect(decision.summary).toBe(
        `${DIGEST} passed Gamma in run run-7 (${ctx.runUrl}), 2026-12-07T10:00:00.000Z (deploy, verify-digest, alarms, canary, capacity; stack fruit-api-gamma in eu-west-1)`,
      );
  });

  it("the newest record wins: a failed canary after a pass refuses, naming the failed check; a pass after a failure promotes", () => {
    const refused = decidePromotion(DIGEST, [read(passed, 1), read(failed, 2)], HOW);
    expect(refused).toEqual({
      promotable: false,
      reason: `${DIGEST} failed Gamma in run run-8 (${ctx.runUrl}), 2026-12-07T11:00:00.000Z: canary (fruit_smoke (syn-nodejs-playwright-2.0, created): FAILED CANARY_FAILURE). It cannot be promoted; release a fixed image, or run \`${HOW}\` again to record a newer pass`,
    });
    const later = recordText({ runId: "run-9", recordedAt: "2026-12-07T12:00:00.000Z" });
    const promoted = decidePromotion(DIGEST, [read(failed, 1), read(later, 2), read(passed, 3)], HOW);
    expect(promoted.promotable && promoted.record.runId).toBe("run-9");
    // Order of discovery does not matter, only recordedAt.
    expect(decidePromotion(DIGEST, [read(failed, 2), read(passed, 1)], HOW).promotable).toBe(false);
  });

  it("a malformed record is refused naming the field, even next to a pass", () => {
    const bad = recordText({ verdict: "green" });
    const decision = decidePromotion(DIGEST, [read(passed, 1), read(bad, 2)], HOW);
    expect(decision.promotable).toBe(false);
    if (!decision.promotable) expect(decision.reason).toMatch(/^a Gamma verdict record of sha256:b{64} is malformed: referrer sha256:2{64}: field "verdict": /);
    const notJson = decidePromotion(DIGEST, [read("{", 1)], HOW);
    expect(!notJson.promotable && notJson.reason).toMatch(/referrer sha256:1{64}: not JSON/);
    const noTime = decidePromotion(DIGEST, [read(recordText({ recordedAt: "yesterday" }))], HOW);
    expect(!noTime.promotable && noTime.reason).toContain('field "recordedAt"');
  });

  it("a record about another digest does not vouch for this one", () => {
    const decision = decidePromotion(DIGEST, [read(recordText({ subject: OTHER }))], HOW);
    expect(decision).toEqual({
      promotable: false,
      reason: `referrer sha256:${"0".repeat(64)}: field "subject" names ${OTHER}, but the record is attached to ${DIGEST}; it cannot vouch for this digest`,
    });
  });
});
