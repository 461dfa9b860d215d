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

/** The suites dpra.yaml can configure, in the order the pipeline runs them. */
export const TEST_SUITES = ["unit", "integration", "e2e"] as const;
export type TestSuiteName = (typeof TEST_SUITES)[number];

export const TestsConfig = z
  .strictObject({
    unit: TestSuite.optional(),
    integration: TestSuite.optional(),
    e2e: TestSuite.extend({
      /** Run with the pinned official Playwright image instead of the app's test image. */
      playwright: z.boolean().default(false),
    }).optional(),
    /**
     * A suite knowingly absent, with the reason (a sentence a reviewer can judge), printed in the
     * build summary, the release report (Markdown and JSON) and the plan. Unit tests are required:
     * a build without a test runner (no tests.unit and none the preset detects) blocks unless
     * `optOut.unit` gives the reason. Integration and E2E tests are recommended by the DPRA: once
     * configured, a suite that ran no test case or wrote no report blocks; `optOut.integration` /
     * `optOut.e2e` record why an application has none. Each opt-out excludes its suite.
     */
    optOut: z.strictObject({ unit: OptOutReason.optional(), integration: OptOutReason.optional(), e2e: OptOutReason.optional() }).default({}),
  })
  .superRefine((t, ctx) => {
    for (const suite of TEST_SUITES) {
      if (t[suite] && t.optOut[suite]) {
        ctx.addIssue({ code: "custom", message: `tests.${suite} and tests.optOut.${suite} are both set: remove the opt-out, or the suite`, path: ["optOut", suite] });
      }
    }
  });
export type TestsConfig = z.infer<typeof TestsConfig>;
