import { z } from "zod";
import { Minutes, RelativePath } from "./common.js";

/** CloudWatch Synthetics canary that exercises the main workflow continuously. */
export const SyntheticsConfig = z.strictObject({
  name: z.string().regex(/^[0-9a-z_-]{1,255}$/, { error: "expected a canary name: lowercase letters, digits, _ and -" }),
  /** Canary script, relative to the source. */
  script: RelativePath,
  handler: z.string().default("canary.handler"),
  /** Runtime family; the newest non-deprecated version of it is picked from DescribeRuntimeVersions. */
  runtime: z.enum(["syn-nodejs-playwright", "syn-nodejs-puppeteer"]).default("syn-nodejs-playwright"),
  schedule: z.string().default("rate(5 minutes)"),
  /** Minutes to wait for a canary run to finish. */
  timeoutMinutes: Minutes.default(10),
});

export const CapacityConfig = z.strictObject({
  /** k6 script, relative to the source. */
  script: RelativePath,
  thresholds: z
    .strictObject({
      p95Ms: z.number().positive().default(500),
      errorRate: z.number().min(0).max(1).default(0.01),
      minRps: z.number().min(0).default(0),
    })
    .prefault({}),
  /** Allowed regression against the last baseline, as a fraction (0.1 = 10%). */
  tolerance: z.number().min(0).max(10).default(0.1),
  baseline: RelativePath.optional(),
});

export const ChaosConfig = z.strictObject({
  /** AWS FIS experiment template ID, or the stack output that holds it. */
  experimentTemplateId: z.string().min(1).optional(),
  experimentTemplateOutput: z.string().min(1).optional(),
  /** Maximum drop in success rate during the fault window (0.05 = 5 points). */
  maxSuccessRateDrop: z.number().min(0).max(1).default(0.05),
  maxLatencyIncrease: z.number().min(0).default(0.5),
});

export const ApprovalConfig = z.strictObject({
  /** Prod requires an approval; this cannot be turned off, only the sources of approval can be chosen. */
  sources: z.array(z.enum(["ci-environment", "explicit"])).default(["ci-environment", "explicit"]),
});
