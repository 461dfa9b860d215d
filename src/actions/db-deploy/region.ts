// The DB deploy of one region of an AWS environment, around the software deploy:
// - the stack exists: a change set that sets only the migration image parameter (every other
//   parameter and the template as they are, so the running service is untouched), then the
//   migration task from the new image; the software deploy follows;
// - no stack yet (first deploy): nothing to migrate into; the software deploy creates the stack,
//   then `migrateNewStack` runs the task before anything tests the environment.
// A rerun is safe: the change set name derives from the run's content (the deployer resumes it),
// and the migration tool applies only what is pending.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { ECSClient } from "@aws-sdk/client-ecs";
import { alarmsForRegion } from "../../aws/alarms/arn.js";
import { deployStack } from "../../aws/cloudformation/deployer.js";
import { describeStack } from "../../aws/cloudformation/stack.js";
import { protectionFor } from "../progressive-deployment/stack-settings.js";
import { runMigrationTask, type TaskLogs } from "../../aws/ecs/migration-task.js";
import type { DatabaseAwsConfig } from "../../config/sections/database.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { taskReport, type DbDeployReport } from "./report.js";
import { migrationTargetFrom, namesMissingFromTemplate } from "./task-target.js";

export interface RegionDbDeployRequest {
  envName: "gamma" | "prod";
  env: AwsEnvironment;
  region: string;
  cloudFormation: CloudFormationClient;
  ecs: ECSClient;
  /** The migration tool dpra.yaml names, for the report. */
  tool: string;
  names: DatabaseAwsConfig;
  /** The image to migrate with, pinned by digest (`repository@sha256:...`). */
  reference: string;
  /** The release's change-set seed; the migration change set gets its own name from it. */
  runId: string;
  templateBody: string;
  log: (line: string) => void;
  /** Poll interval override in ms (default: the environment's pollSeconds). */
  pollMs?: number;
  /**
   * The rollback triggers of the migration change set, from the stack's current outputs: the wave
   * engine's alarm set (src/actions/monitoring/alarm-set.ts). Default: dpra.yaml's alarms.
   */
  rollbackAlarmArns?: (outputs: Record<string, string>) => string[];
}

/** Stack states in which the software deploy creates the stack (again): nothing to migrate into yet. */
const NO_USABLE_STACK = new Set(["REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE"]);

const outputsOf = (stack: { Outputs?: Array<{ OutputKey?: string; OutputValue?: string }> } | undefined) =>
  Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));

/** Before the software deploy of a region: migrate when the stack exists, defer when it does not. */
export async function migrateBeforeDeploy(req: RegionDbDeployRequest): Promise<DbDeployReport> {
  const { env, names, region } = req;
  const where = { stack: env.stackName, region };
  const missing = namesMissingFromTemplate(req.templateBody, names);
  if (missing.length > 0) {
    throw new Error(
      `${env.template} does not declare ${missing.join(", ")}: the DB deploy needs the migration image parameter ${names.migrationImageParameter} ` +
        "and the migration task's outputs (task definition, cluster, subnets, security group). See the migrations section of examples/fruit-api/README.md, " +
        "or name yours in dpra.yaml database.aws.",
    );
  }
  const stack = await describeStack(req.cloudFormation, env.stackName);
  if (!stack || NO_USABLE_STACK.has(stack.StackStatus ?? "")) {
    req.log(`[${region} ${env.stackName}] no stack yet: the migrations run once the deploy has created it`);
    return taskReport(req.tool, region, "deferred", `stack ${env.stackName} does not exist yet: migrations run after it is created, before any test`);
  }
  if (!(stack.Parameters ?? []).some((p) => p.ParameterKey === names.migrationImageParameter)) {
    throw new Error(
      `stack ${env.stackName} in ${region} has no parameter ${names.migrationImageParameter}, so the migration task cannot get the new image without ` +
        "deploying the software. Deploy the template that declares it once without a DB deploy (`deploy --env " +
        `${req.envName}\`), then release again.`,
    );
  }
  // Fail before changing anything when the stack cannot say where the task runs.
  migrationTargetFrom(outputsOf(stack), names, where);

  const pollMs = req.pollMs ?? env.pollSeconds * 1000;
  const triggers = req.rollbackAlarmArns?.(outputsOf(stack)) ?? alarmsForRegion(env.alarms, region, env.account).map((a) => a.arn);
  const set = await deployStack({
    client: req.cloudFormation,
    region,
    stackName: env.stackName,
    templateBody: req.templateBody,
    parameters: { [names.migrationImageParameter]: req.reference },
    onlyParameters: true,
    tags: { ...env.tags, "dpra:environment": req.envName },
    capabilities: env.capabilities,
    rollbackAlarmArns: triggers,
    monitoringMinutes: 0,
    runId: `${req.runId}-migrate`,
    preview: false,
    protection: protectionFor(req.envName, env),
    pollMs,
    waitInProgressMs: env.waitInProgressMinutes * 60_000,
    timeoutMs: env.timeoutMinutes * 60_000,
    log: req.log,
  });
  if (set.outcome !== "updated" && set.outcome !== "no-change") {
    throw new Error(`setting ${names.migrationImageParameter} on ${env.stackName} in ${region} did not succeed (${set.outcome}): ${set.message}. Nothing was migrated.`);
  }
  const task = await runTaskOnStack(req, pollMs);
  return taskReport(req.tool, region, "migrated", `${names.migrationImageParameter} ${set.outcome === "no-change" ? "already" : "set to"} ${req.reference}; ${task.detail}`, task);
}

/** After the software deploy created the stack: run the migration task on it. */
export async function migrateNewStack(req: RegionDbDeployRequest): Promise<DbDeployReport> {
  const task = await runTaskOnStack(req, req.pollMs ?? req.env.pollSeconds * 1000);
  return taskReport(req.tool, req.region, "migrated", `first deploy, after the stack was created: ${task.detail}`, task);
}

async function runTaskOnStack(req: RegionDbDeployRequest, pollMs: number): Promise<{ detail: string; taskArn: string; logs?: TaskLogs }> {
  const { env, region, names } = req;
  // Read after the change set: the task definition is a new revision now.
  const stack = await describeStack(req.cloudFormation, env.stackName);
  if (!stack) throw new Error(`stack ${env.stackName} in ${region} disappeared before the migration task could run`);
  const target = migrationTargetFrom(outputsOf(stack), names, { stack: env.stackName, region });
  const result = await runMigrationTask({
    client: req.ecs,
    region,
    target,
    role: env.roleArn,
    timeoutMs: names.timeoutMinutes * 60_000,
    pollMs,
    log: req.log,
    startedBy: `dpra-${req.envName}-migrate`,
  });
  return { detail: `migration task ${result.taskArn} exited 0`, taskArn: result.taskArn, ...(result.logs ? { logs: result.logs } : {}) };
}
