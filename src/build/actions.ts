// The build-service actions that run in the application's toolchain: compile, unit tests, lint and
// type check, and package. Each returns an ActionOutcome; none derives from another's container.
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../config/schema.js";
import type { TestReport } from "../findings/junit.js";
import type { ImageMetadata } from "./oci.js";
import { packageImage } from "./package.js";
import type { BuildPlan } from "./preset.js";
import { emptyOutcome, mergeOutcomes, runIac, type ActionOutcome } from "./scanners.js";
import { compile, lint, tail, typecheck, unitTests } from "./toolchain.js";

export async function compileAction(tc: Container, plan: BuildPlan): Promise<ActionOutcome> {
  const outcome = emptyOutcome("compile");
  const run = await compile(tc, plan);
  if (run && run.exitCode !== 0) outcome.failures.push(`compile: \`${run.command}\` exited ${run.exitCode}:\n${tail(run.output, 15)}`);
  return outcome;
}

export async function unitTestAction(tc: Container, plan: BuildPlan): Promise<ActionOutcome & { tests?: TestReport }> {
  const outcome = emptyOutcome("unit-tests");
  const result = await unitTests(tc, plan);
  if (!result) return outcome;
  outcome.sets.push(result.set);
  return { ...outcome, tests: result.tests };
}

/** The project's linter and type check. */
export async function lintAction(tc: Container, plan: BuildPlan): Promise<ActionOutcome> {
  const [linted, checked] = await Promise.all([lint(tc, plan), typecheck(tc, plan)]);
  const outcome = emptyOutcome("lint");
  if (linted.set) outcome.sets.push(linted.set);
  if (linted.failure) outcome.failures.push(linted.failure);
  if (checked) outcome.sets.push(checked);
  return outcome;
}

/** Code quality: lint, type check and IaC checks together. */
export async function qualityAction(tc: Container, plan: BuildPlan, source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  return mergeOutcomes("quality", await Promise.all([lintAction(tc, plan), runIac(source, config)]));
}

/** Builds the image and forces the build, so that a broken Dockerfile is reported with the rest. */
export async function packageAction(
  source: Directory,
  config: DpraConfig,
  plan: BuildPlan,
  meta: ImageMetadata,
): Promise<{ outcome: ActionOutcome; image?: Container }> {
  const outcome = emptyOutcome("package");
  try {
    const image = await packageImage(source, config, plan, meta);
    await image.sync();
    return { outcome, image };
  } catch (err) {
    outcome.failures.push(`package: ${(err as Error).message}`);
    return { outcome };
  }
}
