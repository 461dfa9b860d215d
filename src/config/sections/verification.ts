import { z } from "zod";
import { Minutes, RelativePath, RoleArn, Seconds } from "./common.js";

/** Stack output names are CloudFormation logical IDs: letters and digits. */
const OutputName = z.string().regex(/^[A-Za-z0-9]{1,255}$/, { error: "expected a stack output name: letters and digits" });

/** CloudWatch Synthetics canary that exercises the main workflow continuously. */
export const SyntheticsConfig = z.strictObject({
  name: z.string().regex(/^[0-9a-z_-]{1,255}$/, { error: "expected a canary name: lowercase letters, digits, _ and -" }),
  /** Canary script (.js or .mjs), relative to the source. It reads the endpoint from `process.env.BASE_URL`. */
  script: RelativePath,
  /** `<file>.<function>`: the script is packaged as `<file>.js` at the archive root (Playwright) or as `nodejs/node_modules/<file>.js` (Puppeteer). */
  handler: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z_$][\w$]*$/, { error: "expected <file>.<function>, e.g. canary.handler" })
    .default("canary.handler"),
  /** Runtime family; the newest non-deprecated version of it is picked from DescribeRuntimeVersions. */
  runtime: z.enum(["syn-nodejs-playwright", "syn-nodejs-puppeteer"]).default("syn-nodejs-playwright"),
  /** Pin a runtime version (refused once deprecated). Leave unset to follow the newest. */
  runtimeVersion: z
    .string()
    .regex(/^syn-nodejs-(playwright|puppeteer)-\d+(\.\d+)*$/, { error: "expected a Node.js runtime version, e.g. syn-nodejs-playwright-2.0" })
    .optional(),
  /** The canary keeps running on this schedule after the release, so the alarms always see traffic. */
  schedule: z
    .string()
    .regex(/^(rate\(.+\)|cron\(.+\))$/, { error: "expected rate(...) or cron(...)" })
    .default("rate(5 minutes)"),
  /** Minutes to wait for a canary run to finish. */
  timeoutMinutes: Minutes.default(10),
  /** Lambda timeout of one canary run. */
  runTimeoutSeconds: Seconds.min(3).max(840).default(60),
  /** Stack output with the endpoint under test. */
  endpointOutput: OutputName.default("ApiEndpoint"),
  /** The canary's execution role; else taken from the stack output `executionRoleOutput`. */
  executionRoleArn: RoleArn.optional(),
  executionRoleOutput: OutputName.default("CanaryRoleArn"),
  /** `s3://bucket/prefix` for run artifacts; else taken from the stack output `artifactsOutput`. */
  artifactS3Location: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9](\/.*)?$/, { error: "expected s3://bucket/prefix" })
    .optional(),
  artifactsOutput: OutputName.default("CanaryArtifactsLocation"),
});
export type SyntheticsConfig = z.infer<typeof SyntheticsConfig>;

export const CapacityConfig = z.strictObject({
  /** k6 script, relative to the source. It reads the endpoint from `__ENV.BASE_URL`. */
  script: RelativePath,
  /** Stack output with the endpoint under test. */
  endpointOutput: OutputName.default("ApiEndpoint"),
  thresholds: z
    .strictObject({
      p95Ms: z.number().positive().default(500),
      errorRate: z.number().min(0).max(1).default(0.01),
      minRps: z.number().min(0).default(0),
    })
    .prefault({}),
  /** Allowed regression against the last baseline, as a fraction (0.1 = 10%). */
  tolerance: z.number().min(0).max(10).default(0.1),
  /** Last recorded baseline (written by a passing run), relative to the source. */
  baseline: RelativePath.optional(),
});
export type CapacityConfig = z.infer<typeof CapacityConfig>;

export const ChaosConfig = z
  .strictObject({
    /** AWS FIS experiment template ID, or the stack output that holds it. */
    experimentTemplateId: z
      .string()
      .regex(/^EXT[A-Za-z0-9]+$/, { error: "expected an FIS experiment template ID, e.g. EXT1a2b3c4d5e6f7" })
      .optional(),
    experimentTemplateOutput: OutputName.optional(),
    /** Seconds of load before the experiment starts: the window the fault window is compared with. */
    warmupSeconds: Seconds.min(10).default(60),
    /** The experiment is stopped if it still runs after this long. */
    maxExperimentMinutes: Minutes.min(1).default(15),
    /** Maximum drop in success rate during the fault window (0.05 = 5 points). */
    maxSuccessRateDrop: z.number().min(0).max(1).default(0.05),
    /** Maximum relative increase of p95 latency during the fault window (0.5 = +50%). */
    maxLatencyIncrease: z.number().min(0).default(0.5),
  })
  .refine((c) => (c.experimentTemplateId === undefined) !== (c.experimentTemplateOutput === undefined), {
    error: "set either experimentTemplateId or experimentTemplateOutput",
    path: ["experimentTemplateId"],
  });
export type ChaosConfig = z.infer<typeof ChaosConfig>;

export const ApprovalConfig = z.strictObject({
  /**
   * Prod requires an approval; this cannot be turned off, only the sources of approval can be chosen.
   * By default only the CI's protected environment approves. `explicit` (accept `--approved-by` on
   * its own) must be listed here on purpose; such an approval is recorded as self-asserted.
   */
  sources: z
    .array(z.enum(["ci-environment", "explicit"]))
    .min(1, { error: "prod always needs an approval: list at least one source" })
    .default(["ci-environment"]),
  /** The protected CI environment an approval must come from (GitHub: the prod job's `environment:`). */
  environment: z
    .string()
    .regex(/^[\w.-]{1,255}$/)
    .default("prod"),
});
export type ApprovalConfig = z.infer<typeof ApprovalConfig>;
