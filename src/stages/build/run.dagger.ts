// `build`: every build-service action at once. Each action starts from its own base (the toolchain,
// a scanner image, or the source); only the image scan and image SBOM wait for the package they read.
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import { guarded, packageAction, toolchainActions } from "./actions.dagger.js";
import type { ImageMetadata } from "./oci.js";
import { loadBuildPlan } from "./toolchain.dagger.js";
import { runIac } from "./iac.dagger.js";
import { emptyOutcome, type BuildActionOutcome } from "./outcome.dagger.js";
import { runImageSbom, runImageScan, runSast, runSbom, runSca, runSecrets } from "./scanners.dagger.js";
import { judgeStage, type StageVerdict } from "./judge.dagger.js";

export interface BuildStage extends StageVerdict {
  /** The packaged image; undefined when the Dockerfile build failed (see the verdict's failures). */
  image?: Container;
  /** Every action's outcome, for per-action verdicts. */
  outcomes: BuildActionOutcome[];
  /** The installed toolchain (dependencies and tests), for Beta's integration tests. */
  testImage?: Container;
}

export async function runBuildStage(source: Directory, config: DpraConfig, meta: ImageMetadata): Promise<BuildStage> {
  const plan = await loadBuildPlan(source, config);

  const packaged = packageAction(source, config, plan, meta);
  // The only actions that need another's output: they scan and inventory the packaged image.
  const imageScan = packaged.then(({ image }) => (image ? guarded("image-scan", () => runImageScan(image, source, config)) : emptyOutcome("image-scan")));
  const imageSbom = packaged.then(({ image }) => (image ? guarded("image-sbom", () => runImageSbom(image)) : emptyOutcome("image-sbom")));
  const [toolchain, iac, secrets, sast, sca, sbom, pkg, scannedImage, imageInventory] = await Promise.all([
    toolchainActions(source, config, plan),
    guarded("iac", () => runIac(source, config)),
    guarded("secrets", () => runSecrets(source, config)),
    guarded("sast", () => runSast(source, config)),
    guarded("sca", () => runSca(source, config)),
    guarded("sbom", () => runSbom(source)),
    packaged,
    imageScan,
    imageSbom,
  ]);
  const outcomes: BuildActionOutcome[] = [...toolchain.outcomes, iac, secrets, sast, sca, sbom, pkg.outcome, scannedImage, imageInventory];
  const verdict = await judgeStage("dpra build", outcomes, source, config);
  return { ...verdict, image: pkg.image, outcomes, testImage: toolchain.tc };
}
