import type { CloudFormationClient, StackEvent } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";

/** Reasons CloudFormation gives to resources it stopped because another one failed. */
export const CANCELLATION_REASONS = ["Resource creation cancelled", "Resource update cancelled", "Resource deletion cancelled"];

/** How many event pages one poll may read before it stops looking for older new events. */
const MAX_PAGES_PER_POLL = 10;

/**
 * Reads a stack's events incrementally. DescribeStackEvents returns newest first; each poll
 * pages back until it meets an event it has seen, the baseline (the newest event before our
 * operation), or an event of another operation (a different ClientRequestToken).
 */
export class StackEventStream {
  private readonly seen = new Set<string>();
  /** Events of our operation, oldest first. */
  readonly events: StackEvent[] = [];

  constructor(
    private readonly client: CloudFormationClient,
    private readonly stackName: string,
    private readonly opts: { baselineEventId?: string; clientRequestToken?: string } = {},
  ) {}

  /** The newest event ID of a stack, used as the baseline before starting an operation. */
  static async newestEventId(client: CloudFormationClient, stackName: string): Promise<string | undefined> {
    const out = await client.send(new (await cloudFormationSdk()).DescribeStackEventsCommand({ StackName: stackName }));
    return out.StackEvents?.[0]?.EventId;
  }

  /** Fetches the events that are new since the last call, oldest first. Throws on API errors. */
  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let next: string | undefined;
    let pages = 0;
    outer: do {
      const out = await this.client.send(new (await cloudFormationSdk()).DescribeStackEventsCommand({ StackName: this.stackName, NextToken: next }));
      for (const e of out.StackEvents ?? []) {
        const id = e.EventId ?? "";
        if (this.seen.has(id) || id === this.opts.baselineEventId) break outer;
        const token = this.opts.clientRequestToken;
        if (token && e.ClientRequestToken && e.ClientRequestToken !== token) break outer;
        fresh.push(e);
      }
      next = out.NextToken;
    } while (next && ++pages < MAX_PAGES_PER_POLL);
    fresh.reverse();
    for (const e of fresh) {
      if (e.EventId) this.seen.add(e.EventId);
      this.events.push(e);
    }
    return fresh;
  }
}

/** The failing resource that caused a stack operation to fail. */
export interface RootCause {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
  physicalId?: string;
  timestamp?: string;
  hook?: { type: string; status: string; reason?: string; failureMode?: string };
  /** Logical IDs of the nested stacks the failure is in, outermost first. */
  nestedIn?: string[];
}

function isCancellation(reason: string | undefined): boolean {
  return reason !== undefined && CANCELLATION_REASONS.some((c) => reason.includes(c));
}

function isStackItself(e: StackEvent): boolean {
  return e.ResourceType === "AWS::CloudFormation::Stack" && (e.PhysicalResourceId === e.StackId || e.LogicalResourceId === e.StackName);
}

function hookFailed(e: StackEvent): boolean {
  return e.HookStatus === "HOOK_COMPLETE_FAILED" || e.HookStatus === "HOOK_FAILED";
}

/**
 * The chronologically first resource failure that is not a cancellation, ignoring the
 * stack-level events (their reason only says "The following resource(s) failed..."). A hook
 * that failed in FAIL mode counts as the resource's failure. Events given in any order.
 */
export function findRootCause(events: readonly StackEvent[]): RootCause | undefined {
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.Timestamp?.getTime() ?? 0) - (b.e.Timestamp?.getTime() ?? 0) || a.i - b.i)
    .map(({ e }) => e);
  for (const e of ordered) {
    if (isStackItself(e)) continue;
    const failedStatus = e.ResourceStatus?.endsWith("_FAILED") === true;
    const failedHook = hookFailed(e) && e.HookFailureMode !== "WARN";
    if (!failedStatus && !failedHook) continue;
    if (failedStatus && isCancellation(e.ResourceStatusReason)) continue;
    return {
      logicalId: e.LogicalResourceId ?? "?",
      resourceType: e.ResourceType ?? "?",
      status: failedStatus ? (e.ResourceStatus ?? "?") : (e.HookStatus ?? "?"),
      reason: (failedStatus ? e.ResourceStatusReason : e.HookStatusReason) ?? "no reason given",
      physicalId: e.PhysicalResourceId || undefined,
      timestamp: e.Timestamp?.toISOString(),
      hook: e.HookType ? { type: e.HookType, status: e.HookStatus ?? "?", reason: e.HookStatusReason, failureMode: e.HookFailureMode } : undefined,
    };
  }
  return undefined;
}

/**
 * When no resource failed (e.g. a template error found while creating), the reason of the first
 * stack-level event that started a rollback or failed is the best explanation available.
 */
export function findStackFailureReason(events: readonly StackEvent[]): string | undefined {
  const ordered = [...events].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
  const e = ordered.find((x) => isStackItself(x) && x.ResourceStatusReason && (x.ResourceStatus?.includes("ROLLBACK_IN_PROGRESS") || x.ResourceStatus?.endsWith("_FAILED")));
  return e?.ResourceStatusReason;
}

/** How many nested stack levels the root cause search descends. */
const MAX_NESTED_DEPTH = 3;

/**
 * When the first failure is a nested stack, its own reason only names the resource that failed
 * inside it; read the nested stack's events (those since `since`) to report that resource instead.
 * Best effort: a failed read keeps the nested stack's own failure.
 */
export async function refineNestedRootCause(client: CloudFormationClient, cause: RootCause, since: Date | undefined, depth = 0): Promise<RootCause> {
  if (cause.resourceType !== "AWS::CloudFormation::Stack" || !cause.physicalId || depth >= MAX_NESTED_DEPTH) return cause;
  try {
    const events: StackEvent[] = [];
    let next: string | undefined;
    let pages = 0;
    outer: do {
      const out = await client.send(new (await cloudFormationSdk()).DescribeStackEventsCommand({ StackName: cause.physicalId, NextToken: next }));
      for (const e of out.StackEvents ?? []) {
        if (since && e.Timestamp && e.Timestamp < since) break outer;
        events.push(e);
      }
      next = out.NextToken;
    } while (next && ++pages < MAX_PAGES_PER_POLL);
    const inner = findRootCause(events);
    if (!inner) return cause;
    const refined = await refineNestedRootCause(client, inner, since, depth + 1);
    return { ...refined, nestedIn: [cause.logicalId, ...(refined.nestedIn ?? [])] };
  } catch {
    return cause;
  }
}

export function formatRootCause(c: RootCause): string {
  const where = c.nestedIn && c.nestedIn.length > 0 ? `${c.nestedIn.join("/")}/` : "";
  const hook = c.hook ? ` [hook ${c.hook.type}: ${c.hook.status}${c.hook.reason ? ` - ${c.hook.reason}` : ""}]` : "";
  return `${where}${c.logicalId} (${c.resourceType}) ${c.status}: ${c.reason}${hook}`;
}

/** One event as a log line: time, status, resource and reason. */
export function formatEvent(e: StackEvent): string {
  const time = e.Timestamp?.toISOString().slice(11, 19) ?? "--:--:--";
  const reason = e.ResourceStatusReason ? `  ${e.ResourceStatusReason}` : "";
  const hook = e.HookType && e.HookStatus ? `  [hook ${e.HookType} ${e.HookStatus}]` : "";
  return `${time} ${(e.ResourceStatus ?? "").padEnd(28)} ${(e.ResourceType ?? "").padEnd(32)} ${e.LogicalResourceId ?? ""}${reason}${hook}`;
}
