// The step log of a rollout and of the stage around it: every step names the DPRA action it belongs
// to (typed by the caller: a stage's actions from the pipeline model), never guessed from its name.
import { errorMessage } from "../../errors.js";

/** One recorded step of a rollout (or of a stage around it). */
export interface Step<A extends string = string> {
  /** The DPRA action this step is part of. */
  modelAction: A;
  name: string;
  status: "passed" | "failed" | "skipped" | "warning";
  detail: string;
  region?: string;
  startedAt?: string;
  endedAt?: string;
}

/** Records steps in order and runs them, turning a thrown error into a failed step. `make` shapes what is kept. */
export class StepLog<A extends string = string, S = Step<A>> {
  readonly steps: S[] = [];
  constructor(
    /** The clock the steps are timed with. */
    readonly now: () => Date,
    private readonly make: (step: Step<A>) => S,
  ) {}

  record(step: Step<A>): void {
    this.steps.push(this.make(step));
  }

  skip(modelAction: A, name: string, detail: string, region?: string): void {
    this.record({ modelAction, name, status: "skipped", detail, region });
  }

  /** Runs a step of `modelAction`; `judge` turns its result into a status and detail. */
  async run<T>(
    modelAction: A,
    name: string,
    step: () => Promise<T>,
    judge: (r: T) => { status: Step["status"]; detail: string },
    region?: string,
  ): Promise<{ ok: boolean; value?: T; error?: unknown }> {
    const startedAt = this.now().toISOString();
    try {
      const value = await step();
      const j = judge(value);
      this.record({ modelAction, name, ...j, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: j.status !== "failed", value };
    } catch (error) {
      this.record({ modelAction, name, status: "failed", detail: errorMessage(error), region, startedAt, endedAt: this.now().toISOString() });
      return { ok: false, error };
    }
  }
}
