import { errorMessage } from "../../errors.js";
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

/** Records actions in order and runs steps, turning a thrown error into a failed action. */
export class ActionLog {
  readonly actions: StageAction[] = [];
  constructor(
    private readonly stage: StageAction["stage"],
    private readonly now: () => Date,
  ) {}

  record(a: Omit<StageAction, "stage" | "modelAction">): void {
    this.actions.push({ stage: this.stage, modelAction: modelActionOf(this.stage, a.name), ...a });
  }

  skip(name: string, detail: string, region?: string): void {
    this.record({ name, status: "skipped", detail, region });
  }

  /** Runs a step; `judge` turns its result into a status and detail. Returns undefined when it threw. */
  async run<T>(
    name: string,
    step: () => Promise<T>,
    judge: (r: T) => { status: StageAction["status"]; detail: string },
    region?: string,
  ): Promise<{ ok: boolean; value?: T; error?: unknown }> {
    const startedAt = this.now().toISOString();
    try {
      const value = await step();
      const j = judge(value);
      this.record({ name, ...j, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: j.status !== "failed", value };
    } catch (error) {
      const detail = errorMessage(error);
      this.record({ name, status: "failed", detail, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: false, error };
    }
  }
}
