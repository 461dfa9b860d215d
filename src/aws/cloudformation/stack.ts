import type { CloudFormationClient, Stack } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";
import { errorText } from "../../errors.js";

/** A stack that does not exist, or exists only as a deleted record. */
function isMissingStackError(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e?.name === "ValidationError" && typeof e.message === "string" && /does not exist/.test(e.message);
}

/**
 * The stack, or undefined when it does not exist. Throttling is retried by the SDK client (the one
 * retry layer, docs/aws-retries.md); a call still throttled after that fails here, with the cause kept.
 */
export async function describeStack(client: CloudFormationClient, stackName: string, signal?: AbortSignal): Promise<Stack | undefined> {
  try {
    const out = await client.send(new (await cloudFormationSdk()).DescribeStacksCommand({ StackName: stackName }), { abortSignal: signal });
    const stack = out.Stacks?.[0];
    if (!stack || stack.StackStatus === "DELETE_COMPLETE") return undefined;
    return stack;
  } catch (err) {
    if (isMissingStackError(err)) return undefined;
    throw new Error(`DescribeStacks ${stackName} failed: ${errorText(err)}`, { cause: err });
  }
}

/** Number of resources the stack holds (stops counting at the first page that has some). */
export async function countStackResources(client: CloudFormationClient, stackName: string): Promise<number> {
  let count = 0;
  let next: string | undefined;
  do {
    const out = await client.send(new (await cloudFormationSdk()).ListStackResourcesCommand({ StackName: stackName, NextToken: next }));
    const live = (out.StackResourceSummaries ?? []).filter((r) => r.ResourceStatus !== "DELETE_COMPLETE");
    count += live.length;
    next = out.NextToken;
  } while (next && count === 0);
  return count;
}

/** True for a status in which no operation is running. */
export function isSettled(status: string | undefined): boolean {
  return status !== undefined && !status.endsWith("_IN_PROGRESS");
}

/** Statuses after which a stack can take a normal update. */
export const UPDATABLE = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"]);

/** Terminal statuses that mean the operation we ran did not take effect. */
export function isRolledBackOrFailed(status: string | undefined): boolean {
  return status !== undefined && (status.includes("ROLLBACK") || status.endsWith("_FAILED"));
}
