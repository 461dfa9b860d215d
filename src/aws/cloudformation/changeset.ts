import type { Capability, CloudFormationClient, DescribeChangeSetOutput, Parameter, RollbackConfiguration, Tag } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";
import { randomBytes } from "node:crypto";
import { errorText } from "../../errors.js";
import { Backoff, isThrottling, sleep } from "./poll.js";

/**
 * The two reasons AWS gives for a change set without changes. The first is the usual one; the
 * second appears with transforms (SAM, macros) when the processed template is unchanged.
 */
export const EMPTY_CHANGE_SET_REASONS = [
  "The submitted information didn't contain changes. Submit different information to create a change set.",
  "No updates are to be performed.",
] as const;

/** True when a FAILED change set's reason means "nothing to change". */
export function isEmptyChangeSetReason(reason: string | undefined): boolean {
  if (!reason) return false;
  return EMPTY_CHANGE_SET_REASONS.some((m) => reason.includes(m)) || reason.includes("didn't contain changes");
}

/** Change set names: a letter, then letters, digits and -, at most 128 characters. */
export function changeSetName(runId: string): string {
  const cleaned = runId
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (cleaned === "") throw new Error(`run ID "${runId}" has no letters or digits; it names the change set`);
  return `dpra-${cleaned}`.slice(0, 128);
}

export interface ChangeSetRequest {
  stackName: string;
  name: string;
  type: "CREATE" | "UPDATE";
  /** Absent: the stack's current template (UsePreviousTemplate, updates only). */
  templateBody?: string;
  parameters: Parameter[];
  /** Stack tags; an empty list would remove every tag on an update. */
  tags: Tag[];
  capabilities: Capability[];
  rollbackConfiguration?: RollbackConfiguration;
  description?: string;
}

/**
 * Creates the change set. The ClientToken makes the SDK's retries of this call return the same
 * change set; it is fresh per call (not the name), because across runs the change set is found by
 * its name, and a token reused after CloudFormation deleted an executed change set of that name
 * could point at the deleted one.
 */
export async function createChangeSet(client: CloudFormationClient, req: ChangeSetRequest): Promise<string> {
  const out = await client.send(
    new (await cloudFormationSdk()).CreateChangeSetCommand({
      StackName: req.stackName,
      ChangeSetName: req.name,
      ChangeSetType: req.type,
      ClientToken: `${req.name.slice(0, 119)}-${randomBytes(4).toString("hex")}`,
      ...(req.templateBody === undefined ? { UsePreviousTemplate: true } : { TemplateBody: req.templateBody }),
      Parameters: req.parameters,
      Tags: req.tags,
      Capabilities: req.capabilities,
      RollbackConfiguration: req.rollbackConfiguration,
      IncludeNestedStacks: true,
      Description: req.description,
    }),
  );
  if (!out.Id) throw new Error(`CreateChangeSet ${req.name} on ${req.stackName} returned no change set ID`);
  return out.Id;
}

export async function deleteChangeSet(client: CloudFormationClient, stackName: string, name: string): Promise<void> {
  await client.send(new (await cloudFormationSdk()).DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: name }));
}

/**
 * True when DescribeChangeSet's error says that the change set `name` does not exist: AWS's
 * ChangeSetNotFound, or moto 5.2.1's `ValidationError: Stack with id <name> does not exist`, which
 * names the change set (not the stack) as the missing one.
 */
export function isChangeSetNotFound(err: unknown, name: string): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  if (e?.name === "ChangeSetNotFoundException" || e?.name === "ChangeSetNotFound") return true;
  return e?.name === "ValidationError" && e.message === `Stack with id ${name} does not exist`;
}

/** Describes a change set (first page), or undefined when it does not exist. */
export async function findChangeSet(client: CloudFormationClient, stackName: string, name: string): Promise<DescribeChangeSetOutput | undefined> {
  try {
    return await client.send(new (await cloudFormationSdk()).DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: name }));
  } catch (err) {
    if (isChangeSetNotFound(err, name)) return undefined;
    throw err;
  }
}

export type ChangeSetReady = { status: "ready"; id: string } | { status: "empty"; reason: string } | { status: "failed"; reason: string };

/** Polls until the change set leaves CREATE_PENDING / CREATE_IN_PROGRESS. */
export async function waitForChangeSet(
  client: CloudFormationClient,
  stackName: string,
  nameOrId: string,
  opts: { pollMs: number; timeoutMs: number; signal?: AbortSignal },
): Promise<ChangeSetReady> {
  const deadline = Date.now() + opts.timeoutMs;
  const backoff = new Backoff(opts.pollMs, 60_000);
  for (;;) {
    let throttled = false;
    try {
      const cs = await client.send(new (await cloudFormationSdk()).DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: nameOrId }), { abortSignal: opts.signal });
      if (cs.Status === "CREATE_COMPLETE") return { status: "ready", id: cs.ChangeSetId ?? nameOrId };
      if (cs.Status === "FAILED") {
        const reason = cs.StatusReason ?? "no reason given";
        return isEmptyChangeSetReason(reason) ? { status: "empty", reason } : { status: "failed", reason };
      }
    } catch (err) {
      if (!isThrottling(err)) throw new Error(`DescribeChangeSet ${nameOrId} failed: ${errorText(err)}`, { cause: err });
      throttled = true;
    }
    if (Date.now() >= deadline) throw new Error(`change set ${nameOrId} on ${stackName} was not ready after ${Math.round(opts.timeoutMs / 1000)} s`);
    await sleep(backoff.next(throttled), opts.signal);
  }
}
