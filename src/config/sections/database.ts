import { z } from "zod";
import { Command, RelativePath } from "./common.js";

/** A CloudFormation parameter or output name. */
const StackKey = z.string().regex(/^[A-Za-z0-9]+$/, { error: "expected a CloudFormation parameter or output name (letters and digits)" });

/**
 * How Gamma and Prod run the migrations: a one-off ECS Fargate task inside the environment's VPC,
 * started from the new image. The names are the stack's parameter and outputs (see
 * examples/fruit-api/infra/template.yaml and docs/gamma-prod.md).
 */
export const DatabaseAwsConfig = z.strictObject({
  /** Stack parameter that sets the migration task's image; the pipeline sets only it before migrating. */
  migrationImageParameter: StackKey.default("MigrationImageUri"),
  /** Stack output: ARN of the task definition that runs the migrations. */
  taskDefinitionOutput: StackKey.default("MigrationTaskDefinitionArn"),
  /** Stack output: the ECS cluster (name or ARN) the task runs on. */
  clusterOutput: StackKey.default("ClusterName"),
  /** Stack output: the subnets of the task, comma-separated. */
  subnetsOutput: StackKey.default("MigrationSubnetIds"),
  /** Stack output: the security group of the task (one, or several comma-separated). */
  securityGroupOutput: StackKey.default("MigrationSecurityGroupId"),
  /** How long the migration task may take, from RunTask to STOPPED. */
  timeoutMinutes: z.number().int().min(1).max(24 * 60).default(15),
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
