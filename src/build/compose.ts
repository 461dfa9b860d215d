// `build`: every build-service action at once. Each action starts from its own base (the toolchain,
// a scanner image, or the source); only the image scan waits for the package it scans.
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../config/schema.js";
import { compileAction, packageAction, qualityAction, unitTestAction } from "./actions.js";
import type { ImageMetadata } from "./oci.js";
import { loadBuildPlan, toolchain } from "./toolchain.js";
import { emptyOutcome, runImageSbom, runImageScan, runSast, runSbom, runSca, runSecrets, type ActionOutcome } from "./scanners.js";
import { judgeStage, type StageVerdict } from "./stage.js";

export interface BuildStage extends StageVerdict {
  /** The packaged image; undefined when the Dockerfile build failed (see the verdict's failures). */
  image?: Container;
}

export async function runBuildStage(source: Directory, config: DpraConfig, meta: ImageMetadata): Promise<BuildStage> {
  const plan = await loadBuildPlan(source, config);
  const tc = toolchain(source, config, plan);

  const packaged = packageAction(source, config, plan, meta);
  // The only actions that need another's output: they scan and inventory the packaged image.
  const imageScan = packaged.then(({ image }) => (image ? runImageScan(image, source, config) : emptyOutcome("image-scan")));
  const imageSbom = packaged.then(({ image }) => (image ? runImageSbom(image) : emptyOutcome("image-sbom")));
  const [compiled, tests, quality, secrets, sast, sca, sbom, pkg, scannedImage, imageInventory] = await Promise.all([
    compileAction(tc, plan),
    unitTestAction(tc, plan),
    qualityAction(tc, plan, source, config),
    runSecrets(source, config),
    runSast(source, config),
    runSca(source, config),
    runSbom(source),
    packaged,
    imageScan,
    imageSbom,
  ]);
  const outcomes: ActionOutcome[] = [compiled, tests, quality, secrets, sast, sca, sbom, pkg.outcome, scannedImage, imageInventory];
  const testCounts = tests.tests
    ? { passed: tests.tests.passed, failed: tests.tests.failed, skipped: tests.tests.skipped, errors: tests.tests.errors, total: tests.tests.total }
    : undefined;
  const verdict = await judgeStage("dpra build", outcomes, source, config, { tests: testCounts });
  return { ...verdict, image: pkg.image };
}
