import type { Capability, CloudFormationClient, Parameter, Stack, Tag } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";
import { createChangeSet, waitForChangeSet } from "./changeset.js";
import { StackEventStream, findRootCause, formatRootCause } from "./events.js";
import { errorText } from "../../errors.js";
import { describeStack } from "./stack.js";
import { watchStackOperation } from "./watch.js";

/** What a stack looked like before our deploy: enough to deploy it back. */
export interface StackSnapshot {
  stackName: string;
  status: string;
  templateBody: string;
  parameters: Parameter[];
  capabilities: Capability[];
  tags: Tag[];
}

/** Parameter values DescribeStacks masks (NoEcho); they are sent back as UsePreviousValue. */
const MASKED = "****";

/** Captures the template (as submitted) and parameters of a stack before it is changed. */
export async function captureSnapshot(client: CloudFormationClient, stack: Stack): Promise<StackSnapshot> {
  const stackName = stack.StackName ?? "";
  const tpl = await client.send(new (await cloudFormationSdk()).GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }));
  if (!tpl.TemplateBody) throw new Error(`GetTemplate ${stackName} returned no template body`);
  return {
    stackName,
    status: stack.StackStatus ?? "UNKNOWN",
    templateBody: tpl.TemplateBody,
    parameters: (stack.Parameters ?? []).map((p) =>
      p.ParameterValue === MASKED ? { ParameterKey: p.ParameterKey, UsePreviousValue: true } : { ParameterKey: p.ParameterKey, ParameterValue: p.ParameterValue },
    ),
    capabilities: stack.Capabilities ?? [],
    tags: stack.Tags ?? [],
  };
}

export type RollbackMethod = "cancel-update" | "cloudformation" | "rollback-stack" | "previous-template" | "delete-new-stack" | "none";

export interface RollbackResult {
  ok: boolean;
  method: RollbackMethod;
  finalStatus: string;
  message: string;
}

export interface RollbackRequest {
  client: CloudFormationClient;
  region: string;
  stackName: string;
  /** The state before our deploy; undefined when the stack was created by this run. */
  snapshot?: StackSnapshot;
  createdInThisRun: boolean;
  /** Name of the deploy's change set; rollback tokens and change sets derive from it. */
  changeSetName: string;
  terminationProtection: boolean;
  /** The stack's status when the caller already knows it: saves a round trip before reacting. */
  knownStatus?: string;
  pollMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Returns a stack to its state before this run, choosing the API the stack's status allows:
 * - operation still running (incl. the rollback-trigger monitoring window): CancelUpdateStack,
 *   then CloudFormation rolls back by itself;
 * - UPDATE_FAILED / CREATE_FAILED: RollbackStack;
 * - UPDATE_COMPLETE after our update: RollbackStack does not apply to completed updates, so a
 *   change set redeploys the captured template and parameters, without rollback triggers (the
 *   alarm that caused this rollback is still in ALARM and would fail it);
 * - created by this run: the stack is deleted, unless termination protection is on.
 */
export async function rollbackStack(r: RollbackRequest): Promise<RollbackResult> {
  const label = `[${r.region} ${r.stackName}] rollback:`;
  let status = r.knownStatus ?? (await describeStack(r.client, r.stackName))?.StackStatus ?? "DELETE_COMPLETE";
  const watch = async (token?: string) => {
    const stream = new StackEventStream(r.client, r.stackName, { clientRequestToken: token });
    const w = await watchStackOperation({ client: r.client, stackName: r.stackName, label, pollMs: r.pollMs, timeoutMs: r.timeoutMs, log: r.log, stream });
    return { status: w.stack?.StackStatus ?? "DELETE_COMPLETE", settled: w.settled, events: w.events };
  };
  try {
    if (status === "UPDATE_IN_PROGRESS") {
      r.log(`${label} the update is still running (or in its monitoring window): CancelUpdateStack`);
      await r.client.send(new (await cloudFormationSdk()).CancelUpdateStackCommand({ StackName: r.stackName, ClientRequestToken: `${r.changeSetName}-cancel`.slice(0, 128) }));
      const w = await watch();
      return result(w.status === "UPDATE_ROLLBACK_COMPLETE", "cancel-update", w.status);
    }
    if (status.endsWith("_IN_PROGRESS")) {
      r.log(`${label} ${status}: waiting for CloudFormation to finish`);
      const w = await watch();
      status = w.status;
      if (status === "UPDATE_ROLLBACK_COMPLETE" || status === "ROLLBACK_COMPLETE" || status === "DELETE_COMPLETE") {
        return result(true, "cloudformation", status);
      }
    }
    if (status === "UPDATE_FAILED" || status === "CREATE_FAILED") {
      await r.client.send(new (await cloudFormationSdk()).RollbackStackCommand({ StackName: r.stackName, ClientRequestToken: `${r.changeSetName}-rollback`.slice(0, 128) }));
      const w = await watch();
      return result(w.status.endsWith("ROLLBACK_COMPLETE"), "rollback-stack", w.status);
    }
    if (status === "UPDATE_ROLLBACK_COMPLETE" || status === "ROLLBACK_COMPLETE" || status === "DELETE_COMPLETE") {
      return result(true, "none", status, "already rolled back");
    }
    if (r.createdInThisRun) {
      if (r.terminationProtection) {
        return result(false, "none", status, "the stack was created by this run but has termination protection; delete it by hand if it must go");
      }
      r.log(`${label} the stack was created by this run: deleting it`);
      await r.client.send(new (await cloudFormationSdk()).DeleteStackCommand({ StackName: r.stackName, ClientRequestToken: `${r.changeSetName}-delete`.slice(0, 128) }));
      const w = await watch();
      return result(w.status === "DELETE_COMPLETE", "delete-new-stack", w.status);
    }
    if (!r.snapshot) {
      return result(false, "none", status, "no state from before the deploy was captured (the run resumed after executing); redeploy the previous version");
    }
    return await redeploySnapshot(r, r.snapshot, label, status);
  } catch (err) {
    return result(false, "none", status, `rollback failed: ${errorText(err)}`);
  }

  function result(ok: boolean, method: RollbackMethod, finalStatus: string, note?: string): RollbackResult {
    const message = `${ok ? "rolled back" : "NOT rolled back"} (${method}), stack ${finalStatus}${note ? `: ${note}` : ""}`;
    r.log(`${label} ${message}`);
    return { ok, method, finalStatus, message };
  }
}

async function redeploySnapshot(r: RollbackRequest, snap: StackSnapshot, label: string, status: string): Promise<RollbackResult> {
  const name = `${r.changeSetName}-rollback`.slice(0, 128);
  r.log(`${label} ${status}: redeploying the template and parameters from before the deploy (change set ${name})`);
  await createChangeSet(r.client, {
    stackName: r.stackName,
    name,
    type: "UPDATE",
    templateBody: snap.templateBody,
    parameters: snap.parameters,
    tags: snap.tags,
    capabilities: snap.capabilities,
    rollbackConfiguration: { RollbackTriggers: [], MonitoringTimeInMinutes: 0 },
    description: "dpra: roll back to the state before the deploy",
  });
  const ready = await waitForChangeSet(r.client, r.stackName, name, { pollMs: r.pollMs, timeoutMs: r.timeoutMs });
  const finish = (ok: boolean, finalStatus: string, note?: string): RollbackResult => {
    const message = `${ok ? "rolled back" : "NOT rolled back"} (previous-template), stack ${finalStatus}${note ? `: ${note}` : ""}`;
    r.log(`${label} ${message}`);
    return { ok, method: "previous-template", finalStatus, message };
  };
  if (ready.status === "empty") return finish(true, status, "the stack already matches the previous state");
  if (ready.status === "failed") return finish(false, status, `the rollback change set failed: ${ready.reason}`);
  const token = `${name}-exec`.slice(0, 128);
  await r.client.send(new (await cloudFormationSdk()).ExecuteChangeSetCommand({ StackName: r.stackName, ChangeSetName: name, ClientRequestToken: token }));
  const stream = new StackEventStream(r.client, r.stackName, { clientRequestToken: token });
  const w = await watchStackOperation({ client: r.client, stackName: r.stackName, label, pollMs: r.pollMs, timeoutMs: r.timeoutMs, log: r.log, stream });
  const final = w.stack?.StackStatus ?? "DELETE_COMPLETE";
  const cause = findRootCause(w.events);
  return finish(final === "UPDATE_COMPLETE", final, cause ? formatRootCause(cause) : undefined);
}
