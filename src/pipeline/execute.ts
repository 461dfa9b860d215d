// Executes a run plan with one runner per action. Generic and engine-free: the Dagger functions
// supply runners, tests supply fakes. Stages run in order. Inside a stage an action starts as soon
// as every action it depends on has succeeded, so independent actions run concurrently. When an
// action fails, the actions that depend on it are cancelled, its independent siblings finish (their
// findings are still worth having), and the later stages do not start.
import type { ActionId } from "./model.js";
import type { PlannedAction, RunPlan } from "./plan.js";
import { errorMessage } from "../errors.js";

export type ActionStatus = "succeeded" | "failed" | "cancelled" | "skipped";

/** What a runner reports. A runner may also throw: that is a failure with the error's message. */
export interface ActionOutcome {
  ok: boolean;
  /** One line for the report: what was done or what went wrong. */
  summary: string;
  /** Report files the action wrote (paths relative to the reports directory). */
  reports?: string[];
}

export interface ActionContext {
  action: PlannedAction;
  /** Aborted when the run is cancelled; long actions should stop early. */
  signal: AbortSignal;
}

export type ActionRunner = (ctx: ActionContext) => Promise<ActionOutcome>;

export interface ActionRun {
  id: string;
  stage: string;
  name: string;
  status: ActionStatus;
  summary: string;
  durationMs: number;
  reports: string[];
}

export interface StageRun {
  id: string;
  title: string;
  status: ActionStatus;
  durationMs: number;
  actions: ActionRun[];
}

export interface PlanRun {
  target: string;
  verdict: "passed" | "failed" | "cancelled";
  /** The first failed action and why, when the verdict is not `passed`. */
  failure?: string;
  stages: StageRun[];
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** At most this many actions at once (default: unbounded). */
  maxConcurrency?: number;
  /** Clock, for durations. */
  now?: () => number;
}

/** Runs the plan's `run` actions with `runners` (keyed by action ID). */
export async function executePlan(plan: RunPlan, runners: Readonly<Partial<Record<ActionId, ActionRunner>>>, options: ExecuteOptions = {}): Promise<PlanRun> {
  const now = options.now ?? Date.now;
  const signal = options.signal ?? new AbortController().signal;
  const limit = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
  const missing = plan.stages.flatMap((s) => s.actions).filter((a) => a.state === "run" && !runners[a.id]);
  if (missing.length > 0) {
    throw new Error(`no runner for ${missing.map((a) => a.id).join(", ")}: every action the plan runs needs one`);
  }

  let failure: string | undefined;
  let stopped = false;
  const stages: StageRun[] = [];
  for (const stage of plan.stages) {
    const started = now();
    const results = new Map<string, ActionRun>();
    for (const action of stage.actions) {
      if (action.state !== "run") results.set(action.id, skipped(action, describeSkip(action)));
    }
    const toRun = stage.actions.filter((a) => a.state === "run");
    if (stopped || signal.aborted) {
      const why = signal.aborted && !failure ? "not started: the run was cancelled" : `not started: ${failure ?? "an earlier stage failed"}`;
      for (const action of toRun) results.set(action.id, { ...skipped(action, why), status: "cancelled" });
    } else {
      const stageFailure = await runStage(toRun, runners, results, { signal, limit, now });
      if (stageFailure && !failure) failure = stageFailure;
      if (stageFailure || signal.aborted) stopped = true;
    }
    const actions = stage.actions.map((a) => results.get(a.id)!);
    stages.push({ id: stage.id, title: stage.title, status: stageStatus(actions), durationMs: now() - started, actions });
  }
  const verdict = failure ? "failed" : signal.aborted ? "cancelled" : "passed";
  return { target: plan.target, verdict, ...(failure ? { failure } : {}), stages };
}

interface StageOptions {
  signal: AbortSignal;
  limit: number;
  now: () => number;
}

/** Runs one stage's actions; returns the first failure, named, or undefined. */
async function runStage(
  actions: PlannedAction[],
  runners: Readonly<Partial<Record<ActionId, ActionRunner>>>,
  results: Map<string, ActionRun>,
  { signal, limit, now }: StageOptions,
): Promise<string | undefined> {
  let firstFailure: string | undefined;
  const running = new Map<string, Promise<void>>();
  const pending = new Set(actions.map((a) => a.id));
  const byId = new Map(actions.map((a) => [a.id, a]));

  const settle = (): void => {
    // Cancel what can no longer run: a dependency did not succeed.
    let changed = true;
    while (changed) {
      changed = false;
      for (const id of pending) {
        const action = byId.get(id)!;
        const blocker = action.dependsOn.find((d) => {
          const r = results.get(d);
          return r !== undefined && r.status !== "succeeded";
        });
        if (blocker || signal.aborted) {
          pending.delete(id);
          const why = blocker
            ? `cancelled: depends on ${blocker}, which ${results.get(blocker)!.status === "failed" ? "failed" : "did not run"}`
            : "cancelled: the run was cancelled";
          results.set(id, { ...skipped(action, why), status: "cancelled" });
          changed = true;
        }
      }
    }
  };

  const start = (action: PlannedAction): void => {
    pending.delete(action.id);
    const began = now();
    const task = (async () => {
      let run: ActionRun;
      try {
        const outcome = await runners[action.id]!({ action, signal });
        run = {
          ...base(action),
          status: outcome.ok ? "succeeded" : "failed",
          summary: outcome.summary,
          durationMs: now() - began,
          reports: outcome.reports ?? [],
        };
      } catch (err) {
        const message = errorMessage(err);
        run = { ...base(action), status: signal.aborted ? "cancelled" : "failed", summary: message, durationMs: now() - began, reports: [] };
      }
      results.set(action.id, run);
      if (run.status === "failed" && !firstFailure) firstFailure = `${action.id} failed: ${run.summary}`;
      running.delete(action.id);
    })();
    running.set(action.id, task);
  };

  for (;;) {
    settle();
    for (const id of [...pending]) {
      if (running.size >= limit) break;
      const action = byId.get(id)!;
      if (action.dependsOn.every((d) => results.get(d)?.status === "succeeded")) start(action);
    }
    if (running.size === 0) {
      for (const id of pending) results.set(id, { ...skipped(byId.get(id)!, "cancelled: its dependencies form a cycle"), status: "cancelled" });
      break;
    }
    await Promise.race(running.values());
  }
  return firstFailure;
}

function base(action: PlannedAction): Pick<ActionRun, "id" | "stage" | "name"> {
  return { id: action.id, stage: action.stage, name: action.name };
}

function skipped(action: PlannedAction, summary: string): ActionRun {
  return { ...base(action), status: "skipped", summary, durationMs: 0, reports: [] };
}

function describeSkip(action: PlannedAction): string {
  switch (action.state) {
    case "not-configured":
      return `not configured: ${action.detail}`;
    case "beyond-target":
      return `not in this run: ${action.detail}`;
    case "local":
      return `runs on developer machines: ${action.detail}`;
    case "provided":
      return `provided: ${action.detail}`;
    default:
      return action.detail;
  }
}

function stageStatus(actions: ActionRun[]): ActionStatus {
  if (actions.some((a) => a.status === "failed")) return "failed";
  if (actions.some((a) => a.status === "cancelled")) return "cancelled";
  if (actions.some((a) => a.status === "succeeded")) return "succeeded";
  return "skipped";
}
