/**
 * A small simulation of ECS for the migration task, behind a real SDK v3 ECSClient mocked with
 * aws-sdk-client-mock: RunTask starts a task that goes PROVISIONING -> RUNNING -> STOPPED as (fake)
 * time passes, with the exit code the scenario gives. Calls go into a shared log, so that tests can
 * check the order of CloudFormation and ECS calls.
 */
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, type Task } from "@aws-sdk/client-ecs";
import { mockAws } from "./aws-mock.js";
import type { RecordedCall } from "./fake-aws.js";

export interface EcsScenario {
  /** Exit code of the essential container; undefined with `stoppedReason` for a task that never ran. */
  exitCode?: number;
  containerReason?: string;
  stoppedReason?: string;
  /** Fake ms from RunTask to RUNNING and to STOPPED. */
  runningAfterMs?: number;
  stoppedAfterMs?: number;
  /** Never stops. */
  stuck?: boolean;
  /** RunTask answers with these failures and no task. */
  runFailures?: Array<{ reason: string; detail?: string }>;
  /** The first n DescribeTasks calls are throttled. */
  throttleDescribeFirst?: number;
  /** The task definition logs with awslogs to this group and prefix. */
  logs?: { group: string; prefix: string };
}

export class FakeEcs {
  readonly client: ECSClient;
  readonly tasks: Array<Task & { startedAt: Date }> = [];
  private describes = 0;

  constructor(
    readonly region: string,
    readonly scenario: EcsScenario,
    readonly calls: RecordedCall[],
  ) {
    this.client = new ECSClient({ region, credentials: { accessKeyId: "AKIAFAKEFAKEFAKE", secretAccessKey: "fake" }, maxAttempts: 1 });
    const ecs = mockAws(this.client);
    const record = (command: string, input: Record<string, unknown>) => this.calls.push({ service: "ecs", command, input, at: Date.now() });

    ecs.on(DescribeTaskDefinitionCommand).callsFake((input) => {
      record("DescribeTaskDefinition", input);
      const logs = this.scenario.logs;
      return {
        taskDefinition: {
          taskDefinitionArn: input.taskDefinition,
          containerDefinitions: [
            {
              name: "migrate",
              essential: true,
              ...(logs
                ? { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logs.group, "awslogs-region": region, "awslogs-stream-prefix": logs.prefix } } }
                : {}),
            },
          ],
        },
      };
    });
    ecs.on(RunTaskCommand).callsFake((input) => {
      record("RunTask", input);
      if (this.scenario.runFailures) return { tasks: [], failures: this.scenario.runFailures.map((f) => ({ arn: input.taskDefinition, ...f })) };
      const taskArn = `arn:aws:ecs:${region}:222222222222:task/${input.cluster}/${"0123456789abcdef".repeat(2).slice(0, 28)}${this.tasks.length}`;
      const task = { taskArn, lastStatus: "PROVISIONING", startedAt: new Date(Date.now()), containers: [{ name: "migrate" }] };
      this.tasks.push(task);
      return { tasks: [task], failures: [] };
    });
    ecs.on(DescribeTasksCommand).callsFake((input) => {
      record("DescribeTasks", input);
      this.describes++;
      if (this.describes <= (this.scenario.throttleDescribeFirst ?? 0)) {
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
      }
      return { tasks: this.tasks.filter((t) => (input.tasks as string[]).includes(t.taskArn!)).map((t) => this.state(t)), failures: [] };
    });
  }

  private state(t: Task & { startedAt: Date }): Task {
    const age = Date.now() - t.startedAt.getTime();
    const s = this.scenario;
    if (!s.stuck && age >= (s.stoppedAfterMs ?? 20_000)) {
      return {
        ...t,
        lastStatus: "STOPPED",
        stopCode: "EssentialContainerExited",
        stoppedReason: s.stoppedReason ?? "Essential container in task exited",
        containers: [
          { name: "migrate", lastStatus: "STOPPED", ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}), ...(s.containerReason ? { reason: s.containerReason } : {}) },
        ],
      };
    }
    return { ...t, lastStatus: age >= (s.runningAfterMs ?? 5_000) ? "RUNNING" : "PROVISIONING" };
  }

  callsOf(command: string): RecordedCall[] {
    return this.calls.filter((c) => c.service === "ecs" && c.command === command);
  }
}
