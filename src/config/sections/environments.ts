import { z } from "zod";
import { AccountId, Minutes, Region, RelativePath, RoleArn } from "./common.js";

export const Wave = z.strictObject({
  name: z.string().min(1).optional(),
  /** Regions deployed concurrently in this wave. */
  regions: z.array(Region).min(1, { error: "a wave needs at least one region" }),
  /** Minutes to watch alarms after the wave before the next one starts. */
  bakeMinutes: Minutes.optional(),
});

export const DeploymentStrategy = z.enum(["ecs-blue-green", "ecs-canary", "ecs-linear", "codedeploy", "rolling"]);

/** An AWS environment (gamma, prod, or a Beta in AWS), deployed with CloudFormation in its own account. */
export const AwsEnvironment = z
  .strictObject({
    account: AccountId,
    /** Role assumed (chained) for this environment's account. */
    roleArn: RoleArn,
    /** Either one region or waves of regions. */
    region: Region.optional(),
    waves: z.array(Wave).min(1).optional(),
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, { error: "expected a CloudFormation stack name: a letter, then letters, digits and -" }),
    /** CloudFormation template, relative to the source. */
    template: RelativePath.default("infra/template.yaml"),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    tags: z.record(z.string(), z.string()).default({}),
    capabilities: z
      .array(z.enum(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]))
      .default(["CAPABILITY_IAM"]),
    /** Alarm names or ARNs to watch, in addition to those the stack outputs. */
    alarms: z.array(z.string().min(1)).default([]),
    /** Minutes CloudFormation watches the rollback triggers after a deploy. */
    monitoringMinutes: Minutes.default(10),
    /** Default bake time for waves that set none. */
    bakeMinutes: Minutes.default(5),
    deployment: z
      .strictObject({
        strategy: DeploymentStrategy.default("ecs-blue-green"),
      })
      .prefault({}),
    protection: z
      .strictObject({
        terminationProtection: z.boolean().optional(),
        /** Logical IDs of stateful resources that may be replaced. */
        allowReplacement: z.array(z.string()).default([]),
        /** Refuse to deploy when stack drift is detected. */
        detectDrift: z.boolean().default(false),
        /** Allow ContinueUpdateRollback on a stack in UPDATE_ROLLBACK_FAILED. */
        continueUpdateRollback: z.boolean().default(false),
      })
      .prefault({}),
  })
  .refine((e) => (e.region === undefined) !== (e.waves === undefined), {
    error: "set either `region` or `waves`, not both and not neither",
    path: ["region"],
    // Report this even when other fields of the environment are invalid, so every problem is listed at once.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  });
export type AwsEnvironment = z.infer<typeof AwsEnvironment>;

/** Beta runs on ephemeral Dagger services by default; `aws` deploys it like gamma. */
export const BetaEnvironment = z.strictObject({
  /** Env vars given to the app service (plain values only: secrets come from the database or aws+sm providers). */
  env: z.record(z.string(), z.string()).default({}),
  /** Health endpoint waited on before tests run. */
  healthPath: z.string().startsWith("/").default("/health/ready"),
  port: z.number().int().min(1).max(65535).default(8080),
  /** Seconds to wait for the app to become healthy. */
  readyTimeoutSeconds: z.number().int().min(1).max(900).default(60),
});

export const EnvironmentsConfig = z.strictObject({
  beta: BetaEnvironment.prefault({}),
  gamma: AwsEnvironment.optional(),
  prod: AwsEnvironment.optional(),
});
export type EnvironmentsConfig = z.infer<typeof EnvironmentsConfig>;

export const EnvironmentName = z.enum(["beta", "gamma", "prod"]);
export type EnvironmentName = z.infer<typeof EnvironmentName>;

export { RelativePath };
