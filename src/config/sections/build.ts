import { z } from "zod";
import { Command, PinnedImage, RelativePath } from "./common.js";

export const Preset = z.enum(["node", "java-maven", "generic"]);
export type Preset = z.infer<typeof Preset>;

export const PackageManager = z.enum(["npm", "pnpm", "yarn"]);
export type PackageManager = z.infer<typeof PackageManager>;

/** How the application is built, tested and packaged. Every field is optional: the preset is detected from the source. */
export const BuildConfig = z.strictObject({
  /** The build preset. Detected from the source when absent (package.json → node, pom.xml → java-maven). */
  preset: Preset.optional(),
  /** Node package manager. Detected from the lockfile when absent. */
  packageManager: PackageManager.optional(),
  /** Build image, pinned by digest. Required for the generic preset; overrides the preset's default otherwise. */
  image: PinnedImage.optional(),
  /** Sub-directory of the source that holds the application (default: the source root). */
  workdir: RelativePath.optional(),
  commands: z
    .strictObject({
      install: Command.optional(),
      build: Command.optional(),
      typecheck: Command.optional(),
    })
    .default({}),
  /**
   * Dockerfile used to package the runnable image, relative to the application directory (`workdir`),
   * which is also the build context. When it does not exist, the preset's default Dockerfile is used
   * (node and java-maven; the generic preset needs one).
   */
  dockerfile: RelativePath.default("Dockerfile"),
});
export type BuildConfig = z.infer<typeof BuildConfig>;

export const TestSuite = z.strictObject({
  /** Command that runs the suite. */
  command: Command,
  /** JUnit XML reports the command writes, relative to the workdir: files, or folders of `*.xml` (e.g. target/surefire-reports). */
  reports: z.array(RelativePath).min(1).default(["reports/junit.xml"]),
});

/** Why a required test action is knowingly absent: a sentence a reviewer can judge. */
const OptOutReason = z.string().trim().min(10, { error: "give the reason in a sentence (at least 10 characters): it is printed in every report" });

export const TestsConfig = z
  .strictObject({
    unit: TestSuite.optional(),
    integration: TestSuite.optional(),
    e2e: TestSuite.extend({
      /** Run with the pinned official Playwright image instead of the app's test image. */
      playwright: z.boolean().default(false),
    }).optional(),
    /**
     * Unit tests are required: a build without a test runner (no tests.unit and none the preset
     * detects) blocks. `optOut.unit: "<reason>"` accepts their absence on purpose; the reason is
     * printed in the build summary and the plan.
     */
    optOut: z.strictObject({ unit: OptOutReason.optional() }).default({}),
  })
  .refine((t) => !(t.unit && t.optOut.unit), {
    error: "tests.unit and tests.optOut.unit are both set: remove the opt-out, or the suite",
    path: ["optOut", "unit"],
  });
export type TestsConfig = z.infer<typeof TestsConfig>;
