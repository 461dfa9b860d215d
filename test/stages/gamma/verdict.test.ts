// Level 4 (fixture unit test): the Gamma verdict record, built from a Gamma result, and its schema's
// refusal of a pass that is not one. The decision over the records: test/pipeline/promotion.test.ts.
import { describe, expect, it } from "vitest";
import { GammaVerdictRecord, parseVerdictRecord } from "../../../src/pipeline/promotion.js";
import { verdictChecks, verdictRecordOf } from "../../../src/stages/gamma/verdict.js";
import { canaryFailedSteps, ctx, DIGEST, passedSteps, result, step } from "../../support/gamma-verdicts.js";

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
