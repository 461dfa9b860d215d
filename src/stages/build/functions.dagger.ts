// What the root module's build functions do, so that src/index.ts stays a thin list of @funcs.
import type { Container, Directory, File } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import { loadSourceConfig } from "../../inputs/source.dagger.js";
import { guarded, lintAction, packageAction, unitTestAction } from "./actions.dagger.js";
import { runBuildStage } from "./run.dagger.js";
import { ActionReport, BuildResult } from "./objects.dagger.js";
import type { ImageMetadata } from "./oci.js";
import { runIac } from "./iac.dagger.js";
import { emptyOutcome, type BuildActionOutcome } from "./outcome.dagger.js";
import { runImageScan, runSast, runSbom, runSca, runSecrets } from "./scanners.dagger.js";
import { judgeStage } from "./judge.dagger.js";
import type { BuildStep } from "../../pipeline/build-steps.js";
import { installToolchain, loadBuildPlan } from "./toolchain.dagger.js";

/** Where the packaged source comes from: the commit, the repository, and the commit's time. */
export interface SourceOrigin {
  revision: string;
  sourceUrl: string;
  /**
   * The commit time in seconds since the epoch (`git log -1 --format=%ct`), as SOURCE_DATE_EPOCH
   * in reproducible builds. Default 0 (1970-01-01T00:00:00Z): never "now", so the same revision
   * gives the same labels, and with them the same digest.
   */
  sourceDateEpoch?: number;
}

/** Image metadata for this build; `created` is the commit time (SOURCE_DATE_EPOCH), not the build time. */
export function imageMetadata(config: DpraConfig, origin: SourceOrigin): ImageMetadata {
  const epoch = origin.sourceDateEpoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new Error(`--source-date-epoch ${epoch}: expected the commit time in whole seconds since 1970 (git log -1 --format=%ct)`);
  }
  return {
    created: new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    sourceDateEpoch: epoch,
    revision: origin.revision || undefined,
    source: origin.sourceUrl || undefined,
    title: config.name,
  };
}

export async function buildStage(source: Directory, origin: SourceOrigin, noFail: boolean): Promise<BuildResult> {
  const config = await loadSourceConfig(source);
  const stage = await runBuildStage(source, config, imageMetadata(config, origin));
  if (!stage.passed && !noFail) throw new Error(stage.failure);
  if (!stage.image) throw new Error(`dpra build: no image was packaged, so there is nothing to return.\n${stage.failure ?? ""}`);
  return new BuildResult(stage.image, stage.reports, stage.passed, stage.summary);
}

/** The build steps that have their own function, each judged by the policy on its own. */
export const OWN_FUNCTION_STEPS = ["unit-tests", "lint", "iac", "secrets", "sast", "sca", "image-scan"] as const satisfies readonly BuildStep[];
export type ActionName = (typeof OWN_FUNCTION_STEPS)[number];

async function runAction(action: ActionName, source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  switch (action) {
    case "unit-tests":
    case "lint": {
      const plan = await loadBuildPlan(source, config);
      const installed = await installToolchain(source, config, plan);
      if (!installed.tc) return { ...emptyOutcome(action), failures: [installed.failure] };
      return action === "lint" ? lintAction(installed.tc, plan) : unitTestAction(installed.tc, plan);
    }
    case "iac":
      return runIac(source, config);
    case "secrets":
      return runSecrets(source, config);
    case "sast":
      return runSast(source, config);
    case "sca":
      return runSca(source, config);
    case "image-scan": {
      const image = await packagedImage(source, config, { revision: "", sourceUrl: "" });
      return runImageScan(image, source, config);
    }
  }
}

export async function actionReport(action: ActionName, source: Directory): Promise<ActionReport> {
  const config = await loadSourceConfig(source);
  const outcome = await guarded(action, () => runAction(action, source, config));
  const verdict = await judgeStage(`dpra ${action}`, [outcome], source, config);
  return new ActionReport(action, verdict.passed, verdict.summary, verdict.reports);
}

/** A check for `dagger check`: passes silently, or fails with every blocking finding. */
export async function actionCheck(action: ActionName, source: Directory): Promise<void> {
  const config = await loadSourceConfig(source);
  const verdict = await judgeStage(`dpra ${action}`, [await guarded(action, () => runAction(action, source, config))], source, config);
  if (!verdict.passed) throw new Error(verdict.failure);
}

async function packagedImage(source: Directory, config: DpraConfig, origin: SourceOrigin): Promise<Container> {
  const plan = await loadBuildPlan(source, config);
  const { outcome, image } = await packageAction(source, config, plan, imageMetadata(config, origin));
  if (!image) throw new Error(outcome.failures.join("\n"));
  return image;
}

export async function packageOnly(source: Directory, origin: SourceOrigin): Promise<Container> {
  return packagedImage(source, await loadSourceConfig(source), origin);
}

export async function sbomFile(source: Directory): Promise<File> {
  const outcome = await runSbom(source);
  const sbom = outcome.files[0];
  if (!sbom) throw new Error(outcome.failures.join("\n"));
  return sbom.file;
}
