// The steps around a change set: bring the stack into a state where one can be created, and
// protect a stack this run created.
import type { Stack } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";
import { DeployStop, type StackDeployRequest } from "./deploy-request.js";
import { sleep } from "./poll.js";
import { applyStackPolicy, enableTerminationProtection, statefulStackPolicy } from "./protection.js";
import { countStackResources, describeStack } from "./stack.js";
import { classifyStack } from "./state.js";
import { waitUntilSettled } from "./watch.js";

/** Brings the stack into a state where a change set can be created; returns it (undefined = create). */
export async function prepareStack(req: StackDeployRequest, initial: Stack | undefined, name: string, log: (l: string) => void): Promise<Stack | undefined> {
  let stack = initial;
  const waitUntil = Date.now() + req.waitInProgressMs;
  for (;;) {
    const resourceCount = stack?.StackStatus === "CREATE_FAILED" ? await countStackResources(req.client, req.stackName) : undefined;
    const plan = classifyStack({ stack, resourceCount, allowContinueUpdateRollback: req.protection.continueUpdateRollback });
    switch (plan.kind) {
      case "create":
      case "update":
        return stack;
      case "stop":
        throw new DeployStop("stopped", plan.message, plan.status);
      case "wait": {
        if (Date.now() >= waitUntil) {
          throw new DeployStop(
            "stopped",
            `${req.stackName} is still ${plan.status} after waiting ${Math.round(req.waitInProgressMs / 60000)} min for another operation. ` +
              "Let it finish (or cancel it in the console) and deploy again.",
            plan.status,
          );
        }
        log(`${plan.status}: another operation is running; waiting for it`);
        await sleep(req.pollMs);
        stack = await describeStack(req.client, req.stackName);
        continue;
      }
      case "recreate": {
        log(`${plan.reason}: deleting it, then creating it`);
        await req.client.send(new (await cloudFormationSdk()).DeleteStackCommand({ StackName: req.stackName, ClientRequestToken: `${name}-clear`.slice(0, 128) }));
        stack = await waitUntilSettled(req.client, req.stackName, { pollMs: req.pollMs, timeoutMs: req.timeoutMs });
        if (stack) throw new DeployStop("stopped", `deleting ${req.stackName} ended in ${stack.StackStatus}; see the stack events, fix, and deploy again`, stack.StackStatus);
        return undefined;
      }
      case "continue-rollback": {
        log("UPDATE_ROLLBACK_FAILED: continuing the rollback (protection.continueUpdateRollback)");
        await req.client.send(new (await cloudFormationSdk()).ContinueUpdateRollbackCommand({ StackName: req.stackName, ClientRequestToken: `${name}-continue`.slice(0, 128) }));
        stack = await waitUntilSettled(req.client, req.stackName, { pollMs: req.pollMs, timeoutMs: req.timeoutMs });
        if (stack?.StackStatus !== "UPDATE_ROLLBACK_COMPLETE") {
          throw new DeployStop(
            "stopped",
            `ContinueUpdateRollback ended in ${stack?.StackStatus ?? "nothing"}; fix the resource named in the events, or skip it with --resources-to-skip, then deploy again`,
            stack?.StackStatus,
          );
        }
        continue;
      }
    }
  }
}

/** Turns on the protections the request asks for on a stack this run created. */
export async function protectNewStack(req: StackDeployRequest, log: (l: string) => void): Promise<void> {
  if (req.protection.terminationProtection) {
    await enableTerminationProtection(req.client, req.stackName);
    log("termination protection on");
  }
  if (req.protection.stackPolicy) {
    await applyStackPolicy(req.client, req.stackName, statefulStackPolicy(req.protection.allowReplacement, req.protection.statefulTypes));
    log("stack policy set");
  }
}
