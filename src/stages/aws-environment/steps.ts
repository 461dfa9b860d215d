// The step log of the AWS stages (Gamma, Prod): every step records the DPRA action it belongs to.
import { StepLog, type Step } from "../../actions/progressive-deployment/steps.js";
import type { ActionName } from "../../pipeline/model.js";

/** The AWS stages that record their steps. */
export type AwsStageId = "gamma" | "prod";

/**
 * The DPRA action (as the pipeline model names it) a step of stage `S` belongs to, or `verdict`: not a
 * DPRA action, Gamma's verdict recorded against the digest (reported with deploy-software).
 */
export type StepAction<S extends AwsStageId> = ActionName<S> | (S extends "gamma" ? "verdict" : never);

/** The DPRA action of a recorded step of either stage. */
export type ModelAction = StepAction<"gamma"> | StepAction<"prod">;

/** One recorded pipeline action, for the release summary; `modelAction` is recorded by the step itself. */
export interface StageAction extends Step<ModelAction> {
  stage: AwsStageId;
}

/** Records a stage's actions in order (the wave engine's step log, each step tagged with its stage). */
export class ActionLog<S extends AwsStageId> extends StepLog<StepAction<S>, StageAction> {
  constructor(stage: S, now: () => Date) {
    // StepAction<S> is a ModelAction for either stage; for a generic S the compiler cannot see that.
    super(now, (step) => ({ stage, ...step, modelAction: step.modelAction as ModelAction }));
  }

  get actions(): StageAction[] {
    return this.steps;
  }
}
