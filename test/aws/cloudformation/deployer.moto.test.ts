// Level 2 (moto over HTTP): the project's CloudFormation code (src/aws/cloudformation/: deployer,
// change sets, diff, events, watch, outputs, stack state, rollback) with the real AWS SDK client,
// sending real requests to moto_server 5.2.1 (test/support/moto.ts). moto is an emulator, not AWS.
//
// Served: create through a change set, preview then resume, outputs, update and parameter-only
// update through the deployer's steps, rollback by deleting a new stack or by redeploying the
// captured template and parameters.
//
// Flows moto 5.2.1 does not serve, each found by a failed attempt here and pinned by a "moto gap"
// test below (so that a moto that starts serving it shows up), and covered on aws-sdk-client-mock
// in test/aws/cloudformation/deployer.test.ts (level 3):
// - DescribeChangeSet of a missing change set answers `ValidationError: Stack with id dpra-<run>
//   does not exist` instead of AWS's ChangeSetNotFound; findChangeSet reads that answer (it names
//   the change set) as not found, so `deployStack` updates an existing stack here.
// - A change set without changes: for some templates CreateChangeSet answers `ValidationError: No
//   updates are to be performed.` where AWS creates the change set and marks it FAILED with "The
//   submitted information didn't contain changes" (for others, such as test/support/small-app.ts,
//   moto makes the FAILED change set as AWS does); the deployer reads both as "no-change".
// - A required parameter without a value: CreateChangeSet accepts it (AWS refuses it there with
//   "Parameters: [...] must have values"); ExecuteChangeSet answers "Missing parameter <name>",
//   leaving the stack in REVIEW_IN_PROGRESS with the change set.
// - Outputs of a stack made through a change set: ExecuteChangeSet leaves the stack without
//   Outputs. Outputs are read here from a stack made with CreateStack.
// - A parameter change alone does not update the resources (the stack's parameters change, the
//   resources keep their old properties), and the change set of such a change lists no changes.
//   No change set gives Replacement or property Details, and no resource ever fails: moto applies
//   a change set synchronously, so failures, CloudFormation's own rollbacks and root causes from
//   events stay on the mock.
// - UpdateTerminationProtection, DetectStackDrift, CancelUpdateStack (and, tried by hand,
//   ContinueUpdateRollback and RollbackStack) answer HTTP 500, so a create with termination
//   protection on stops after creating the stack. SetStackPolicy is accepted but not enforced.
import { CancelUpdateStackCommand, CloudFormationClient, CreateStackCommand, ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { beforeEach, expect, it } from "vitest";
import { createChangeSet, findChangeSet, isEmptyChangeSetReason, waitForChangeSet } from "../../../src/aws/cloudformation/changeset.js";
import { deployStack, type StackDeployRequest } from "../../../src/aws/cloudformation/deployer.js";
import { describeChangeSetDiff, formatDiff } from "../../../src/aws/cloudformation/diff.js";
import { StackEventStream } from "../../../src/aws/cloudformation/events.js";
import { stackOutputs } from "../../../src/aws/cloudformation/outputs.js";
import { applyStackPolicy, detectDrift, enableTerminationProtection, statefulStackPolicy } from "../../../src/aws/cloudformation/protection.js";
import { captureSnapshot, rollbackStack } from "../../../src/aws/cloudformation/rollback.js";
import { countStackResources, describeStack } from "../../../src/aws/cloudformation/stack.js";
import { watchStackOperation } from "../../../src/aws/cloudformation/watch.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";
import { GUARD_ONLY_PROTECTION } from "../../support/protection.js";

const STACK = "moto-app";

/** A small application whose resources moto creates: a queue and a parameter, both from `Env`. */
const TEMPLATE = `Parameters:
  Env:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "moto-app-\${Env}"
  EnvParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /moto-app/env
      Type: String
      Value: !Ref Env
Outputs:
  QueueUrl:
    Value: !Ref Queue
    Export:
      Name: moto-app-queue-url
  QueueArn:
    Description: the queue's ARN
    Value: !GetAtt Queue.Arn
`;

/** The next version of the application: one more resource, and the queue renamed. */
const TEMPLATE_V2 = TEMPLATE.replace("Outputs:", "  Topic:\n    Type: AWS::SNS::Topic\nOutputs:").replace('"moto-app-${Env}"', '"moto-app-v2-${Env}"');

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    let client: CloudFormationClient;
    let lines: string[];
    beforeEach(() => {
      client = new CloudFormationClient(motoClientConfig(moto()));
      lines = [];
    });
    const log = (line: string) => lines.push(line);
    const poll = { pollMs: 50, timeoutMs: 10_000 };

    const request = (runId: string, overrides: Partial<StackDeployRequest> = {}): StackDeployRequest => ({
      client,
      region: MOTO_REGION,
      stackName: STACK,
      templateBody: TEMPLATE,
      parameters: { Env: "gamma" },
      tags: { app: "moto-app" },
      capabilities: [],
      rollbackAlarmArns: [`arn:aws:cloudwatch:${MOTO_REGION}:${MOTO_ACCOUNT}:alarm:moto-app-5xx`],
      monitoringMinutes: 0,
      runId,
      preview: false,
      protection: GUARD_ONLY_PROTECTION,
      pollMs: poll.pollMs,
      waitInProgressMs: 5_000,
      timeoutMs: poll.timeoutMs,
      log,
      ...overrides,
    });

    /** The deployer's update steps, in its order, for what deployStack cannot reach on moto. */
    const updateThroughChangeSet = async (
      name: string,
      templateBody: string | undefined,
      parameters: { ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }[],
    ) => {
      await createChangeSet(client, { stackName: STACK, name, type: "UPDATE", templateBody, parameters, tags: [{ Key: "app", Value: "moto-app" }], capabilities: [] });
      const ready = await waitForChangeSet(client, STACK, name, poll);
      expect(ready.status).toBe("ready");
      const diff = await describeChangeSetDiff(client, STACK, name);
      const baseline = await StackEventStream.newestEventId(client, STACK);
      const token = `${name}-exec`;
      await client.send(new ExecuteChangeSetCommand({ StackName: STACK, ChangeSetName: name, ClientRequestToken: token }));
      const stream = new StackEventStream(client, STACK, { baselineEventId: baseline, clientRequestToken: token });
      const watched = await watchStackOperation({ client, stackName: STACK, label: `[${STACK}]`, ...poll, log, stream, expectedResources: diff.changes.length });
      return { diff, watched };
    };

    it("deployStack creates an absent stack through a CREATE change set and reports it created", async () => {
      const result = await deployStack(request("run-1"));
      expect(result.message).toBe("created: CREATE_COMPLETE");
      expect(result).toMatchObject({ outcome: "created", stackStatus: "CREATE_COMPLETE", changeSetName: "dpra-run-1", createdInThisRun: true, resumed: false });
      expect(result.diff?.changes.map((c) => [c.action, c.logicalId, c.resourceType])).toEqual([
        ["Add", "Queue", "AWS::SQS::Queue"],
        ["Add", "EnvParameter", "AWS::SSM::Parameter"],
      ]);
      expect(result.diffText).toContain(`Stack ${STACK} (${MOTO_REGION}), change set dpra-run-1: 2 to add, 0 to modify, 0 to remove`);
      expect(lines).toContain(`[${MOTO_REGION} ${STACK}] executing change set dpra-run-1`);
      expect(lines.some((l) => /CREATE_COMPLETE +AWS::CloudFormation::Stack +moto-app/.test(l))).toBe(true);

      const stack = await describeStack(client, STACK);
      expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
      expect(stack?.Parameters).toEqual([{ ParameterKey: "Env", ParameterValue: "gamma" }]);
      expect(stack?.Tags).toEqual([{ Key: "app", Value: "moto-app" }]);
      expect(await countStackResources(client, STACK)).toBe(2);
      expect((await findChangeSet(client, STACK, "dpra-run-1"))?.ExecutionStatus).toBe("EXECUTE_COMPLETE");
    });

    it("a preview stops before executing; a rerun with the same run ID resumes that change set and creates the stack", async () => {
      const preview = await deployStack(request("run-7", { preview: true }));
      expect(preview.outcome).toBe("preview");
      expect((await describeStack(client, STACK))?.StackStatus).toBe("REVIEW_IN_PROGRESS");
      expect((await findChangeSet(client, STACK, "dpra-run-7"))?.ExecutionStatus).toBe("AVAILABLE");

      const rerun = await deployStack(request("run-7"));
      expect(rerun).toMatchObject({ outcome: "created", stackStatus: "CREATE_COMPLETE", resumed: true, createdInThisRun: true });
      expect(lines).toContain(`[${MOTO_REGION} ${STACK}] resuming: change set dpra-run-7 already exists (CREATE_COMPLETE)`);
      expect(await countStackResources(client, STACK)).toBe(2);
    });

    it("reads a stack's outputs as typed data (a stack made with CreateStack: see the top comment)", async () => {
      await client.send(new CreateStackCommand({ StackName: STACK, TemplateBody: TEMPLATE, Parameters: [{ ParameterKey: "Env", ParameterValue: "prod" }] }));
      const outputs = stackOutputs(await describeStack(client, STACK));
      expect(outputs).toEqual([
        { key: "QueueUrl", value: `https://sqs.${MOTO_REGION}.amazonaws.com/${MOTO_ACCOUNT}/moto-app-prod`, description: undefined, exportName: "moto-app-queue-url" },
        { key: "QueueArn", value: `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:moto-app-prod`, description: "the queue's ARN", exportName: undefined },
      ]);
    });

    it("updates the stack through a new UPDATE change set: diff, execute, events, settled UPDATE_COMPLETE", async () => {
      expect((await deployStack(request("run-1"))).outcome).toBe("created");
      const { diff, watched } = await updateThroughChangeSet("dpra-run-2", TEMPLATE_V2, [{ ParameterKey: "Env", ParameterValue: "gamma" }]);
      expect(diff.changes.map((c) => [c.action, c.logicalId])).toEqual([
        ["Add", "Topic"],
        ["Modify", "Queue"],
      ]);
      expect(formatDiff(diff, MOTO_REGION)).toContain("1 to add, 1 to modify, 0 to remove");
      expect(watched.settled).toBe(true);
      expect(watched.stack?.StackStatus).toBe("UPDATE_COMPLETE");
      expect(watched.events.map((e) => e.ResourceStatus)).toEqual(["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
      expect(await countStackResources(client, STACK)).toBe(3);
    });

    it("a parameter-only update keeps the stack's template (UsePreviousTemplate) and changes the parameter; moto's change set lists no changes", async () => {
      expect((await deployStack(request("run-1"))).outcome).toBe("created");
      const { diff, watched } = await updateThroughChangeSet("dpra-run-3", undefined, [{ ParameterKey: "Env", ParameterValue: "prod" }]);
      expect(watched.stack?.StackStatus).toBe("UPDATE_COMPLETE");
      expect(watched.stack?.Parameters).toEqual([{ ParameterKey: "Env", ParameterValue: "prod" }]);
      // AWS would list Queue and EnvParameter as Modify (both read Env); moto compares templates only.
      expect(diff.changes).toEqual([]);
      expect(await countStackResources(client, STACK)).toBe(2);
    });

    it("rollbackStack deletes a stack that this run created, and describeStack then finds none", async () => {
      const created = await deployStack(request("run-1"));
      expect(created.outcome).toBe("created");
      const rolledBack = await rollbackStack({
        client,
        region: MOTO_REGION,
        stackName: STACK,
        createdInThisRun: created.createdInThisRun,
        changeSetName: created.changeSetName,
        terminationProtection: false,
        ...poll,
        log,
      });
      expect(rolledBack).toMatchObject({ ok: true, method: "delete-new-stack", finalStatus: "DELETE_COMPLETE" });
      expect(await describeStack(client, STACK)).toBeUndefined();
    });

    it("rollbackStack after a completed update redeploys the template and parameters captured before it", async () => {
      expect((await deployStack(request("run-1"))).outcome).toBe("created");
      const before = await captureSnapshot(client, (await describeStack(client, STACK))!);
      expect(before.templateBody).toBe(TEMPLATE);
      await updateThroughChangeSet("dpra-run-2", TEMPLATE_V2, [{ ParameterKey: "Env", ParameterValue: "prod" }]);
      expect(await countStackResources(client, STACK)).toBe(3);

      const rolledBack = await rollbackStack({
        client,
        region: MOTO_REGION,
        stackName: STACK,
        snapshot: before,
        createdInThisRun: false,
        changeSetName: "dpra-run-2",
        terminationProtection: false,
        ...poll,
        log,
      });
      expect(rolledBack).toMatchObject({ ok: true, method: "previous-template", finalStatus: "UPDATE_COMPLETE" });
      const after = await captureSnapshot(client, (await describeStack(client, STACK))!);
      expect(after.templateBody).toBe(TEMPLATE);
      expect(after.parameters).toEqual([{ ParameterKey: "Env", ParameterValue: "gamma" }]);
      expect(await countStackResources(client, STACK)).toBe(2);
    });

    it("deployStack updates an existing stack: moto's ValidationError for the new run's missing change set is read as not found", async () => {
      expect((await deployStack(request("run-1"))).outcome).toBe("created");
      const update = await deployStack(request("run-2", { templateBody: TEMPLATE_V2 }));
      expect({ outcome: update.outcome, message: update.message }).toMatchObject({ outcome: "updated" });
      expect((await describeStack(client, STACK))?.StackStatus).toBe("UPDATE_COMPLETE");
      expect(await countStackResources(client, STACK)).toBe(3);
      // The same template again under a new run: moto refuses it at CreateChangeSet, and that is "no changes".
      const again = await deployStack(request("run-3", { templateBody: TEMPLATE_V2 }));
      expect({ outcome: again.outcome, message: again.message }).toEqual({
        outcome: "no-change",
        message: "no changes: No updates are to be performed. (CreateChangeSet made no change set)",
      });
    });

    it("moto gap: a change set without changes is refused at CreateChangeSet (AWS makes a FAILED change set); its reason is one the deployer knows as empty", async () => {
      expect((await deployStack(request("run-1"))).outcome).toBe("created");
      const attempt = createChangeSet(client, {
        stackName: STACK,
        name: "dpra-run-2",
        type: "UPDATE",
        templateBody: TEMPLATE,
        parameters: [{ ParameterKey: "Env", ParameterValue: "gamma" }],
        tags: [{ Key: "app", Value: "moto-app" }],
        capabilities: [],
      });
      const error = (await attempt.then(
        () => undefined,
        (e: unknown) => e,
      )) as { name?: string; message?: string } | undefined;
      expect(error?.name).toBe("ValidationError");
      expect(error?.message).toBe("No updates are to be performed.");
      expect(isEmptyChangeSetReason(error?.message)).toBe(true);
    });

    it("moto gap: a create with termination protection on stops, because UpdateTerminationProtection answers HTTP 500; so do drift detection and CancelUpdateStack", async () => {
      const protectedCreate = await deployStack(request("run-1", { protection: { ...request("run-1").protection, terminationProtection: true } }));
      expect(protectedCreate.outcome).toBe("stopped");
      expect(protectedCreate.message).toMatch(/^deploy stopped: /);
      expect((await describeStack(client, STACK))?.StackStatus).toBe("CREATE_COMPLETE");
      const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const failed = async (call: Promise<unknown>) =>
        call.then(
          () => "answered",
          (e: unknown) => e,
        );
      expect(status(await failed(enableTerminationProtection(client, STACK)))).toBe(500);
      expect(status(await failed(detectDrift(client, STACK, poll)))).toBe(500);
      expect(status(await failed(client.send(new CancelUpdateStackCommand({ StackName: STACK }))))).toBe(500);
      // A stack policy is accepted (and not enforced: moto has no stack policies to check updates against).
      await applyStackPolicy(client, STACK, statefulStackPolicy([], []));
    });

    it("moto gap: a required parameter without a value is accepted by CreateChangeSet (AWS refuses it there) and refused only at ExecuteChangeSet", async () => {
      const result = await deployStack(request("run-1", { parameters: {} }));
      expect(result.outcome).toBe("stopped");
      expect(result.message).toContain("ValidationError: Missing parameter Env");
      expect(result.diff?.changes).toHaveLength(2);
      expect((await describeStack(client, STACK))?.StackStatus).toBe("REVIEW_IN_PROGRESS");
      expect((await findChangeSet(client, STACK, "dpra-run-1"))?.ExecutionStatus).toBe("AVAILABLE");
    });

    it("moto gap: a stack made through a change set has no Outputs", async () => {
      const result = await deployStack(request("run-1"));
      expect(result.outcome).toBe("created");
      expect(result.outputs).toEqual([]);
      expect((await describeStack(client, STACK))?.Outputs).toBeUndefined();
    });
  },
  resolveMoto,
);
