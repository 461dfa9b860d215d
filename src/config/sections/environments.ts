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
export type DeploymentStrategy = z.infer<typeof DeploymentStrategy>;

/**
 * Protection of an environment's stack. Defaults depend on the environment: `terminationProtection`
 * and `stackPolicy` are on for prod and off elsewhere unless set.
 */
export const StackProtection = z.strictObject({
  /** Turn on termination protection (default: on for prod). */
  terminationProtection: z.boolean().optional(),
  /** Set a stack policy that denies replacing or deleting stateful resources (default: on for prod). */
  stackPolicy: z.boolean().optional(),
  /** Refuse change sets that replace stateful resources (databases, buckets, tables, file systems). */
  guardStatefulReplacement: z.boolean().default(true),
  /** More resource types to treat as stateful, besides the built-in list. */
  statefulTypes: z.array(z.string().regex(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/, { error: "expected a resource type such as AWS::RDS::DBInstance" })).default([]),
  /** Logical IDs of stateful resources that may be replaced. */
  allowReplacement: z.array(z.string()).default([]),
  /** Refuse to deploy when stack drift is detected. */
  detectDrift: z.boolean().default(false),
  /** Allow ContinueUpdateRollback on a stack in UPDATE_ROLLBACK_FAILED. */
  continueUpdateRollback: z.boolean().default(false),
});
export type StackProtection = z.infer<typeof StackProtection>;

/** CloudFormation accepts at most five rollback triggers per stack. */
export const MAX_ROLLBACK_TRIGGERS = 5;

/**
 * An AWS environment (gamma, prod, or a Beta in AWS), deployed with CloudFormation in its own account.
 * Other stages (synthetics, capacity) may add their own per-environment fields here.
 */
export const AwsEnvironment = z
  .strictObject({
    account: AccountId,
    /** Role assumed (chained) for this environment's account. */
    roleArn: RoleArn,
    /** Either one region or waves of regions. */
    region: Region.optional(),
    waves: z.array(Wave).min(1).optional(),
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, { error: "expected a CloudFormation stack name: a letter, then letters, digits and -" }),
    /** CloudFormation template, relative to the source. */
    template: RelativePath.default("infra/template.yaml"),
    /** Template parameter that receives the image reference pinned by digest. */
    imageParameter: z
      .string()
      .regex(/^[A-Za-z0-9]+$/, { error: "expected a template parameter name (letters and digits)" })
      .default("ImageUri"),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    tags: z.record(z.string(), z.string()).default({}),
    capabilities: z.array(z.enum(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])).default(["CAPABILITY_IAM"]),
    /**
     * CloudWatch alarm names or ARNs. With the alarms the stack outputs (keys ending in Alarm, Alarms,
     * AlarmName(s) or AlarmArn(s); docs/gamma-prod.md) they are the stack's rollback triggers during the
     * monitoring time and are watched with DescribeAlarms during deploys and bake times. A name
     * applies to every region; an ARN only to its own region.
     */
    alarms: z
      .array(z.string().min(1))
      .max(MAX_ROLLBACK_TRIGGERS, {
        error: `CloudFormation accepts at most ${MAX_ROLLBACK_TRIGGERS} rollback triggers: combine alarms into a composite alarm`,
      })
      .default([]),
    /**
     * Deploy without any alarm, on purpose: the reason, recorded in the rollout's report. Without it a
     * prod rollout with no alarm (none here and none in the template's alarm outputs) is refused,
     * because nothing could stop or roll it back. Other environments only get a warning.
     */
    allowNoAlarms: z.strictObject({ reason: z.string().trim().min(10, { error: "say why this environment may deploy without alarms (10 characters or more)" }) }).optional(),
    /**
     * What a stopped rollout rolls back: `all-deployed` (default) every region this rollout changed, the
     * failing wave first; `failed-wave` only the failing wave's regions (earlier waves keep the new version).
     */
    rollbackScope: z.enum(["all-deployed", "failed-wave"]).default("all-deployed"),
    /** Minutes CloudFormation watches the rollback triggers after a deploy (CloudFormation allows 0 to 180). */
    monitoringMinutes: z.number().int().min(0).max(180).default(10),
    /** Default bake time for waves that set none. */
    bakeMinutes: Minutes.default(5),
    /** Seconds between polls of stack events and alarms (2 to 5 is the sweet spot). */
    pollSeconds: z.number().int().min(1).max(60).default(5),
    /** Minutes to wait for another operation in progress on the stack before stopping. */
    waitInProgressMinutes: Minutes.default(15),
    /** Minutes a stack operation may take before the deploy stops watching it. */
    timeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    deployment: z
      .strictObject({
        strategy: DeploymentStrategy.default("ecs-blue-green"),
      })
      .prefault({}),
    protection: StackProtection.prefault({}),
  })
  .refine((e) => (e.region === undefined) !== (e.waves === undefined), {
    error: "set either `region` or `waves`, not both and not neither",
    path: ["region"],
    // Report this even when other fields of the environment are invalid, so every problem is listed at once.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  })
  .refine((e) => new Set(e.waves?.flatMap((w) => w.regions) ?? []).size === (e.waves?.flatMap((w) => w.regions).length ?? 0), {
    error: "a region may appear in only one wave",
    path: ["waves"],
  });
export type AwsEnvironment = z.infer<typeof AwsEnvironment>;
export type RollbackScope = AwsEnvironment["rollbackScope"];
export type AwsEnvironmentInput = z.input<typeof AwsEnvironment>;

/** Variables the Beta stage gives the app as Secrets; plain `env` may not set them. */
export const BETA_SECRET_VARIABLES: readonly string[] = ["DATABASE_URL", "PGPASSWORD"];

/** Beta runs on ephemeral Dagger services by default; `aws` deploys it like gamma. */
export const BetaEnvironment = z.strictObject({
  /** Env vars given to the app service (plain values only: secrets come from the database or aws+sm providers). */
  env: z
    .record(z.string(), z.string())
    // Reported on the mapping, not the entry, so that the error never echoes a value that may be a secret.
    .superRefine((env, ctx) => {
      for (const name of Object.keys(env)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          ctx.addIssue({ code: "custom", message: `"${name}" is not an environment variable name: use letters, digits and _, not starting with a digit` });
        } else if (BETA_SECRET_VARIABLES.includes(name)) {
          ctx.addIssue({ code: "custom", message: `dpra sets ${name} itself, as a secret, from the Beta database; remove it from environments.beta.env` });
        }
      }
    })
    .default({}),
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
/** Environments deployed to AWS with CloudFormation. */
export const AwsEnvironmentName = z.enum(["gamma", "prod"]);
export type AwsEnvironmentName = z.infer<typeof AwsEnvironmentName>;
export type EnvironmentName = z.infer<typeof EnvironmentName>;

export { RelativePath };
