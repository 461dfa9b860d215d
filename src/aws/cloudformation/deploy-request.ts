// What a single-stack deploy is asked to do and what it reports, shared by the deployer and the
// steps that prepare and protect the stack.
import type { Capability, CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { ChangeSetDiff } from "./diff.js";
import type { RootCause } from "./events.js";
import type { StackOutputView } from "./outputs.js";
import type { StackSnapshot } from "./rollback.js";

export interface StackProtectionOptions {
  terminationProtection: boolean;
  stackPolicy: boolean;
  guardStatefulReplacement: boolean;
  statefulTypes: string[];
  allowReplacement: string[];
  detectDrift: boolean;
  continueUpdateRollback: boolean;
}

export interface StackDeployRequest {
  client: CloudFormationClient;
  region: string;
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  /**
   * Update only the given parameters on the stack's current template: every other parameter the
   * stack has keeps its value (UsePreviousValue). Refused when the stack does not exist.
   */
  onlyParameters?: boolean;
  tags: Record<string, string>;
  capabilities: Capability[];
  /** Alarm ARNs that CloudFormation watches as rollback triggers. */
  rollbackAlarmArns: string[];
  monitoringMinutes: number;
  /** Identifies the pipeline run; names the change set so that a rerun finds it. */
  runId: string;
  /** Stop after describing the change set. */
  preview: boolean;
  protection: StackProtectionOptions;
  pollMs: number;
  /** Bounded wait for an operation someone else started. */
  waitInProgressMs: number;
  timeoutMs: number;
  log: (line: string) => void;
  /** Called once the change set is executing (or found executing), before events are watched. */
  onExecuting?: () => void;
}

export type StackOutcome =
  | "created"
  | "updated"
  | "no-change"
  | "preview"
  /** The operation failed; CloudFormation rolled it back. */
  | "failed"
  /** The stack needs a human, or the deploy timed out while watching. */
  | "stopped"
  /** A protection refused the change set. */
  | "refused";

export interface StackDeployResult {
  region: string;
  stackName: string;
  outcome: StackOutcome;
  stackStatus: string;
  changeSetName: string;
  diff?: ChangeSetDiff;
  diffText: string;
  outputs: StackOutputView[];
  rootCause?: RootCause;
  /** What happened, in one or two sentences; what to do when it failed. */
  message: string;
  durationMs: number;
  /** The state before our change, kept for an explicit rollback. */
  snapshot?: StackSnapshot;
  createdInThisRun: boolean;
  /** True when this run picked up a change set or operation left by an earlier run. */
  resumed: boolean;
}

/** Ends a deploy early with the outcome to report; the deployer turns it into its result. */
export class DeployStop extends Error {
  constructor(
    readonly outcome: StackOutcome,
    message: string,
    readonly status?: string,
  ) {
    super(message);
  }
}
