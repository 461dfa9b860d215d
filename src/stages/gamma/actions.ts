import { errorMessage } from "../../errors.js";
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

/** One recorded pipeline action, for the release summary. */
export interface StageAction {
  stage: AwsStageId;
  /** The DPRA action this step is part of, recorded by the step itself. */
  modelAction: ModelAction;
  name: string;
  status: "passed" | "failed" | "skipped" | "warning";
  detail: string;
  region?: string;
  startedAt?: string;
  endedAt?: string;
}

/** Records actions in order and runs steps, turning a thrown error into a failed action. */
export class ActionLog<S extends AwsStageId> {
  readonly actions: StageAction[] = [];
  constructor(
    private readonly stage: S,
    private readonly now: () => Date,
  ) {}

  record(a: Omit<StageAction, "stage" | "modelAction"> & { modelAction: StepAction<S> }): void {
    // StepAction<S> is a ModelAction for either stage; for a generic S the compiler cannot see that.
    this.actions.push({ stage: this.stage, ...a, modelAction: a.modelAction as ModelAction });
  }

  skip(modelAction: StepAction<S>, name: string, detail: string, region?: string): void {
    this.record({ modelAction, name, status: "skipped", detail, region });
  }

  /** Runs a step of `modelAction`; `judge` turns its result into a status and detail. Returns undefined when it threw. */
  async run<T>(
    modelAction: StepAction<S>,
    name: string,
    step: () => Promise<T>,
    judge: (r: T) => { status: StageAction["status"]; detail: string },
    region?: string,
  ): Promise<{ ok: boolean; value?: T; error?: unknown }> {
    const startedAt = this.now().toISOString();
    try {
      const value = await step();
      const j = judge(value);
      this.record({ modelAction, name, ...j, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: j.status !== "failed", value };
    } catch (error) {
      const detail = errorMessage(error);
      this.record({ modelAction, name, status: "failed", detail, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: false, error };
    }
  }
}
