// Level 4 (fixture unit test): the promotion decision a prod-only release takes over the Gamma
// verdict records attached to a digest (src/pipeline/promotion.ts).
import { describe, expect, it } from "vitest";
import { decidePromotion } from "../../src/pipeline/promotion.js";
import { verdictRecordOf } from "../../src/stages/gamma/verdict.js";
import { canaryFailedSteps, ctx, DIGEST, HOW, OTHER, read, recordText, result } from "../support/gamma-verdicts.js";

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
