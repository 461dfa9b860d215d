/**
 * A small simulation of CloudFormation and CloudWatch for one region, behind real SDK v3 clients
 * mocked with aws-sdk-client-mock. Stack operations advance with (fake) time: each scripted step
 * applies once Date.now() passes it, so the deployer sees statuses and events change between polls.
 */
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  RollbackStackCommand,
  SetStackPolicyCommand,
  UpdateTerminationProtectionCommand,
  type Change,
  type CreateChangeSetCommandInput,
  type Output,
  type Parameter,
  type StackEvent,
  type Tag,
} from "@aws-sdk/client-cloudformation";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";

export interface RecordedCall {
  service: "cloudformation" | "cloudwatch" | "ecs";
  command: string;
  input: Record<string, unknown>;
  /** Fake time at which the call was made (before latency). */
  at: number;
}

export interface Step {
  afterMs: number;
  status?: string;
  statusReason?: string;
  event?: Partial<StackEvent>;
}

export type Execution = "success" | "fail" | ((ctx: { type: "CREATE" | "UPDATE"; changes: Change[]; monitoringMs: number }) => Step[]);

export interface RegionScenario {
  stack?: { status: string; parameters?: Parameter[]; outputs?: Output[]; template?: string; resources?: number; terminationProtection?: boolean; tags?: Tag[] };
  /** Changes the next change set will hold; [] makes it empty. */
  changes?: Change[];
  emptyReason?: string;
  /** A change set that fails for another reason. */
  changeSetFailure?: string;
  execution?: Execution;
  /** Outputs the stack has after a successful operation. */
  outputsAfter?: Output[];
  /** How long the stack stays *_IN_PROGRESS after its resources are done (rollback trigger window). */
  monitoringMs?: number;
  /** Per-call latency, in fake ms. */
  latencyMs?: number;
  /** Alarm state timelines: the state applies from `at` (absolute fake ms) on. */
  alarms?: Record<string, Array<{ at: number; state: "OK" | "ALARM" | "INSUFFICIENT_DATA"; reason?: string }>>;
  /** Make DescribeStackEvents fail: "throttle" for the first n calls, or "always-error". */
  eventFaults?: { throttleFirst?: number; alwaysError?: boolean };
  drift?: "IN_SYNC" | "DRIFTED";
  /** Events of nested stacks, by stack ARN, newest first. */
  nestedEvents?: Record<string, StackEvent[]>;
}

interface SimChangeSet {
  name: string;
  id: string;
  type: "CREATE" | "UPDATE";
  status: string;
  executionStatus: string;
  statusReason?: string;
  changes: Change[];
  input: CreateChangeSetCommandInput;
  describes: number;
}

let clock = 0;

export class FakeRegion {
  readonly cfn: CloudFormationClient;
  readonly cw: CloudWatchClient;
  readonly calls: RecordedCall[];
  stack?: {
    StackName: string;
    StackId: string;
    StackStatus: string;
    StackStatusReason?: string;
    Parameters: Parameter[];
    Outputs: Output[];
    template: string;
    resources: number;
    EnableTerminationProtection: boolean;
    Tags?: Tag[];
  };
  readonly events: StackEvent[] = [];
  readonly changeSets = new Map<string, SimChangeSet>();
  private pending: Array<Step & { at: number; token?: string }> = [];
  stackPolicies: string[] = [];
  private eventCalls = 0;

  constructor(
    readonly region: string,
    readonly stackName: string,
    readonly scenario: RegionScenario,
    sharedCalls?: RecordedCall[],
  ) {
    this.calls = sharedCalls ?? [];
    this.cfn = new CloudFormationClient({ region, credentials: { accessKeyId: "AKIAFAKEFAKEFAKE", secretAccessKey: "fake" } });
    this.cw = new CloudWatchClient({ region, credentials: { accessKeyId: "AKIAFAKEFAKEFAKE", secretAccessKey: "fake" } });
    if (scenario.stack) {
      this.stack = {
        StackName: stackName,
        StackId: this.stackId(),
        StackStatus: scenario.stack.status,
        Parameters: scenario.stack.parameters ?? [],
        Outputs: scenario.stack.outputs ?? [],
        template: scenario.stack.template ?? "Resources: {}",
        resources: scenario.stack.resources ?? 3,
        EnableTerminationProtection: scenario.stack.terminationProtection ?? false,
        Tags: scenario.stack.tags,
      };
      this.pushEvent({
        LogicalResourceId: stackName,
        ResourceType: "AWS::CloudFormation::Stack",
        ResourceStatus: scenario.stack.status as StackEvent["ResourceStatus"],
        ClientRequestToken: "earlier-run",
      });
    }
    this.wire();
  }

  private stackId(): string {
    return `arn:aws:cloudformation:${this.region}:111111111111:stack/${this.stackName}/00000000-0000-0000-0000-${this.region.replace(/-/g, "").padEnd(12, "0").slice(0, 12)}`;
  }

  /** Records and delays a call, then returns its answer or throws. */
  private async handle<T>(service: RecordedCall["service"], command: string, input: object, fn: () => T): Promise<T> {
    this.calls.push({ service, command, input: input as Record<string, unknown>, at: Date.now() });
    if (this.scenario.latencyMs) await new Promise((r) => setTimeout(r, this.scenario.latencyMs));
    this.advance();
    return fn();
  }

  private pushEvent(given: Partial<StackEvent>) {
    clock++;
    const e = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<StackEvent>;
    this.events.push({
      StackId: this.stack?.StackId ?? this.stackId(),
      StackName: this.stackName,
      EventId: `evt-${clock}`,
      Timestamp: new Date(Date.now() + clock),
      PhysicalResourceId: e.ResourceType === "AWS::CloudFormation::Stack" && e.LogicalResourceId === this.stackName ? this.stack?.StackId : `${e.LogicalResourceId}-phys`,
      ...e,
    } as StackEvent);
  }

  /** Applies every scripted step whose time has come. */
  advance() {
    const now = Date.now();
    const due = this.pending.filter((s) => s.at <= now);
    this.pending = this.pending.filter((s) => s.at > now);
    for (const s of due) {
      if (s.event) this.pushEvent({ ClientRequestToken: s.token, ...s.event });
      if (s.status && this.stack) {
        if (s.status === "DELETE_COMPLETE") this.stack = undefined;
        else {
          this.stack.StackStatus = s.status;
          this.stack.StackStatusReason = s.statusReason;
          if ((s.status === "UPDATE_COMPLETE" || s.status === "CREATE_COMPLETE") && this.scenario.outputsAfter) this.stack.Outputs = this.scenario.outputsAfter;
        }
        if (s.status.endsWith("_COMPLETE") || s.status.endsWith("_FAILED")) {
          for (const cs of this.changeSets.values()) {
            if (cs.executionStatus === "EXECUTE_IN_PROGRESS")
              cs.executionStatus = s.status.includes("ROLLBACK") || s.status.endsWith("FAILED") ? "EXECUTE_FAILED" : "EXECUTE_COMPLETE";
          }
        }
      }
    }
  }

  schedule(steps: Step[], token?: string) {
    const now = Date.now();
    this.pending.push(...steps.map((s) => ({ ...s, at: now + s.afterMs, token })));
  }

  private stackEvent(status: string, reason?: string): Partial<StackEvent> {
    return { LogicalResourceId: this.stackName, ResourceType: "AWS::CloudFormation::Stack", ResourceStatus: status as StackEvent["ResourceStatus"], ResourceStatusReason: reason };
  }

  private executionSteps(type: "CREATE" | "UPDATE", changes: Change[]): Step[] {
    const exec = this.scenario.execution ?? "success";
    const monitoringMs = this.scenario.monitoringMs ?? 0;
    if (typeof exec === "function") return exec({ type, changes, monitoringMs });
    const verb = type;
    const res = (c: Change) => ({ LogicalResourceId: c.ResourceChange?.LogicalResourceId, ResourceType: c.ResourceChange?.ResourceType });
    if (exec === "success") {
      const steps: Step[] = [{ afterMs: 0, status: `${verb}_IN_PROGRESS`, event: this.stackEvent(`${verb}_IN_PROGRESS`, "User Initiated") }];
      changes.forEach((c, i) => {
        steps.push({
          afterMs: 1000 + i * 500,
          event: { ...res(c), ResourceStatus: `${c.ResourceChange?.Action === "Add" ? "CREATE" : "UPDATE"}_IN_PROGRESS` as StackEvent["ResourceStatus"] },
        });
        steps.push({
          afterMs: 4000 + i * 500,
          event: { ...res(c), ResourceStatus: `${c.ResourceChange?.Action === "Add" ? "CREATE" : "UPDATE"}_COMPLETE` as StackEvent["ResourceStatus"] },
        });
      });
      const end = 8000 + monitoringMs;
      if (verb === "UPDATE") steps.push({ afterMs: end, status: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", event: this.stackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS") });
      steps.push({ afterMs: end + 2000, status: `${verb}_COMPLETE`, event: this.stackEvent(`${verb}_COMPLETE`) });
      return steps;
    }
    // "fail": the first change fails for a real reason, the second is cancelled, then rollback.
    const [first, second] = changes;
    const rb = verb === "CREATE" ? "ROLLBACK" : "UPDATE_ROLLBACK";
    const steps: Step[] = [{ afterMs: 0, status: `${verb}_IN_PROGRESS`, event: this.stackEvent(`${verb}_IN_PROGRESS`, "User Initiated") }];
    if (second) steps.push({ afterMs: 1000, event: { ...res(second), ResourceStatus: `${verb}_IN_PROGRESS` as StackEvent["ResourceStatus"] } });
    if (first) {
      steps.push({ afterMs: 1000, event: { ...res(first), ResourceStatus: `${verb}_IN_PROGRESS` as StackEvent["ResourceStatus"] } });
      steps.push({
        afterMs: 3000,
        event: {
          ...res(first),
          ResourceStatus: `${verb}_FAILED` as StackEvent["ResourceStatus"],
          ResourceStatusReason: 'Resource handler returned message: "Invalid request provided: image not found" (HandlerErrorCode: InvalidRequest)',
        },
      });
    }
    if (second)
      steps.push({
        afterMs: 3500,
        event: {
          ...res(second),
          ResourceStatus: `${verb}_FAILED` as StackEvent["ResourceStatus"],
          ResourceStatusReason: verb === "CREATE" ? "Resource creation cancelled" : "Resource update cancelled",
        },
      });
    steps.push({
      afterMs: 4000,
      status: `${rb}_IN_PROGRESS`,
      event: this.stackEvent(
        `${rb}_IN_PROGRESS`,
        `The following resource(s) failed to ${verb.toLowerCase()}: [${changes.map((c) => c.ResourceChange?.LogicalResourceId).join(", ")}]. `,
      ),
    });
    steps.push({ afterMs: 9000, status: `${rb}_COMPLETE`, event: this.stackEvent(`${rb}_COMPLETE`) });
    return steps;
  }

  private wire() {
    const cf = mockClient(this.cfn);
    const cw = mockClient(this.cw);
    const notFound = () => Object.assign(new Error(`Stack with id ${this.stackName} does not exist`), { name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    const validation = (m: string) => Object.assign(new Error(m), { name: "ValidationError", $metadata: { httpStatusCode: 400 } });

    cf.on(DescribeStacksCommand).callsFake((input) =>
      this.handle("cloudformation", "DescribeStacks", input, () => {
        if (!this.stack) throw notFound();
        const { template: _t, resources: _r, ...visible } = this.stack;
        return { Stacks: [{ ...visible, CreationTime: new Date(0) }] };
      }),
    );
    cf.on(ListStackResourcesCommand).callsFake((input) =>
      this.handle("cloudformation", "ListStackResources", input, () => ({
        StackResourceSummaries: Array.from({ length: this.stack?.resources ?? 0 }, (_, i) => ({
          LogicalResourceId: `R${i}`,
          ResourceType: "AWS::SNS::Topic",
          ResourceStatus: "CREATE_COMPLETE" as const,
          LastUpdatedTimestamp: new Date(0),
        })),
      })),
    );
    cf.on(CreateChangeSetCommand).callsFake((input: CreateChangeSetCommandInput) =>
      this.handle("cloudformation", "CreateChangeSet", input, () => {
        const name = input.ChangeSetName!;
        const existing = this.changeSets.get(name);
        if (existing) {
          if (existing.input.ClientToken === input.ClientToken) return { Id: existing.id, StackId: this.stack?.StackId };
          throw Object.assign(new Error(`ChangeSet ${name} already exists`), { name: "AlreadyExistsException", $metadata: { httpStatusCode: 400 } });
        }
        if (input.ChangeSetType === "CREATE") {
          if (this.stack) throw validation(`Stack [${this.stackName}] already exists and cannot be created again with the changeSet [${name}].`);
          this.stack = {
            StackName: this.stackName,
            StackId: this.stackId(),
            StackStatus: "REVIEW_IN_PROGRESS",
            Parameters: input.Parameters ?? [],
            Outputs: [],
            template: input.TemplateBody ?? "",
            resources: 0,
            EnableTerminationProtection: false,
          };
          this.pushEvent({ ...this.stackEvent("REVIEW_IN_PROGRESS", "User Initiated") });
        } else if (!this.stack) throw notFound();
        const isRollback = name.endsWith("-rollback");
        const changes = isRollback
          ? [
              {
                Type: "Resource" as const,
                ResourceChange: { Action: "Modify" as const, LogicalResourceId: "Service", ResourceType: "AWS::ECS::Service", Replacement: "False" as const },
              },
            ]
          : (this.scenario.changes ?? defaultChanges());
        const cs: SimChangeSet = {
          name,
          id: `arn:aws:cloudformation:${this.region}:111111111111:changeSet/${name}/cs-${clock++}`,
          type: input.ChangeSetType === "CREATE" ? "CREATE" : "UPDATE",
          status: "CREATE_IN_PROGRESS",
          executionStatus: "UNAVAILABLE",
          changes,
          input,
          describes: 0,
        };
        this.changeSets.set(name, cs);
        return { Id: cs.id, StackId: this.stack?.StackId };
      }),
    );
    cf.on(DescribeChangeSetCommand).callsFake((input) =>
      this.handle("cloudformation", "DescribeChangeSet", input, () => {
        const cs = [...this.changeSets.values()].find((c) => c.name === input.ChangeSetName || c.id === input.ChangeSetName);
        if (!cs) throw Object.assign(new Error(`ChangeSet [${input.ChangeSetName}] does not exist`), { name: "ChangeSetNotFoundException", $metadata: { httpStatusCode: 404 } });
        cs.describes++;
        if (cs.status === "CREATE_IN_PROGRESS" && cs.describes > 1) {
          if (this.scenario.changeSetFailure && !cs.name.endsWith("-rollback")) {
            cs.status = "FAILED";
            cs.statusReason = this.scenario.changeSetFailure;
          } else if (cs.changes.length === 0) {
            cs.status = "FAILED";
            cs.statusReason = this.scenario.emptyReason ?? "The submitted information didn't contain changes. Submit different information to create a change set.";
          } else {
            cs.status = "CREATE_COMPLETE";
            cs.executionStatus = "AVAILABLE";
          }
        }
        // Two changes per page, so that the deployer must follow NextToken.
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const page = cs.changes.slice(start, start + 2);
        const next = start + 2 < cs.changes.length ? String(start + 2) : undefined;
        return {
          ChangeSetName: cs.name,
          ChangeSetId: cs.id,
          StackName: this.stackName,
          StackId: this.stack?.StackId,
          Status: cs.status as "CREATE_COMPLETE",
          ExecutionStatus: cs.executionStatus as "AVAILABLE",
          StatusReason: cs.statusReason,
          Changes: page,
          NextToken: next,
        };
      }),
    );
    cf.on(DeleteChangeSetCommand).callsFake((input) =>
      this.handle("cloudformation", "DeleteChangeSet", input, () => {
        this.changeSets.delete(input.ChangeSetName!);
        return {};
      }),
    );
    cf.on(ExecuteChangeSetCommand).callsFake((input) =>
      this.handle("cloudformation", "ExecuteChangeSet", input, () => {
        const cs = this.changeSets.get(input.ChangeSetName!);
        if (!cs) throw Object.assign(new Error("not found"), { name: "ChangeSetNotFoundException", $metadata: {} });
        if (cs.executionStatus !== "AVAILABLE") throw Object.assign(new Error(`ChangeSet is in ${cs.executionStatus}`), { name: "InvalidChangeSetStatusException", $metadata: {} });
        cs.executionStatus = "EXECUTE_IN_PROGRESS";
        if (this.stack && cs.input.TemplateBody) this.stack.template = cs.input.TemplateBody;
        if (this.stack && cs.input.Parameters) {
          // UsePreviousValue keeps what the stack had.
          const previous = this.stack.Parameters;
          this.stack.Parameters = cs.input.Parameters.map((p) =>
            p.UsePreviousValue ? { ParameterKey: p.ParameterKey, ParameterValue: previous.find((q) => q.ParameterKey === p.ParameterKey)?.ParameterValue } : p,
          );
        }
        const steps = cs.name.endsWith("-rollback")
          ? [
              { afterMs: 0, status: "UPDATE_IN_PROGRESS", event: this.stackEvent("UPDATE_IN_PROGRESS", "User Initiated") },
              { afterMs: 6000, status: "UPDATE_COMPLETE", event: this.stackEvent("UPDATE_COMPLETE") },
            ]
          : this.executionSteps(cs.type, cs.changes);
        this.schedule(steps, input.ClientRequestToken);
        for (const other of this.changeSets.values()) if (other !== cs) this.changeSets.delete(other.name);
        return {};
      }),
    );
    cf.on(DescribeStackEventsCommand).callsFake((input) =>
      this.handle("cloudformation", "DescribeStackEvents", input, () => {
        this.eventCalls++;
        const f = this.scenario.eventFaults;
        if (f?.alwaysError) throw Object.assign(new Error("Internal failure"), { name: "InternalFailure", $metadata: { httpStatusCode: 500 } });
        if (f?.throttleFirst && this.eventCalls <= f.throttleFirst) throw Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } });
        const nested = input.StackName ? this.scenario.nestedEvents?.[input.StackName] : undefined;
        if (nested) return { StackEvents: nested };
        if (!this.stack) throw notFound();
        const newestFirst = [...this.events].reverse();
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const page = newestFirst.slice(start, start + 5);
        return { StackEvents: page, NextToken: start + 5 < newestFirst.length ? String(start + 5) : undefined };
      }),
    );
    cf.on(CancelUpdateStackCommand).callsFake((input) =>
      this.handle("cloudformation", "CancelUpdateStack", input, () => {
        if (this.stack?.StackStatus !== "UPDATE_IN_PROGRESS") throw validation(`CancelUpdateStack cannot be called from current stack status [${this.stack?.StackStatus}]`);
        this.pending = [];
        this.schedule(
          [
            { afterMs: 0, status: "UPDATE_ROLLBACK_IN_PROGRESS", event: this.stackEvent("UPDATE_ROLLBACK_IN_PROGRESS", "Stack update cancelled") },
            { afterMs: 5000, status: "UPDATE_ROLLBACK_COMPLETE", event: this.stackEvent("UPDATE_ROLLBACK_COMPLETE") },
          ],
          input.ClientRequestToken,
        );
        return {};
      }),
    );
    cf.on(DeleteStackCommand).callsFake((input) =>
      this.handle("cloudformation", "DeleteStack", input, () => {
        if (!this.stack) return {};
        if (this.stack.EnableTerminationProtection) throw validation(`Stack [${this.stackName}] cannot be deleted while TerminationProtection is enabled`);
        this.schedule(
          [
            { afterMs: 0, status: "DELETE_IN_PROGRESS" },
            { afterMs: 3000, status: "DELETE_COMPLETE" },
          ],
          input.ClientRequestToken,
        );
        this.changeSets.clear();
        return {};
      }),
    );
    cf.on(ContinueUpdateRollbackCommand).callsFake((input) =>
      this.handle("cloudformation", "ContinueUpdateRollback", input, () => {
        this.schedule(
          [
            { afterMs: 0, status: "UPDATE_ROLLBACK_IN_PROGRESS" },
            { afterMs: 4000, status: "UPDATE_ROLLBACK_COMPLETE" },
          ],
          input.ClientRequestToken,
        );
        return {};
      }),
    );
    cf.on(RollbackStackCommand).callsFake((input) =>
      this.handle("cloudformation", "RollbackStack", input, () => {
        this.schedule(
          [
            { afterMs: 0, status: "UPDATE_ROLLBACK_IN_PROGRESS" },
            { afterMs: 4000, status: "UPDATE_ROLLBACK_COMPLETE" },
          ],
          input.ClientRequestToken,
        );
        return { StackId: this.stack?.StackId };
      }),
    );
    cf.on(GetTemplateCommand).callsFake((input) => this.handle("cloudformation", "GetTemplate", input, () => ({ TemplateBody: this.stack?.template })));
    cf.on(SetStackPolicyCommand).callsFake((input) =>
      this.handle("cloudformation", "SetStackPolicy", input, () => {
        this.stackPolicies.push(input.StackPolicyBody ?? "");
        return {};
      }),
    );
    cf.on(UpdateTerminationProtectionCommand).callsFake((input) =>
      this.handle("cloudformation", "UpdateTerminationProtection", input, () => {
        if (this.stack) this.stack.EnableTerminationProtection = input.EnableTerminationProtection ?? false;
        return { StackId: this.stack?.StackId };
      }),
    );
    cf.on(DetectStackDriftCommand).callsFake((input) => this.handle("cloudformation", "DetectStackDrift", input, () => ({ StackDriftDetectionId: "drift-1" })));
    cf.on(DescribeStackDriftDetectionStatusCommand).callsFake((input) =>
      this.handle("cloudformation", "DescribeStackDriftDetectionStatus", input, () => ({
        StackId: this.stack?.StackId,
        StackDriftDetectionId: "drift-1",
        DetectionStatus: "DETECTION_COMPLETE" as const,
        StackDriftStatus: this.scenario.drift ?? "IN_SYNC",
        Timestamp: new Date(),
      })),
    );
    cf.on(DescribeStackResourceDriftsCommand).callsFake((input) =>
      this.handle("cloudformation", "DescribeStackResourceDrifts", input, () => ({
        StackResourceDrifts: [
          { StackId: this.stack?.StackId, LogicalResourceId: "Table", ResourceType: "AWS::DynamoDB::Table", StackResourceDriftStatus: "MODIFIED" as const, Timestamp: new Date() },
        ],
      })),
    );

    cw.on(DescribeAlarmsCommand).callsFake((input) =>
      this.handle("cloudwatch", "DescribeAlarms", input, () => {
        const now = Date.now();
        const alarms = (input.AlarmNames ?? []).flatMap((name: string) => {
          const timeline = this.scenario.alarms?.[name];
          if (!timeline) return [];
          const current = [...timeline].reverse().find((t) => t.at <= now) ?? { state: "INSUFFICIENT_DATA" as const, reason: "no data yet" };
          return [{ AlarmName: name, StateValue: current.state, StateReason: current.reason ?? `state ${current.state}`, StateUpdatedTimestamp: new Date(now) }];
        });
        return { MetricAlarms: alarms, CompositeAlarms: [] };
      }),
    );
  }

  /** Calls of one command, in order. */
  callsOf(command: string): RecordedCall[] {
    return this.calls.filter((c) => c.command === command);
  }
}

export function change(
  action: "Add" | "Modify" | "Remove",
  logicalId: string,
  type: string,
  replacement?: "True" | "False" | "Conditional",
  extra: Partial<NonNullable<Change["ResourceChange"]>> = {},
): Change {
  return {
    Type: "Resource",
    ResourceChange: {
      Action: action,
      LogicalResourceId: logicalId,
      ResourceType: type,
      Replacement: action === "Modify" ? (replacement ?? "False") : undefined,
      Scope: action === "Modify" ? ["Properties"] : [],
      Details:
        action === "Modify"
          ? [{ Target: { Attribute: "Properties", Name: "TaskDefinition", RequiresRecreation: "Never" }, Evaluation: "Static", ChangeSource: "DirectModification" }]
          : [],
      ...extra,
    },
  };
}

export function defaultChanges(): Change[] {
  return [
    change("Modify", "TaskDefinition", "AWS::ECS::TaskDefinition", "True"),
    change("Modify", "Service", "AWS::ECS::Service", "False"),
    change("Add", "Queue", "AWS::SQS::Queue"),
  ];
}

/** Runs a promise to completion while advancing fake timers in steps. */
export async function drive<T>(promise: Promise<T>, vi: { advanceTimersByTimeAsync(ms: number): Promise<unknown> }, stepMs = 500, maxMs = 6 * 3600_000): Promise<T> {
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e) => {
      settled = true;
      error = e;
    },
  );
  for (let t = 0; !settled && t < maxMs; t += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  if (!settled) throw new Error(`did not settle within ${maxMs} fake ms`);
  if (error) throw error;
  return value as T;
}
