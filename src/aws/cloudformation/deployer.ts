// One stack in one region through a change set (deployStack); the request and result types are in
// deploy-request.ts, the steps that prepare and protect the stack in prepare.ts.
import { cloudFormationSdk } from "../sdk.js";
import { changeSetName, createChangeSet, deleteChangeSet, findChangeSet, isEmptyChangeSetReason, waitForChangeSet } from "./changeset.js";
import { DeployStop, type StackDeployRequest, type StackDeployResult, type StackOutcome } from "./deploy-request.js";
import { describeChangeSetDiff, formatDiff, type ChangeSetDiff } from "./diff.js";
import { StackEventStream, findRootCause, findStackFailureReason, formatRootCause, refineNestedRootCause } from "./events.js";
import { stackOutputs, type StackOutputView } from "./outputs.js";
import { errorText } from "../../errors.js";
import { prepareStack, protectNewStack } from "./prepare.js";
import {
  applyStackPolicy,
  detectDrift,
  enableTerminationProtection,
  findStatefulReplacements,
  formatDriftRefusal,
  formatReplacementRefusal,
  statefulStackPolicy,
} from "./protection.js";
import { captureSnapshot, type StackSnapshot } from "./rollback.js";
import { describeStack, isRolledBackOrFailed } from "./stack.js";
import { watchStackOperation } from "./watch.js";

// Callers keep importing the request and result types from here.
export type { StackDeployRequest, StackDeployResult, StackOutcome, StackProtectionOptions } from "./deploy-request.js";

/** The TemplateBody limit of CreateChangeSet; larger templates need TemplateURL. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/**
 * Deploys one stack in one region through a change set, following the documented order:
 * classify the stack, create the change set, describe it, stop for preview, execute, watch,
 * report. Never throws for an AWS-side failure: the result says what happened.
 */
export async function deployStack(req: StackDeployRequest): Promise<StackDeployResult> {
  const started = Date.now();
  const name = changeSetName(req.runId);
  const label = `[${req.region} ${req.stackName}]`;
  const log = (line: string) => req.log(`${label} ${line}`);
  const base = {
    region: req.region,
    stackName: req.stackName,
    changeSetName: name,
    outputs: [] as StackOutputView[],
    diffText: "",
    createdInThisRun: false,
    resumed: false,
  };
  const state: { diff?: ChangeSetDiff; diffText: string; snapshot?: StackSnapshot; created: boolean; resumed: boolean } = {
    diffText: "",
    created: false,
    resumed: false,
  };
  const finish = (outcome: StackOutcome, stackStatus: string, message: string, extra: Partial<StackDeployResult> = {}): StackDeployResult => {
    log(message);
    return {
      ...base,
      diff: state.diff,
      diffText: state.diffText,
      snapshot: state.snapshot,
      createdInThisRun: state.created,
      resumed: state.resumed,
      outcome,
      stackStatus,
      message,
      durationMs: Date.now() - started,
      ...extra,
    };
  };

  try {
    const bytes = req.onlyParameters ? 0 : Buffer.byteLength(req.templateBody, "utf8");
    if (bytes > MAX_TEMPLATE_BODY_BYTES) {
      throw new DeployStop(
        "stopped",
        `the template is ${bytes} bytes; CloudFormation takes at most ${MAX_TEMPLATE_BODY_BYTES} bytes inline. ` +
          "Split it into nested stacks or shorten it (uploading templates to S3 is not supported by this deployer).",
      );
    }
    let stack = await describeStack(req.client, req.stackName);

    // Resume: an earlier run of the same pipeline run may have left our change set behind.
    let ready: { id: string } | undefined;
    let attach = false;
    if (stack) {
      const existing = await findChangeSet(req.client, req.stackName, name);
      if (existing) {
        const exec = existing.ExecutionStatus;
        if (exec === "EXECUTE_IN_PROGRESS" || exec === "EXECUTE_COMPLETE" || exec === "EXECUTE_FAILED") {
          log(`resuming: change set ${name} is ${exec}; following the stack operation`);
          state.resumed = true;
          state.created = existing.ChangeSetId !== undefined && stack.StackStatus?.startsWith("CREATE") === true;
          attach = true;
        } else if ((existing.Status === "CREATE_COMPLETE" && exec === "AVAILABLE") || existing.Status === "CREATE_PENDING" || existing.Status === "CREATE_IN_PROGRESS") {
          log(`resuming: change set ${name} already exists (${existing.Status})`);
          state.resumed = true;
          state.created = stack.StackStatus === "REVIEW_IN_PROGRESS";
          // Not executed yet: the stack is still as it was, so its state can still be captured.
          if (!state.created) state.snapshot = await captureSnapshot(req.client, stack);
          const w = await waitForChangeSet(req.client, req.stackName, name, { pollMs: req.pollMs, timeoutMs: req.timeoutMs });
          if (w.status === "empty") {
            await deleteChangeSet(req.client, req.stackName, name);
            return finish("no-change", stack.StackStatus ?? "?", `no changes (${w.reason}); deleted the empty change set ${name}`, { outputs: stackOutputs(stack) });
          }
          if (w.status === "failed") throw new DeployStop("failed", `change set ${name} failed: ${w.reason}`, stack.StackStatus);
          ready = { id: w.id };
        } else {
          // FAILED (even "no changes": the stack may have changed since), OBSOLETE or UNAVAILABLE.
          log(`change set ${name} is ${existing.Status}/${exec}; deleting it to create it again`);
          await deleteChangeSet(req.client, req.stackName, name);
        }
      }
    }

    if (!attach && !ready) {
      stack = await prepareStack(req, stack, name, log);
      if (stack && req.protection.detectDrift && stack.StackStatus !== "REVIEW_IN_PROGRESS") {
        log("detecting drift");
        const drift = await detectDrift(req.client, req.stackName, { pollMs: req.pollMs, timeoutMs: req.timeoutMs });
        if (drift.drifted) throw new DeployStop("refused", formatDriftRefusal(req.stackName, drift), stack.StackStatus);
      }
      const type = stack ? "UPDATE" : "CREATE";
      if (req.onlyParameters && (!stack || stack.StackStatus === "REVIEW_IN_PROGRESS")) {
        throw new DeployStop("stopped", `${req.stackName} does not exist: a parameter-only update needs the stack`, stack?.StackStatus);
      }
      state.created = type === "CREATE";
      if (stack) state.snapshot = await captureSnapshot(req.client, stack);
      const kept = req.onlyParameters
        ? (stack?.Parameters ?? []).flatMap((p) => (p.ParameterKey && !(p.ParameterKey in req.parameters) ? [{ ParameterKey: p.ParameterKey, UsePreviousValue: true }] : []))
        : [];
      const emptyAtCreate = await createChangeSet(req.client, {
        stackName: req.stackName,
        name,
        type,
        ...(req.onlyParameters ? {} : { templateBody: req.templateBody }),
        parameters: [...Object.entries(req.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })), ...kept],
        tags: Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })),
        capabilities: req.capabilities,
        rollbackConfiguration: {
          RollbackTriggers: req.rollbackAlarmArns.map((Arn) => ({ Arn, Type: "AWS::CloudWatch::Alarm" })),
          MonitoringTimeInMinutes: req.monitoringMinutes,
        },
        description: `dpra run ${req.runId}`,
      }).then(
        () => undefined,
        (err: unknown) => {
          // AWS makes a FAILED change set for "no changes" (handled below); moto 5.2.1 refuses some such
          // change sets at CreateChangeSet with `ValidationError: No updates are to be performed.`.
          const e = err as { name?: string; message?: string };
          if (e?.name === "ValidationError" && isEmptyChangeSetReason(e.message)) return e.message ?? "";
          throw err;
        },
      );
      if (emptyAtCreate !== undefined) {
        return finish("no-change", stack?.StackStatus ?? "?", `no changes: ${emptyAtCreate} (CreateChangeSet made no change set)`, { outputs: stackOutputs(stack) });
      }
      log(`created change set ${name} (${type})`);
      const w = await waitForChangeSet(req.client, req.stackName, name, { pollMs: req.pollMs, timeoutMs: req.timeoutMs });
      if (w.status === "empty") {
        // The FAILED change set would stay listed on the stack; it holds nothing, so it goes.
        await deleteChangeSet(req.client, req.stackName, name);
        return finish("no-change", stack?.StackStatus ?? "?", `no changes: ${w.reason}; deleted the empty change set ${name}`, { outputs: stackOutputs(stack) });
      }
      if (w.status === "failed") throw new DeployStop("failed", `change set ${name} failed: ${w.reason}`, stack?.StackStatus ?? "REVIEW_IN_PROGRESS");
      ready = { id: w.id };
    }

    let expected: number | undefined;
    if (ready) {
      state.diff = await describeChangeSetDiff(req.client, req.stackName, name);
      state.diffText = formatDiff(state.diff, req.region);
      for (const line of state.diffText.split("\n")) log(line);
      expected = state.diff.changes.length;
      if (req.protection.guardStatefulReplacement) {
        const findings = findStatefulReplacements(state.diff, req.protection.allowReplacement, req.protection.statefulTypes);
        if (findings.length > 0) {
          await deleteChangeSet(req.client, req.stackName, name);
          throw new DeployStop("refused", formatReplacementRefusal(req.stackName, findings), stack?.StackStatus);
        }
      }
      if (req.preview) {
        return finish("preview", stack?.StackStatus ?? "REVIEW_IN_PROGRESS", `preview only: change set ${name} is ready and was not executed`);
      }
      if (stack && stack.StackStatus !== "REVIEW_IN_PROGRESS") {
        if (req.protection.stackPolicy) {
          await applyStackPolicy(req.client, req.stackName, statefulStackPolicy(req.protection.allowReplacement, req.protection.statefulTypes));
        }
        if (req.protection.terminationProtection && !stack.EnableTerminationProtection) {
          await enableTerminationProtection(req.client, req.stackName);
          log("termination protection on");
        }
      }
    }

    const token = `${name}-exec`.slice(0, 128);
    let baseline: string | undefined;
    if (ready) {
      baseline = await StackEventStream.newestEventId(req.client, req.stackName).catch(() => undefined);
      await req.client.send(new (await cloudFormationSdk()).ExecuteChangeSetCommand({ StackName: req.stackName, ChangeSetName: name, ClientRequestToken: token }));
      log(`executing change set ${name}`);
    }
    req.onExecuting?.();
    const stream = new StackEventStream(req.client, req.stackName, { baselineEventId: baseline, clientRequestToken: token });
    const watched = await watchStackOperation({
      client: req.client,
      stackName: req.stackName,
      label,
      pollMs: req.pollMs,
      timeoutMs: req.timeoutMs,
      log: req.log,
      stream,
      expectedResources: expected,
    });
    const status = watched.stack?.StackStatus ?? "DELETE_COMPLETE";
    if (!watched.settled) {
      throw new DeployStop(
        "stopped",
        `the stack is still ${status} after ${Math.round(req.timeoutMs / 60000)} min; it goes on in AWS. Run the deploy again with the same run ID to follow it.`,
        status,
      );
    }
    if (isRolledBackOrFailed(status) || status === "DELETE_COMPLETE") {
      const first = findRootCause(watched.events);
      const since = watched.events[0]?.Timestamp;
      const cause = first ? await refineNestedRootCause(req.client, first, since) : undefined;
      const stackReason = findStackFailureReason(watched.events) ?? watched.stack?.StackStatusReason ?? "none given";
      const why = cause ? `root cause: ${formatRootCause(cause)}` : `no resource failed; the stack says: ${stackReason}`;
      const after = status.endsWith("ROLLBACK_COMPLETE") ? "CloudFormation rolled it back" : `the stack ended in ${status}; see the stack state section of docs/deploy.md`;
      return finish("failed", status, `deploy failed (${why}); ${after}`, { rootCause: cause, outputs: stackOutputs(watched.stack) });
    }
    if (state.created) await protectNewStack(req, log);
    const outcome: StackOutcome = state.created ? "created" : "updated";
    return finish(outcome, status, `${outcome}: ${status}`, { outputs: stackOutputs(watched.stack) });
  } catch (err) {
    if (err instanceof DeployStop) return finish(err.outcome, err.status ?? "?", err.message);
    return finish(
      "stopped",
      "?",
      `deploy stopped: ${errorText(err)}. If a change set was executing, the operation goes on in AWS: run the deploy again with the same run ID to pick it up.`,
    );
  }
}
