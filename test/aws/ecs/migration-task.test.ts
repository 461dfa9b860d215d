// The migration task against a simulated ECS (real ECSClient, mocked transport), with fake timers.
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MigrationTaskError, runMigrationTask, type MigrationTaskRequest } from "../../../src/aws/ecs/migration-task.js";
import { mockAws } from "../../support/aws-mock.js";
import { drive, type RecordedCall } from "../../support/fake-aws.js";
import { FakeEcs, type EcsScenario } from "../../support/fake-ecs.js";

const T0 = new Date("2026-11-26T09:00:00Z").getTime();
const TARGET = {
  cluster: "fruit-api-gamma-Cluster-abc",
  taskDefinition: "arn:aws:ecs:eu-west-1:222222222222:task-definition/fruit-api-gamma-migrate:7",
  subnets: ["subnet-a", "subnet-b"],
  securityGroups: ["sg-1"],
  assignPublicIp: "DISABLED" as const,
};
const ROLE = "arn:aws:iam::222222222222:role/dpra-deploy";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function setup(scenario: EcsScenario, over: Partial<MigrationTaskRequest> = {}) {
  const calls: RecordedCall[] = [];
  const ecs = new FakeEcs("eu-west-1", scenario, calls);
  const lines: string[] = [];
  const request: MigrationTaskRequest = {
    client: ecs.client,
    region: "eu-west-1",
    target: TARGET,
    role: ROLE,
    timeoutMs: 15 * 60_000,
    pollMs: 2_000,
    log: (l) => lines.push(l),
    retry: { sleep: async () => {} },
    ...over,
  };
  return { ecs, calls, lines, request };
}

async function failure(p: Promise<unknown>): Promise<MigrationTaskError> {
  const err = await drive(
    p.then(
      () => undefined,
      (e: unknown) => e,
    ),
    vi,
    1000,
  );
  expect(err).toBeInstanceOf(MigrationTaskError);
  return err as MigrationTaskError;
}

describe("runMigrationTask", () => {
  it("starts one Fargate task in the VPC without a public IP, waits for STOPPED, and passes on exit code 0", async () => {
    const { ecs, calls, request, lines } = setup({ exitCode: 0, logs: { group: "/ecs/fruit-api-gamma", prefix: "migrate" } });
    const result = await drive(runMigrationTask(request), vi, 1000);
    expect(calls.map((c) => c.command)).toEqual(["DescribeTaskDefinition", "RunTask", ...Array(10).fill("DescribeTasks")]);
    expect(ecs.callsOf("RunTask")[0]!.input).toMatchObject({
      cluster: TARGET.cluster,
      taskDefinition: TARGET.taskDefinition,
      launchType: "FARGATE",
      count: 1,
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" } },
    });
    expect(ecs.callsOf("RunTask")[0]!.input.clientToken).toMatch(/^[0-9a-f]{32}$/);
    const taskArn = ecs.tasks[0]!.taskArn!;
    expect(result).toMatchObject({ taskArn, region: "eu-west-1", logs: { group: "/ecs/fruit-api-gamma", stream: `migrate/migrate/${taskArn.split("/").pop()}` } });
    // Polled every 2 s until the task stopped 20 s after RunTask.
    expect(result.durationMs).toBe(20_000);
    expect(lines.join("\n")).toMatch(/migration task: PROVISIONING\n.*migration task: RUNNING\n.*migration task: STOPPED\n.*exited 0/);
  });

  it("passes the target's assignPublicIp to RunTask (ENABLED for a task in public subnets)", async () => {
    const { ecs, request } = setup({ exitCode: 0 }, { target: { ...TARGET, assignPublicIp: "ENABLED" } });
    await drive(runMigrationTask(request), vi, 1000);
    expect(ecs.callsOf("RunTask")[0]!.input.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: "ENABLED" },
    });
  });

  it("exit code 1 fails naming the task, the exit code, the reasons and the log stream", async () => {
    const { ecs, request } = setup({
      exitCode: 1,
      containerReason: 'dbmate: error: pq: relation "fruit" already exists',
      logs: { group: "/ecs/fruit-api-gamma", prefix: "migrate" },
    });
    const err = await failure(runMigrationTask(request));
    const taskArn = ecs.tasks[0]!.taskArn!;
    expect(err.taskArn).toBe(taskArn);
    expect(err.exitCode).toBe(1);
    expect(err.logs).toEqual({ group: "/ecs/fruit-api-gamma", stream: `migrate/migrate/${taskArn.split("/").pop()}` });
    expect(err.message).toContain(`migration task ${taskArn} in eu-west-1 failed: container migrate: exit code 1, reason: dbmate: error: pq: relation "fruit" already exists`);
    expect(err.message).toContain("stopped: Essential container in task exited (EssentialContainerExited)");
    expect(err.message).toContain(`logs: CloudWatch log group /ecs/fruit-api-gamma, stream migrate/migrate/${taskArn.split("/").pop()}`);
  });

  it("a task that never ran (no exit code) fails with the stop reason", async () => {
    const { request } = setup({ stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)", stoppedAfterMs: 6_000 });
    const err = await failure(runMigrationTask(request));
    expect(err.exitCode).toBeUndefined();
    expect(err.message).toMatch(/container migrate: exit code none; stopped: CannotPullContainerError: pull image manifest/);
    // No awslogs configuration: no log location is claimed.
    expect(err.message).not.toContain("CloudWatch log group");
  });

  it("a task stuck in RUNNING fails after the timeout, bounded, saying it may still run", async () => {
    const { ecs, request } = setup({ stuck: true }, { timeoutMs: 60_000 });
    const started = Date.now();
    const err = await failure(runMigrationTask(request));
    expect(err.message).toMatch(/did not stop within 1m00s \(last status RUNNING\)\. It may still be running in AWS/);
    expect(err.message).toMatch(/database\.aws\.timeoutMinutes/);
    expect(Date.now() - started).toBeLessThanOrEqual(60_000 + 3_000);
    expect(ecs.callsOf("DescribeTasks").length).toBe(30);
  });

  it("RunTask failures (capacity) fail at once with ECS's reason, and nothing is polled", async () => {
    const { ecs, request } = setup({ runFailures: [{ reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone" }] });
    const err = await failure(runMigrationTask(request));
    expect(err.message).toMatch(/^ECS could not start the migration task in eu-west-1 on cluster fruit-api-gamma-Cluster-abc: Capacity is unavailable at this time/);
    expect(err.message).toMatch(/Nothing was migrated/);
    expect(err.taskArn).toBeUndefined();
    expect(ecs.callsOf("DescribeTasks")).toEqual([]);
  });

  it("throttled DescribeTasks calls are retried with a growing interval, and the task still passes", async () => {
    const { ecs, request } = setup({ exitCode: 0, throttleDescribeFirst: 3, stoppedAfterMs: 40_000 });
    const result = await drive(runMigrationTask(request), vi, 1000);
    expect(result.taskArn).toBe(ecs.tasks[0]!.taskArn);
    const at = ecs.callsOf("DescribeTasks").map((c) => c.at - T0);
    // 2 s, then doubled after each throttled poll (4, 8, 16 s), back to 2 s after a good one.
    expect(at.slice(0, 5)).toEqual([2_000, 6_000, 14_000, 30_000, 32_000]);
  });

  it("a denied DescribeTaskDefinition says which role lacks which action", async () => {
    const { ecs, request } = setup({ exitCode: 0 });
    mockAws(ecs.client)
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error("User is not authorized to perform: ecs:DescribeTaskDefinition"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } }));
    await expect(runMigrationTask(request)).rejects.toThrow(
      `AccessDeniedException: role ${ROLE} may not call ecs:DescribeTaskDefinition on ${TARGET.taskDefinition}. Add ecs:DescribeTaskDefinition to that role's policy`,
    );
  });
});
