// Package once: the runnable OCI image, built from the application's Dockerfile (or the preset's)
// and labelled with where it came from. Later stages deploy this same Container, by digest.
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import { ociLabels, type ImageMetadata } from "./oci.js";
import type { BuildPlan } from "./preset.js";
import { appDirectory } from "./toolchain.dagger.js";

/** Where the preset's Dockerfile is written when the application has none. */
export const GENERATED_DOCKERFILE = ".dpra.Dockerfile";

export async function packageImage(source: Directory, config: DpraConfig, plan: BuildPlan, meta: ImageMetadata): Promise<Container> {
  const labels = ociLabels(meta);
  let context = appDirectory(source, config);
  let dockerfile = plan.dockerfile;
  if (!(await context.exists(dockerfile))) {
    if (plan.defaultDockerfile === undefined) {
      throw new Error(
        `package: ${dockerfile} is not in the application directory and the ${plan.preset} preset has no default Dockerfile. ` +
          "Add a Dockerfile, or set build.dockerfile in dpra.yaml to its path.",
      );
    }
    dockerfile = GENERATED_DOCKERFILE;
    context = context.withNewFile(dockerfile, plan.defaultDockerfile);
  }
  // BuildKit takes SOURCE_DATE_EPOCH as the time of the image config and its history.
  const buildArgs = meta.sourceDateEpoch === undefined ? [] : [{ name: "SOURCE_DATE_EPOCH", value: String(meta.sourceDateEpoch) }];
  let image = context.dockerBuild({ dockerfile, buildArgs });
  // Labels go into the image config (docker inspect); annotations into the OCI manifest (registries).
  for (const [key, value] of labels) image = image.withLabel(key, value).withAnnotation(key, value);
  return image;
}
