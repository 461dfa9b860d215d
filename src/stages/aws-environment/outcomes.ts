// The recorded steps of an AWS stage (Gamma, Prod) as outcomes of the DPRA actions of the plan.
// Engine-free.
import type { ActionOutcome } from "../../pipeline/execute.js";
import type { ModelAction, StageAction } from "./steps.js";

function line(s: StageAction): string {
  const detail = s.detail
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("; ");
  return `${s.name}${s.region ? ` (${s.region})` : ""}: ${s.status === "passed" ? "" : `${s.status} `}${detail}`.trim();
}

/**
 * The outcome of one DPRA action from the steps the stage recorded for it: failed when one of its
 * steps failed, not run when all were skipped (with why), passed otherwise. A step `rollback` in the
 * action means the rollout did not stand, so the action failed even when the rollback worked.
 */
export function outcomeFromSteps(steps: readonly StageAction[], models: readonly ModelAction[]): ActionOutcome {
  const mine = steps.filter((s) => models.includes(s.modelAction));
  if (mine.length === 0) return { ok: false, summary: `no step of ${models.join(", ")} ran` };
  const failed = mine.filter((s) => s.status === "failed");
  const rollback = mine.find((s) => s.name === "rollback");
  if (failed.length > 0 || rollback) {
    return { ok: false, summary: [...failed, ...(rollback && rollback.status !== "failed" ? [rollback] : [])].map(line).join("; ") };
  }
  const ran = mine.filter((s) => s.status !== "skipped");
  if (ran.length === 0) return { ok: false, summary: `not run: ${mine[0]!.detail}` };
  return { ok: true, summary: ran.map(line).join("; ") };
}
