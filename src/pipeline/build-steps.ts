// The build stage's own steps (the `action` of each BuildActionOutcome and each `dpra scan` step)
// and the DPRA build action each one implements, written out per step: the release reports every
// DPRA build action with the verdicts of its steps (src/stages/build/dpra-actions.ts). Engine-free.
import type { ActionIdOf } from "./model.js";

/** Which DPRA build action each build-stage step implements. */
export const BUILD_ACTION_MAP = {
  install: "build.build-code",
  compile: "build.build-code",
  "unit-tests": "build.unit-tests",
  quality: "build.code-quality",
  lint: "build.code-quality",
  typecheck: "build.code-quality",
  iac: "build.code-quality",
  secrets: "build.secrets-detection",
  sast: "build.sast",
  package: "build.package-artifacts",
  sca: "build.sca",
  sbom: "build.sca",
  "image-scan": "build.sca",
  "image-sbom": "build.sca",
} as const satisfies Record<string, ActionIdOf<"build">>;

/** A step of the build stage, e.g. `secrets` or `image-scan`. */
export type BuildStep = keyof typeof BUILD_ACTION_MAP;

/** Whether `name` is a build-stage step (for names that arrive as plain strings). */
export function isBuildStep(name: string): name is BuildStep {
  return Object.hasOwn(BUILD_ACTION_MAP, name);
}
