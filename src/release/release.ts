// The Dagger side of `release` and `beta`: load the config, build the plan, execute it through the
// stage registry, and return the ReleaseResult. All ordering and failure handling is the plan's.
import type { Container, Directory } from "@dagger.io/dagger";
import { buildRunPlan, withStageProvided, type TargetEnvironment } from "../pipeline/plan.js";
import type { PlanRun } from "../pipeline/execute.js";
import { loadSourceConfig } from "../shell/source.js";
import { betaStage } from "../stages/beta/stage.js";
import { buildStageProvider, runRelease, type BuildStageRunner, type StageRegistry } from "./compose.js";
import { releaseContext, type DaggerReleaseContext } from "./context.js";
import { ReleaseResult } from "./result.js";
import { releaseJson, releaseMarkdown } from "./summary.js";

/**
 * The stages this version provides beyond build. Gamma and Prod plug in here with their providers
 * (`{ stage: "gamma", runners(ctx) { ... } }`); until then a release to them fails naming the stage.
 */
export const AVAILABLE_STAGES: StageRegistry<DaggerReleaseContext> = { beta: betaStage };

export interface ReleaseInput {
  source: Directory;
  env: TargetEnvironment;
  /** Runs the build stage once and hands on its image. */
  build: BuildStageRunner<Container, DaggerReleaseContext>;
  /** Throw (failing `dagger call`) when the verdict is not `passed`. */
  failOnError: boolean;
  /** Extra stages (Gamma, Prod) registered by their modules. */
  stages?: StageRegistry<DaggerReleaseContext>;
}

/** `release --env <env>`: build, then every later stage up to the target environment. */
export async function release(input: ReleaseInput): Promise<ReleaseResult> {
  const config = await loadSourceConfig(input.source);
  const plan = buildRunPlan(config, input.env);
  const ctx = releaseContext(config, input.source);
  const registry: StageRegistry<DaggerReleaseContext> = { build: buildStageProvider(input.build), ...AVAILABLE_STAGES, ...input.stages };
  const run = await runRelease(plan, registry, ctx);
  return finish(run, ctx, input.failOnError);
}

export interface BetaInput {
  source: Directory;
  /** The image the build packaged earlier. */
  image: Container;
  /** The build's test container, for the integration (and non-Playwright E2E) suites. */
  testImage?: Container;
  failOnError: boolean;
}

/** The Beta stage alone, on an image built earlier: the build stage is marked as provided. */
export async function betaOnly(input: BetaInput): Promise<ReleaseResult> {
  const config = await loadSourceConfig(input.source);
  const plan = withStageProvided(buildRunPlan(config, "beta"), "build", "the image given to this call (built earlier, not rebuilt)");
  const ctx = releaseContext(config, input.source, { actions: {}, image: input.image, ...(input.testImage ? { testImage: input.testImage } : {}) });
  const run = await runRelease(plan, AVAILABLE_STAGES, ctx);
  return finish(run, ctx, input.failOnError);
}

async function finish(run: PlanRun, ctx: DaggerReleaseContext, failOnError: boolean): Promise<ReleaseResult> {
  const digest = await imageDigest(ctx);
  ctx.reports.addText("release.md", releaseMarkdown(run, digest));
  ctx.reports.addText("release.json", releaseJson(run, digest));
  const result = ReleaseResult.from(run, digest, ctx.reports.directory());
  if (failOnError && run.verdict !== "passed") {
    throw new Error(`release --env ${run.target} ${run.verdict}: ${run.failure ?? "cancelled"}\n\n${result.markdown}`);
  }
  return result;
}

/** The build's digest when it knows one (a pushed image); else the content digest of the image's OCI tarball. */
async function imageDigest(ctx: DaggerReleaseContext): Promise<string> {
  if (ctx.build?.imageDigest) return ctx.build.imageDigest;
  const image = ctx.build?.image;
  if (!image) return "";
  return `oci-tarball ${await image.asTarball().digest()}`;
}
