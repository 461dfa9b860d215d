// Gamma's verdict on one image digest, built from the Gamma result: the checks it ran and the
// record (schema and promotion decision: src/pipeline/promotion.ts). No Dagger or AWS types.
import { GammaVerdictRecord, type VerdictCheckName } from "../../pipeline/promotion.js";
import type { StageAction } from "../aws-environment/steps.js";
import type { GammaResult } from "./stage.js";

const STEP_TO_CHECK: Record<string, VerdictCheckName> = {
  "db deploy": "db-deploy",
  deploy: "deploy",
  "verify digest": "verify-digest",
  alarms: "alarms",
  "synthetic canary": "canary",
  "capacity test": "capacity",
  "chaos test": "chaos",
};

export interface VerdictContext {
  /** `<registry host>/<repository>`. */
  repository: string;
  runId: string;
  runUrl?: string;
  recordedAt: Date;
  environment: { account: string; region: string; stack: string };
}

const DETAIL_MAX = 300;

/** The checks Gamma ran (and skipped), one per step; a warning counts as passed and keeps its detail. */
export function verdictChecks(actions: readonly StageAction[]): GammaVerdictRecord["checks"] {
  const checks: GammaVerdictRecord["checks"] = [];
  for (const a of actions) {
    const name = STEP_TO_CHECK[a.name];
    if (!name) continue;
    const status = a.status === "warning" ? "passed" : a.status;
    const first = a.detail.split("\n")[0]?.trim() ?? "";
    const detail = a.status === "warning" ? `warning: ${first}` : first;
    // A first-deploy DB deploy runs twice (deferred, then into the new stack): one check, the worse status.
    const earlier = checks.find((c) => c.name === name);
    if (earlier) {
      if (status === "failed" || earlier.status === "skipped") Object.assign(earlier, { status, ...(detail ? { detail: detail.slice(0, DETAIL_MAX) } : {}) });
      continue;
    }
    checks.push({ name, status, ...(detail ? { detail: detail.slice(0, DETAIL_MAX) } : {}) });
  }
  return checks;
}

/** The record of one Gamma run on a digest: passed only when the stage passed. */
export function verdictRecordOf(result: GammaResult, ctx: VerdictContext): GammaVerdictRecord {
  const checks = verdictChecks(result.actions);
  if (checks.length === 0) throw new Error(`Gamma recorded no check for ${result.digest}: there is no verdict to record`);
  return GammaVerdictRecord.parse({
    schemaVersion: 1,
    subject: result.digest,
    repository: ctx.repository,
    verdict: result.passed ? "passed" : "failed",
    runId: ctx.runId,
    ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    recordedAt: ctx.recordedAt.toISOString(),
    environment: ctx.environment,
    checks,
  });
}
