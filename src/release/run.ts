// Release composition: the run of a plan through the registered stage providers
// (src/pipeline/stage.ts). A release to an environment whose stage has no provider fails before
// anything runs, naming the stage. Engine-free and generic over the context the stages pass along.
import { executePlan, type ActionRunner, type ExecuteOptions, type PlanRun } from "../pipeline/execute.js";
import { missingRequired, type RunPlan } from "../pipeline/plan.js";
import { stageDef, type ActionId } from "../pipeline/model.js";
import type { ReleaseStageId, StageRegistry } from "../pipeline/stage.js";

/** Thrown before anything runs when a release cannot be composed. */
export class ReleaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseSetupError";
  }
}

/** Fails, naming the stage, when the plan runs a stage nobody provides, or skips a required action. */
export function checkRelease<C>(plan: RunPlan, registry: StageRegistry<C>): void {
  const available = Object.keys(registry).join(", ") || "none";
  for (const stage of plan.stages) {
    const needed = stage.actions.some((a) => a.kind === "run" && (a.state === "run" || a.state === "not-configured"));
    if (!needed || registry[stage.id as ReleaseStageId]) continue;
    throw new ReleaseSetupError(
      `release --env ${plan.target} needs the ${stageDef(stage.id).proseHeading} stage, and no provider for it is registered ` +
        `(stages registered: ${available}). Register a StageProvider for ${stage.id}.`,
    );
  }
  const missing = missingRequired(plan);
  if (missing.length > 0) {
    throw new ReleaseSetupError(`release --env ${plan.target}: required DPRA actions are not configured:\n  - ${missing.join("\n  - ")}`);
  }
}

/** Checks the release, then executes the plan with the providers' runners. */
export async function runRelease<C>(plan: RunPlan, registry: StageRegistry<C>, ctx: C, options: ExecuteOptions = {}): Promise<PlanRun> {
  checkRelease(plan, registry);
  const runners: Partial<Record<ActionId, ActionRunner>> = {};
  const unprovided: string[] = [];
  for (const stage of plan.stages) {
    const provider = registry[stage.id as ReleaseStageId];
    if (!provider || !stage.runs) continue;
    // Typed per stage; read by any ID here (a provider's map may still lack one at run time).
    const provided: Partial<Record<ActionId, ActionRunner>> = provider.runners(ctx);
    const unavailable: Partial<Record<ActionId, string>> = provider.unavailable ?? {};
    for (const action of stage.actions.filter((a) => a.state === "run")) {
      const runner = provided[action.id];
      if (runner) runners[action.id] = runner;
      else unprovided.push(`${action.id} (${action.title}, configured as ${action.detail}): ${unavailable[action.id] ?? "no runner"}`);
    }
  }
  if (unprovided.length > 0) {
    // Nothing has run yet: better to stop here than to deploy half a stage.
    throw new ReleaseSetupError(`release --env ${plan.target}: this version of dpra cannot run these configured actions:\n  - ${unprovided.join("\n  - ")}`);
  }
  return executePlan(plan, runners, options);
}
