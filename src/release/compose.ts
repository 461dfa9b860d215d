// Release composition: a registry of stage providers, each giving the runners of its stage's
// actions, and the run of a plan through them. Stages plug in by registering a provider; a
// release to an environment whose stage has no provider fails before anything runs, naming the
// stage. Engine-free and generic over the shared context the stages pass along (the image, etc.).
import { executePlan, type ActionOutcome, type ActionRunner, type ExecuteOptions, type PlanRun } from "../pipeline/execute.js";
import { missingRequired, type RunPlan } from "../pipeline/plan.js";
import { runActionIdsOf, stageDef, type ActionId, type ActionIdOf, type StageId } from "../pipeline/model.js";

export type ReleaseStageId = Extract<StageId, "build" | "beta" | "gamma" | "prod">;

/** A runner for every action of the stage, by the model's IDs: a missing or misspelt one is a type error. */
export type StageRunners<S extends ReleaseStageId> = Record<ActionIdOf<S>, ActionRunner>;

export interface StageProvider<C, S extends ReleaseStageId> {
  stage: S;
  /** Runners for the actions of this stage (keyed by action ID); only those the plan runs are used. */
  runners(ctx: C): StageRunners<S>;
  /** Actions of the stage this provider cannot run, and why: a plan that runs one stops before anything runs. */
  unavailable?: Readonly<Partial<Record<ActionIdOf<S>, string>>>;
}

export type StageRegistry<C> = { [S in ReleaseStageId]?: StageProvider<C, S> };

/** One runner per action of `stage` (in the model), made from its ID. */
export function runnersOf<S extends ReleaseStageId>(stage: S, runner: (id: ActionIdOf<S>) => ActionRunner): StageRunners<S> {
  return Object.fromEntries(runActionIdsOf(stage).map((id) => [id, runner(id)])) as StageRunners<S>;
}

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

/** What the build stage hands on: per-action outcomes, the image it packaged once, its test image. */
export interface BuildStageOutput<TImage> {
  /** Outcome per build action ID (`build.unit-tests`, ...). */
  actions: Partial<Record<ActionIdOf<"build">, ActionOutcome>>;
  image?: TImage;
  testImage?: TImage;
  /** Digest of the packaged image (`sha256:...`), when the build knows it. */
  imageDigest?: string;
}

/** Anything that runs the whole build stage once; it gets the release context (source, config, ...). */
export type BuildStageRunner<TImage, C = unknown> = (signal: AbortSignal, ctx: C) => Promise<BuildStageOutput<TImage>>;

/** The release context every stage reads from and writes to. */
export interface ReleaseContext<TImage> {
  build?: BuildStageOutput<TImage>;
}

/**
 * Adapts a build that runs as one call into per-action runners: the call runs once, each build
 * action reports its own outcome from it, and the output is kept in the context for later stages.
 */
export function buildStageProvider<TImage, C extends ReleaseContext<TImage>>(runBuild: BuildStageRunner<TImage, C>): StageProvider<C, "build"> {
  return {
    stage: "build",
    runners(ctx) {
      let once: Promise<BuildStageOutput<TImage>> | undefined;
      const output = (signal: AbortSignal) => {
        once ??= runBuild(signal, ctx).then((out) => {
          ctx.build = out;
          return out;
        });
        return once;
      };
      return runnersOf("build", (id) => async ({ signal }) => {
        const out = await output(signal);
        const outcome = out.actions[id];
        if (!outcome) return { ok: false, summary: `the build stage reported no outcome for ${id}` };
        if (id === "build.package-artifacts" && outcome.ok && out.image === undefined) {
          return { ok: false, summary: "the build stage reported a package but handed on no image" };
        }
        return outcome;
      });
    },
  };
}
