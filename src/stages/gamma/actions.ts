import { StepLog } from "../../actions/progressive-deployment/steps.js";

/** The DPRA action (as the pipeline model names it) that a recorded step belongs to. */
export type ModelAction =
  | "db-deploy"
  | "deploy-software"
  | "monitoring"
  | "synthetic-tests"
  | "capacity-tests"
  | "chaos-tests"
  | "approval"
  | "progressive-deployment"
  /** Not a DPRA action: Gamma's verdict recorded against the digest (reported with deploy-software). */
  | "verdict";

/** One recorded pipeline action, for the release summary. */
export interface StageAction {
  stage: "gamma" | "prod";
  /** The DPRA action this step is part of. */
  modelAction: ModelAction;
  name: string;
  status: "passed" | "failed" | "skipped" | "warning";
  detail: string;
  region?: string;
  startedAt?: string;
  endedAt?: string;
}

/** Which DPRA action a step of a stage belongs to, from the step's name. */
export function modelActionOf(stage: StageAction["stage"], name: string): ModelAction {
  if (name === "approval") return "approval";
  if (name === "record verdict") return "verdict";
  if (name.endsWith("db deploy")) return "db-deploy";
  if (name.includes("synthetic")) return "synthetic-tests";
  if (name === "capacity test") return "capacity-tests";
  if (name === "chaos test") return "chaos-tests";
  if (stage === "gamma") return name === "alarms" ? "monitoring" : "deploy-software";
  return "progressive-deployment";
}

/** Records a stage's actions in order (the wave engine's step log, each step tagged with its stage and DPRA action). */
export class ActionLog extends StepLog<StageAction> {
  constructor(stage: StageAction["stage"], now: () => Date) {
    super(now, (step) => ({ stage, modelAction: modelActionOf(stage, step.name), ...step }));
  }

  get actions(): StageAction[] {
    return this.steps;
  }
}
