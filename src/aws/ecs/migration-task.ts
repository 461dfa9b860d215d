// The DB deploy of an AWS environment: one ECS Fargate task, started from the new image inside the
// environment's VPC (a CI runner cannot reach a private RDS), waited for until STOPPED, judged by the
// exit code of its essential container. DB credentials stay in AWS: the task definition reads them
// from Secrets Manager, nothing secret passes through here.
import type { ContainerDefinition, ECSClient, Task } from "@aws-sdk/client-ecs";
import type { AssignPublicIp } from "../../config/sections/database.js";
import { randomBytes } from "node:crypto";
import { ecsSdk } from "../sdk.js";
import { Backoff, formatDuration, sleep } from "../cloudformation/poll.js";
import { callAws, explainAwsError, isRetryable, isThrottling, type RetryOptions } from "../retry.js";
import { errorMessage } from "../../errors.js";

/** Where the migration task runs: from the stack outputs and dpra.yaml `database.aws` (src/actions/db-deploy/task-target.ts). */
export interface MigrationTarget {
  cluster: string;
  taskDefinition: string;
  subnets: string[];
  securityGroups: string[];
  /** `ENABLED` in public subnets, where the task reaches ECR, CloudWatch Logs and Secrets Manager through the internet gateway. */
  assignPublicIp: AssignPublicIp;
}

export interface MigrationTaskRequest {
  client: ECSClient;
  region: string;
  target: MigrationTarget;
  /** Who calls (the environment's role ARN), for error messages. */
  role: string;
  timeoutMs: number;
  /** Poll interval of DescribeTasks; doubles on throttling. */
  pollMs: number;
  log: (line: string) => void;
  /** Recorded on the task (`startedBy`, at most 36 characters). */
  startedBy?: string;
  /** Retries of RunTask and DescribeTaskDefinition (tests inject a sleep). */
  retry?: RetryOptions;
}

/** Where the task's output went, when its task definition logs with awslogs. */
export interface TaskLogs {
  group: string;
  stream?: string;
}

export interface MigrationTaskResult {
  taskArn: string;
  region: string;
  durationMs: number;
  logs?: TaskLogs;
}

/** The migration task could not be started, did not finish in time, or failed. */
export class MigrationTaskError extends Error {
  constructor(
    message: string,
    readonly taskArn?: string,
    readonly exitCode?: number,
    readonly logs?: TaskLogs,
  ) {
    super(message);
    this.name = "MigrationTaskError";
  }
}

/** Consecutive transient DescribeTasks failures (other than throttling) tolerated while waiting. */
const MAX_POLL_FAILURES = 5;

const isEssential = (c: ContainerDefinition) => c.essential !== false;

function logsOf(container: ContainerDefinition | undefined, taskArn?: string): TaskLogs | undefined {
  const conf = container?.logConfiguration;
  const group = conf?.logDriver === "awslogs" ? conf.options?.["awslogs-group"] : undefined;
  if (!group) return undefined;
  const prefix = conf?.options?.["awslogs-stream-prefix"];
  // awslogs names the stream prefix/container-name/task-id.
  const taskId = taskArn?.split("/").pop();
  return { group, ...(prefix && taskId && container?.name ? { stream: `${prefix}/${container.name}/${taskId}` } : {}) };
}

function formatLogs(logs: TaskLogs | undefined): string {
  if (!logs) return "";
  return `; logs: CloudWatch log group ${logs.group}${logs.stream ? `, stream ${logs.stream}` : ""}`;
}

/**
 * Runs the migration task once and waits for it: RunTask (FARGATE, awsvpc, the target's network), then
 * DescribeTasks until STOPPED, with bounded polling that backs off on throttling. Resolves only when
 * every essential container exited 0; otherwise throws a MigrationTaskError naming the task, the
 * stop reason, the container's reason and exit code, and the log stream.
 */
export async function runMigrationTask(req: MigrationTaskRequest): Promise<MigrationTaskResult> {
  const sdk = await ecsSdk();
  const started = Date.now();
  const { target, region } = req;
  const ctx = (action: string, resource: string) => ({ role: req.role, action, resource });

  const definition = await callAws(
    ctx("ecs:DescribeTaskDefinition", target.taskDefinition),
    () => req.client.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: target.taskDefinition })),
    req.retry,
  );
  const essentials = (definition.taskDefinition?.containerDefinitions ?? []).filter(isEssential);
  if (essentials.length === 0) {
    throw new MigrationTaskError(`task definition ${target.taskDefinition} has no essential container to judge the migration by`);
  }

  // One token for this attempt: the retries of RunTask below start one task, not several.
  const clientToken = randomBytes(16).toString("hex");
  const run = await callAws(
    ctx("ecs:RunTask", target.taskDefinition),
    () =>
      req.client.send(
        new sdk.RunTaskCommand({
          cluster: target.cluster,
          taskDefinition: target.taskDefinition,
          launchType: "FARGATE",
          count: 1,
          networkConfiguration: { awsvpcConfiguration: { subnets: target.subnets, securityGroups: target.securityGroups, assignPublicIp: target.assignPublicIp } },
          startedBy: (req.startedBy ?? "dpra-db-deploy").slice(0, 36),
          clientToken,
        }),
      ),
    req.retry,
  );
  const failures = run.failures ?? [];
  const task = run.tasks?.[0];
  if (failures.length > 0 || !task?.taskArn) {
    const why = failures.map((f) => `${f.reason ?? "no reason"}${f.detail ? ` (${f.detail})` : ""}${f.arn ? ` for ${f.arn}` : ""}`).join("; ") || "no task and no failure returned";
    throw new MigrationTaskError(
      `ECS could not start the migration task in ${region} on cluster ${target.cluster}: ${why}. Nothing was migrated; fix the cause (capacity, subnets, task definition) and run the release again.`,
    );
  }
  const taskArn = task.taskArn;
  const logs = logsOf(essentials[0], taskArn);
  req.log(`[${region}] migration task ${taskArn} started on ${target.cluster}${formatLogs(logs)}`);

  const stopped = await waitForStopped(req, taskArn, logs);
  const bad = essentials.map((def) => ({ def, c: stopped.containers?.find((c) => c.name === def.name) })).filter(({ c }) => c?.exitCode !== 0);
  if (bad.length > 0) {
    const first = bad[0]!;
    const containers = bad.map(({ def, c }) => `container ${def.name}: exit code ${c?.exitCode ?? "none"}${c?.reason ? `, reason: ${c.reason}` : ""}`).join("; ");
    const badLogs = logsOf(first.def, taskArn) ?? logs;
    throw new MigrationTaskError(
      `migration task ${taskArn} in ${region} failed: ${containers}; stopped: ${stopped.stoppedReason ?? "no reason given"}${stopped.stopCode ? ` (${stopped.stopCode})` : ""}${formatLogs(badLogs)}. ` +
        "The software was not deployed. Read the task's log, fix the migration, and release again (applied migrations are not repeated).",
      taskArn,
      first.c?.exitCode,
      badLogs,
    );
  }
  const durationMs = Date.now() - started;
  req.log(`[${region}] migration task ${taskArn} exited 0 (${formatDuration(durationMs)})`);
  return { taskArn, region, durationMs, ...(logs ? { logs } : {}) };
}

async function waitForStopped(req: MigrationTaskRequest, taskArn: string, logs: TaskLogs | undefined): Promise<Task> {
  const sdk = await ecsSdk();
  const deadline = Date.now() + req.timeoutMs;
  const backoff = new Backoff(req.pollMs, 60_000);
  let throttled = false;
  let failures = 0;
  let last: string | undefined;
  for (;;) {
    await sleep(backoff.next(throttled));
    throttled = false;
    try {
      const out = await req.client.send(new sdk.DescribeTasksCommand({ cluster: req.target.cluster, tasks: [taskArn] }));
      failures = 0;
      const task = out.tasks?.find((t) => t.taskArn === taskArn);
      if (!task) {
        const why = out.failures?.map((f) => `${f.reason ?? "?"}${f.detail ? ` (${f.detail})` : ""}`).join("; ") || "not returned";
        throw new MigrationTaskError(`migration task ${taskArn} in ${req.region} cannot be described: ${why}`, taskArn, undefined, logs);
      }
      if (task.lastStatus !== last) {
        last = task.lastStatus;
        req.log(`[${req.region}] migration task: ${last ?? "?"}`);
      }
      if (task.lastStatus === "STOPPED") return task;
    } catch (err) {
      if (err instanceof MigrationTaskError) throw err;
      if (isThrottling(err)) throttled = true;
      else if (isRetryable(err) && ++failures < MAX_POLL_FAILURES) req.log(`[${req.region}] DescribeTasks failed (${errorMessage(err)}); polling again`);
      else throw explainAwsError(err, { role: req.role, action: "ecs:DescribeTasks", resource: taskArn });
    }
    if (Date.now() >= deadline) {
      throw new MigrationTaskError(
        `migration task ${taskArn} in ${req.region} did not stop within ${formatDuration(req.timeoutMs)} (last status ${last ?? "unknown"})${formatLogs(logs)}. ` +
          "It may still be running in AWS: watch it there (or stop it), then release again; raise database.aws.timeoutMinutes if migrations take longer.",
        taskArn,
        undefined,
        logs,
      );
    }
  }
}
