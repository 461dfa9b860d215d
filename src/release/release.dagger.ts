// The Dagger side of `release` and `beta`: load the config, build the plan, execute it through the
// stage registry, and return the ReleaseResult. All ordering and failure handling is the plan's.
import type { Container, Directory } from "@dagger.io/dagger";
import { digestOfReference } from "../aws/ecr/images.js";
import { PinnedImage } from "../config/sections/common.js";
import type { DpraConfig } from "../config/schema.js";
import { buildRunPlan, missingRequired, withStageProvided, type RunPlan, type TargetEnvironment } from "../pipeline/plan.js";
import type { PlanRun } from "../pipeline/execute.js";
import { runIdentity, type CredentialSecrets, type RunIdentity } from "../inputs/credentials.dagger.js";
import { publishShell } from "../publish/publish.dagger.js";
import { assertContract } from "../config/contract-check.js";
import type { ContractEnvironment } from "../config/contract.js";
import { directoryContractSource, loadSourceConfig } from "../inputs/source.dagger.js";
import { betaStage } from "../stages/beta/provider.dagger.js";
import { sdkWorld } from "./sdk-world.dagger.js";
import { type AwsWorld } from "../pipeline/aws-world.js";
import { buildStageProvider } from "../stages/build/provider.js";
import { runRelease } from "./run.js";
import { type BuildStageRunner, type StageRegistry } from "../pipeline/stage.js";
import { releaseContext, type ApprovalInput, type DaggerReleaseContext } from "../pipeline/context.dagger.js";
import { gammaStage } from "../stages/gamma/provider.dagger.js";
import { prodStage } from "../stages/prod/provider.dagger.js";
import { ReleaseResult } from "./result.dagger.js";
import { releaseJson, releaseMarkdown } from "./summary.js";
import { errorMessage } from "../errors.js";

/** The stages this version provides beyond build. */
export const AVAILABLE_STAGES: StageRegistry<DaggerReleaseContext> = { beta: betaStage, gamma: gammaStage, prod: prodStage };

/** Publishes the build's image once and returns `repository@sha256:...`. */
export type Publisher = (ctx: DaggerReleaseContext, image: Container) => Promise<string>;

export interface ReleaseAwsInput {
  /** The shared credential arguments. */
  secrets: CredentialSecrets;
  /** AWS clients (tests inject mocked ones). */
  world?: AwsWorld;
  /** Publishing to ECR (tests inject a fake). Default: `publish` with the same credentials. */
  publisher?: Publisher;
}

export interface ReleaseInput {
  source: Directory;
  env: TargetEnvironment;
  /** Runs the build stage once and hands on its image. */
  build: BuildStageRunner<Container, DaggerReleaseContext>;
  /** Throw (failing `dagger call`) when the verdict is not `passed`. */
  failOnError: boolean;
  /** Extra stages registered by their modules (override the available ones). */
  stages?: StageRegistry<DaggerReleaseContext>;
  /** An image published earlier (`repository@sha256:...`): only the target's own stage(s) run on it. */
  digest?: string;
  /** With --env beta: publish the image to ECR after Beta passes. */
  publish?: boolean;
  aws?: ReleaseAwsInput;
  approval?: ApprovalInput;
  /** Git revision: the image tag when publishing (default: the run ID). */
  revision?: string;
  /** Extra tag when publishing. */
  releaseTag?: string;
  /** Names the run (role sessions, image tag fallback); default: time-based and random. */
  runId?: string;
}

/**
 * What runs, from the target and whether a published digest is given: with a digest, the stages
 * before the target are marked as provided (nothing is rebuilt); Gamma and Prod need AWS.
 */
export function releasePlan(config: DpraConfig, env: TargetEnvironment, opts: { digest?: string; publish?: boolean }): RunPlan {
  if (opts.digest !== undefined) {
    if (env === "beta") throw new Error("release --digest deploys a published image to gamma or prod; --env beta builds and tests the source itself");
    if (opts.publish) throw new Error("release: --publish publishes the image this run builds; with --digest the image is already published");
    const pinned = PinnedImage.safeParse(opts.digest);
    // PinnedImage checks the digest; the name must also say <registry>/<repository>.
    if (!pinned.success || !/^[^@\s]+\/[^@\s]+@/.test(opts.digest)) {
      throw new Error(`release --digest "${opts.digest}": expected the reference publish returned, <registry>/<repository>@sha256:<64 hex digits>`);
    }
  }
  let plan = buildRunPlan(config, env);
  // Missing stage configuration is reported first (by checkRelease); then what publishing needs.
  if (missingRequired(plan).length === 0) {
    const publishes = opts.publish === true || (env !== "beta" && opts.digest === undefined);
    if (publishes && !config.artifact) {
      throw new Error(
        `release --env ${env}${opts.publish ? " --publish" : ""} publishes the image to ECR after Beta, and dpra.yaml has no artifact section: ` +
          "set artifact.ecr (repository, account, region), or pass --digest with an image published earlier.",
      );
    }
  }
  if (opts.digest !== undefined) {
    plan = withStageProvided(plan, "build", `the published image ${opts.digest}, built once earlier (not rebuilt)`);
    plan = withStageProvided(plan, "beta", "passed earlier on this image (the release's Beta step)");
    if (env === "prod") {
      plan = withStageProvided(
        plan,
        "gamma",
        "passed earlier on this image; before the approval, prod checks the Gamma verdict recorded against this digest and that the Gamma stack runs it",
      );
    }
  }
  return plan;
}

/** Whether this release talks to AWS: it deploys to Gamma or Prod, or publishes. */
function needsAws(plan: RunPlan, publish: boolean): boolean {
  return publish || plan.stages.some((s) => (s.id === "gamma" || s.id === "prod") && s.runs);
}

/** The AWS environments whose stage runs in this plan (not those provided by an earlier run). */
function deployedEnvironments(plan: RunPlan): ContractEnvironment[] {
  return plan.stages.flatMap((s) => ((s.id === "gamma" || s.id === "prod") && s.runs ? [s.id] : []));
}

/** `release --env <env>`: build, then every later stage up to the target environment. */
export async function release(input: ReleaseInput): Promise<ReleaseResult> {
  const config = await loadSourceConfig(input.source);
  const plan = releasePlan(config, input.env, { ...(input.digest !== undefined ? { digest: input.digest } : {}), publish: input.publish ?? false });
  // The templates this run deploys keep the config↔template contract, or nothing runs (no build, no AWS call).
  await assertContract(config, deployedEnvironments(plan), directoryContractSource(input.source));
  const ctx = releaseContext(config, input.source, undefined, input.runId);
  if (input.approval) ctx.approvalInput = input.approval;
  if (input.digest !== undefined) ctx.reference = input.digest;
  if (needsAws(plan, input.publish ?? false)) {
    ctx.aws = releaseAwsOf(ctx, input);
    // Read the credentials now: a missing or conflicting argument fails before a long build.
    await ctx.aws.identity();
  }
  const registry: StageRegistry<DaggerReleaseContext> = { build: buildStageProvider(input.build), ...AVAILABLE_STAGES, ...input.stages };
  const run = await runRelease(plan, registry, ctx);
  if (input.publish && run.verdict === "passed" && ctx.aws) {
    try {
      await ctx.aws.reference();
    } catch (err) {
      run.verdict = "failed";
      run.failure = `publishing after Beta failed: ${errorMessage(err)}`;
    }
  }
  return finish(run, ctx, input.failOnError);
}

function releaseAwsOf(ctx: DaggerReleaseContext, input: ReleaseInput): NonNullable<DaggerReleaseContext["aws"]> {
  const secrets = input.aws?.secrets ?? {};
  const region = ctx.config.environments.gamma?.region ?? ctx.config.artifact?.ecr.region ?? ctx.config.environments.prod?.region ?? "us-east-1";
  let identity: Promise<RunIdentity> | undefined;
  let reference: Promise<string> | undefined;
  const publisher = input.aws?.publisher ?? defaultPublisher(secrets, input.revision, input.releaseTag);
  return {
    world: input.aws?.world ?? sdkWorld,
    identity: () => (identity ??= runIdentity(secrets, { app: ctx.config.name ?? "app", region, runId: ctx.runId })),
    reference: () =>
      (reference ??= (async () => {
        if (ctx.reference) return ctx.reference;
        const image = ctx.build?.image;
        if (!image) throw new Error("nothing to publish: the build stage handed on no image");
        ctx.reference = await publisher(ctx, image);
        digestOfReference(ctx.reference);
        return ctx.reference;
      })()),
  };
}

function defaultPublisher(secrets: CredentialSecrets, revision: string | undefined, releaseTag: string | undefined): Publisher {
  return async (ctx, image) => {
    const published = await publishShell({
      image,
      gitRevision: revision || ctx.runId,
      source: ctx.source,
      waitForScan: true,
      enforceGate: true,
      secrets,
      runId: ctx.runId,
      ...(releaseTag ? { releaseTag } : {}),
    });
    ctx.reports.addDirectory("publish", published.reports);
    return published.reference;
  };
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
  const markdown = [releaseMarkdown(run, digest, ctx.reference), ...ctx.details].join("\n");
  ctx.reports.addText("release.md", markdown);
  ctx.reports.addText("release.json", releaseJson(run, digest, ctx.reference));
  const result = ReleaseResult.from(run, digest, ctx.reports.directory(), {
    markdown,
    reference: ctx.reference ?? "",
    approvalReport: ctx.approvalReport ?? "",
  });
  if (failOnError && run.verdict !== "passed") {
    throw new Error(`release --env ${run.target} ${run.verdict}: ${run.failure ?? "cancelled"}\n\n${result.markdown}`);
  }
  return result;
}

/** The published digest when there is one; else the build's; else the content digest of the image's OCI tarball. */
async function imageDigest(ctx: DaggerReleaseContext): Promise<string> {
  if (ctx.reference) return digestOfReference(ctx.reference);
  if (ctx.build?.imageDigest) return ctx.build.imageDigest;
  const image = ctx.build?.image;
  if (!image) return "";
  return `oci-tarball ${await image.asTarball().digest()}`;
}
