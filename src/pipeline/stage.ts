// The stage contract of a release: a stage plugs in with a provider that gives a runner per DPRA
// action of its stage (typed by the model's action ids), and the context the stages pass along
// carries what the build handed on. Engine-free and generic over the context.
import type { ActionOutcome, ActionRunner } from "./execute.js";
import { runActionIdsOf, type ActionIdOf, type StageId } from "./model.js";

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
