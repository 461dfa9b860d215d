import { z } from "zod";
import { Command, RelativePath } from "./common.js";

/** A CloudFormation parameter or output name. */
const StackKey = z.string().regex(/^[A-Za-z0-9]+$/, { error: "expected a CloudFormation parameter or output name (letters and digits)" });

/** A value read from a stack output of the environment, by the output's name. */
export const FromStackOutput = z.strictObject({
  /** The stack output that holds the value (comma-separated for a list). */
  output: StackKey,
});
export type FromStackOutput = z.infer<typeof FromStackOutput>;

const SubnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'expected a subnet ID, e.g. "subnet-0123456789abcdef0"' });
const SecurityGroupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: 'expected a security group ID, e.g. "sg-0123456789abcdef0"' });

/** `ENABLED` gives the task a public IP: needed in a public subnet (route to an internet gateway), wrong in a private one. */
export const AssignPublicIp = z.enum(["ENABLED", "DISABLED"], { error: "expected ENABLED or DISABLED (or { output: <stack output name> })" });
export type AssignPublicIp = z.infer<typeof AssignPublicIp>;

/**
 * How Gamma and Prod run the migrations: a one-off ECS Fargate task inside the environment's VPC,
 * started from the new image. The names are the stack's parameter and outputs (see
 * examples/fruit-api/infra/template.yaml and docs/gamma-prod.md). The task's network (subnets,
 * security groups, public IP) is each either written here or read from a named stack output.
 */
export const DatabaseAwsConfig = z.strictObject({
  /** Stack parameter that sets the migration task's image; the pipeline sets only it before migrating. */
  migrationImageParameter: StackKey.default("MigrationImageUri"),
  /** Stack output: ARN of the task definition that runs the migrations. */
  taskDefinitionOutput: StackKey.default("MigrationTaskDefinitionArn"),
  /** Stack output: the ECS cluster (name or ARN) the task runs on. */
  clusterOutput: StackKey.default("ClusterName"),
  /** The task's subnets: a list of subnet IDs, or `{ output: Name }` for a comma-separated stack output. */
  subnets: z
    .union([z.array(SubnetId).min(1, { error: "expected at least one subnet ID" }), FromStackOutput], {
      error: "expected a list of subnet IDs or { output: <stack output name> }",
    })
    .default({ output: "MigrationSubnetIds" }),
  /** The task's security groups: a list of IDs, or `{ output: Name }` for a (comma-separated) stack output. */
  securityGroups: z
    .union([z.array(SecurityGroupId).min(1, { error: "expected at least one security group ID" }), FromStackOutput], {
      error: "expected a list of security group IDs or { output: <stack output name> }",
    })
    .default({ output: "MigrationSecurityGroupId" }),
  /**
   * Whether the task gets a public IP: `ENABLED` for public subnets (the task reaches ECR, CloudWatch
   * Logs and Secrets Manager through the internet gateway), `DISABLED` for private subnets with a NAT
   * gateway or VPC endpoints, or `{ output: Name }` for a stack output holding one of the two.
   */
  assignPublicIp: z.union([AssignPublicIp, FromStackOutput], { error: "expected ENABLED, DISABLED or { output: <stack output name> }" }).default("DISABLED"),
  /** How long the migration task may take, from RunTask to STOPPED. */
  timeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});
export type DatabaseAwsConfig = z.infer<typeof DatabaseAwsConfig>;

/** Incremental database changes, kept as code and deployed by a migration tool. */
export const DatabaseConfig = z
  .strictObject({
    tool: z.enum(["dbmate", "flyway", "liquibase", "custom"]),
    /** Folder of migration files, relative to the source. */
    migrations: RelativePath.default("db/migrations"),
    /** For `liquibase`: the root changelog, relative to `migrations` (default `changelog.xml`). */
    changelog: RelativePath.optional(),
    /** For `custom`: the command run in the application image, with DATABASE_URL and PG* set. */
    command: Command.optional(),
    /** PostgreSQL database name. */
    name: z.string().min(1).default("app"),
    /** Gamma and Prod: the migration task in the environment's VPC (all names have defaults). */
    aws: DatabaseAwsConfig.prefault({}),
  })
  .refine((d) => d.tool !== "custom" || d.command !== undefined, {
    error: "the custom migration tool needs a `command`",
    path: ["command"],
  });
export type DatabaseConfig = z.infer<typeof DatabaseConfig>;
