/** One recorded step of a rollout (or of a stage around it). */
export interface Step {
  name: string;
  status: "passed" | "failed" | "skipped" | "warning";
  detail: string;
  region?: string;
  startedAt?: string;
  endedAt?: string;
}

/** Records steps in order and runs them, turning a thrown error into a failed step. `make` shapes what is kept. */
export class StepLog<S extends Step = Step> {
  readonly steps: S[] = [];
  constructor(
    /** The clock the steps are timed with. */
    readonly now: () => Date,
    private readonly make: (step: Step) => S,
  ) {}

  record(step: Step): void {
    this.steps.push(this.make(step));
  }

  skip(name: string, detail: string, region?: string): void {
    this.record({ name, status: "skipped", detail, region });
  }

  /** Runs a step; `judge` turns its result into a status and detail. */
  async run<T>(name: string, step: () => Promise<T>, judge: (r: T) => { status: Step["status"]; detail: string }, region?: string): Promise<{ ok: boolean; value?: T; error?: unknown }> {
    const startedAt = this.now().toISOString();
    try {
      const value = await step();
      const j = judge(value);
      this.record({ name, ...j, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: j.status !== "failed", value };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.record({ name, status: "failed", detail, region, startedAt, endedAt: this.now().toISOString() });
      return { ok: false, error };
    }
  }
}
