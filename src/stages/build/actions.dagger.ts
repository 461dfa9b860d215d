// The build-service actions that run in the application's toolchain: compile, unit tests, lint and
// type check (all from the installed toolchain, none from another's container), and package.
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import type { ImageMetadata } from "./oci.js";
import { packageImage } from "./package.dagger.js";
import type { BuildPlan } from "./preset.js";
import { emptyOutcome, scanIncomplete, type BuildActionOutcome } from "./outcome.dagger.js";
import type { BuildStep } from "../../pipeline/build-steps.js";
import { lastLines } from "../../tools/output.js";
import { compile, installToolchain, lint, typecheck, unitTests } from "./toolchain.dagger.js";
import { errorMessage } from "../../errors.js";

export async function compileAction(tc: Container, plan: BuildPlan): Promise<BuildActionOutcome> {
  const outcome = emptyOutcome("compile");
  const run = await compile(tc, plan);
  if (run && run.exitCode !== 0) outcome.failures.push(`compile: \`${run.command}\` exited ${run.exitCode}:\n${lastLines(run.output, 15)}`);
  return outcome;
}

/** Unit tests: one JUnit finding set, carrying the test counts. */
export async function unitTestAction(tc: Container, plan: BuildPlan): Promise<BuildActionOutcome> {
  const outcome = emptyOutcome("unit-tests");
  // No plan: blocks, unless dpra.yaml opted out with a reason (printed in the summary instead).
  if (!plan.unit && plan.unitAbsent && "missing" in plan.unitAbsent) {
    outcome.failures.push(plan.unitAbsent.missing);
    return outcome;
  }
  const result = await unitTests(tc, plan);
  if (result) outcome.sets.push(result.set);
  return outcome;
}

/** The project's linter and type check. */
export async function lintAction(tc: Container, plan: BuildPlan): Promise<BuildActionOutcome> {
  const [linted, checked] = await Promise.all([lint(tc, plan), typecheck(tc, plan)]);
  const outcome = emptyOutcome("lint");
  if (linted.set) outcome.sets.push(linted.set);
  if (linted.incomplete) scanIncomplete(outcome, plan.lint?.format === "eslint-json" ? "eslint" : "lint", "quality", linted.incomplete);
  if (checked) outcome.sets.push(checked);
  return outcome;
}

/**
 * Runs an action so that whatever goes wrong in it (an engine error, an unexpected exit) is reported
 * as that action not completing, next to every other action's result, instead of aborting the stage.
 */
export async function guarded<T extends BuildActionOutcome>(action: BuildStep, run: () => Promise<T>): Promise<T | BuildActionOutcome> {
  try {
    return await run();
  } catch (err) {
    const outcome = emptyOutcome(action);
    outcome.failures.push(`${action}: ${errorMessage(err).trim()}`);
    return outcome;
  }
}

/**
 * The actions that run in the installed toolchain; when the install fails, that failure stands for all
 * of them. The toolchain itself is returned too: Beta runs the integration tests in it.
 */
export async function toolchainActions(source: Directory, config: DpraConfig, plan: BuildPlan): Promise<{ outcomes: BuildActionOutcome[]; tc?: Container }> {
  const installed = await guarded("install", async () => {
    const result = await installToolchain(source, config, plan);
    return { ...emptyOutcome("install"), failures: result.failure ? [result.failure] : [], tc: result.tc };
  });
  const tc = "tc" in installed ? installed.tc : undefined;
  if (!tc) return { outcomes: [installed] };
  const outcomes = await Promise.all([
    guarded("compile", () => compileAction(tc, plan)),
    guarded("unit-tests", () => unitTestAction(tc, plan)),
    guarded("lint", () => lintAction(tc, plan)),
  ]);
  return { outcomes, tc };
}

/** Builds the image and forces the build, so that a broken Dockerfile is reported with the rest. */
export async function packageAction(source: Directory, config: DpraConfig, plan: BuildPlan, meta: ImageMetadata): Promise<{ outcome: BuildActionOutcome; image?: Container }> {
  const outcome = emptyOutcome("package");
  try {
    const image = await packageImage(source, config, plan, meta);
    await image.sync();
    return { outcome, image };
  } catch (err) {
    outcome.failures.push(`package: ${errorMessage(err)}`);
    return { outcome };
  }
}
