import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deployStack, type StackDeployRequest } from "../../../src/aws/cloudformation/deployer.js";
import { EMPTY_CHANGE_SET_REASONS } from "../../../src/aws/cloudformation/changeset.js";
import { FakeRegion, change, drive, type RegionScenario } from "../../support/fake-aws.js";
import { GUARD_ONLY_PROTECTION } from "../../support/protection.js";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "a".repeat(64);

function setup(scenario: RegionScenario, overrides: Partial<StackDeployRequest> = {}) {
  const fake = new FakeRegion("eu-west-1", "fruit-api", scenario);
  const lines: string[] = [];
  const req: StackDeployRequest = {
    client: fake.cfn,
    region: "eu-west-1",
    stackName: "fruit-api",
    templateBody: "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
    parameters: { ImageUri: IMAGE, Stage: "gamma" },
    tags: { app: "fruit-api" },
    capabilities: ["CAPABILITY_IAM"],
    rollbackAlarmArns: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fruit-api-5xx"],
    monitoringMinutes: 10,
    runId: "run-42",
    preview: false,
    protection: GUARD_ONLY_PROTECTION,
    pollMs: 3000,
    waitInProgressMs: 60_000,
    timeoutMs: 3600_000,
    log: (l) => lines.push(l),
    ...overrides,
  };
  return { fake, lines, req, run: () => drive(deployStack(req), vi) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("deployStack: the happy paths", () => {
  it("creates an absent stack through a CREATE change set with tokens, parameters, tags, capabilities and rollback triggers", async () => {
    const { fake, run, lines } = setup({ outputsAfter: [{ OutputKey: "Url", OutputValue: "https://api.example", Description: "endpoint" }] });
    const result = await run();
    expect(result.outcome).toBe("created");
    expect(result.stackStatus).toBe("CREATE_COMPLETE");
    expect(result.outputs).toEqual([{ key: "Url", value: "https://api.example", description: "endpoint", exportName: undefined }]);
    const [create] = fake.callsOf("CreateChangeSet");
    expect(create?.input).toMatchObject({
      StackName: "fruit-api",
      ChangeSetName: "dpra-run-42",
      ChangeSetType: "CREATE",
      ClientToken: expect.stringMatching(/^dpra-run-42-[0-9a-f]{8}$/),
      IncludeNestedStacks: true,
      Capabilities: ["CAPABILITY_IAM"],
      Tags: [{ Key: "app", Value: "fruit-api" }],
      RollbackConfiguration: {
        RollbackTriggers: [{ Arn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fruit-api-5xx", Type: "AWS::CloudWatch::Alarm" }],
        MonitoringTimeInMinutes: 10,
      },
    });
    expect(create?.input.Parameters).toContainEqual({ ParameterKey: "ImageUri", ParameterValue: IMAGE });
    expect(fake.callsOf("ExecuteChangeSet")[0]?.input).toMatchObject({ ChangeSetName: "dpra-run-42", ClientRequestToken: "dpra-run-42-exec" });
    expect(result.diffText).toContain("+ Queue");
    expect(lines.some((l) => /CREATE_IN_PROGRESS: \d+\/3 resources done/.test(l))).toBe(true);
  });

  it("updates an existing stack, shows the paginated diff with replacement, and keeps a snapshot for rollback", async () => {
    const { fake, run } = setup({
      stack: {
        status: "UPDATE_COMPLETE",
        parameters: [
          { ParameterKey: "ImageUri", ParameterValue: "old" },
          { ParameterKey: "DbPassword", ParameterValue: "****" },
        ],
        template: "OLD TEMPLATE",
      },
      changes: [
        change("Modify", "TaskDefinition", "AWS::ECS::TaskDefinition", "True"),
        change("Modify", "Service", "AWS::ECS::Service", "Conditional"),
        change("Add", "Queue", "AWS::SQS::Queue"),
        change("Remove", "OldTopic", "AWS::SNS::Topic"),
        change("Modify", "Alarm", "AWS::CloudWatch::Alarm", "False"),
      ],
    });
    const result = await run();
    expect(result.outcome).toBe("updated");
    expect(result.stackStatus).toBe("UPDATE_COMPLETE");
    expect(fake.callsOf("CreateChangeSet")[0]?.input.ChangeSetType).toBe("UPDATE");
    // 5 changes at 2 per page: the diff must have read all three pages.
    expect(result.diff?.changes.map((c) => c.logicalId)).toEqual(["TaskDefinition", "Service", "Queue", "OldTopic", "Alarm"]);
    expect(result.diffText).toMatch(/1 to add, 3 to modify, 1 to remove; replacement: 1 certain, 1 conditional/);
    expect(result.diffText).toMatch(/~ TaskDefinition\s+AWS::ECS::TaskDefinition\s+\(REPLACE; properties: TaskDefinition\)/);
    expect(result.diffText).toMatch(/~ Service\s+AWS::ECS::Service\s+\(may replace/);
    expect(result.diffText).toMatch(/- OldTopic/);
    expect(result.snapshot).toEqual({
      stackName: "fruit-api",
      status: "UPDATE_COMPLETE",
      templateBody: "OLD TEMPLATE",
      parameters: [
        { ParameterKey: "ImageUri", ParameterValue: "old" },
        { ParameterKey: "DbPassword", UsePreviousValue: true },
      ],
      capabilities: [],
      tags: [],
    });
  });

  it.each(EMPTY_CHANGE_SET_REASONS)("treats an empty change set as success: %s", async (reason) => {
    const { fake, run } = setup({ stack: { status: "UPDATE_COMPLETE", outputs: [{ OutputKey: "Url", OutputValue: "u" }] }, changes: [], emptyReason: reason });
    const result = await run();
    expect(result.outcome).toBe("no-change");
    expect(result.outputs).toEqual([{ key: "Url", value: "u", description: undefined, exportName: undefined }]);
    expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(0);
  });

  it("stops after the diff in preview mode and leaves the change set for a later execution", async () => {
    const { fake, run } = setup({ stack: { status: "UPDATE_COMPLETE" } }, { preview: true });
    const result = await run();
    expect(result.outcome).toBe("preview");
    expect(result.diffText).toContain("TaskDefinition");
    expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(0);
    expect(fake.changeSets.get("dpra-run-42")?.status).toBe("CREATE_COMPLETE");
  });

  it("refuses a template over the 51,200-byte inline limit before calling AWS", async () => {
    const { fake, run } = setup({ stack: { status: "UPDATE_COMPLETE" } }, { templateBody: "#".repeat(51_201) });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.message).toContain("the template is 51201 bytes; CloudFormation takes at most 51200 bytes inline");
    expect(fake.calls).toEqual([]);
  });

  it("reports a change set that fails for a reason other than 'no changes' as a failure", async () => {
    const { run } = setup({
      stack: { status: "UPDATE_COMPLETE" },
      changeSetFailure: "Template format error: Unresolved resource dependencies [Foo] in the Resources block of the template",
    });
    const result = await run();
    expect(result.outcome).toBe("failed");
    expect(result.message).toContain("Unresolved resource dependencies [Foo]");
  });
});

describe("deployStack: stack states", () => {
  it.each(["REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE"])("%s: deletes the stack, then creates it", async (status) => {
    const { fake, run } = setup({ stack: { status } });
    const result = await run();
    expect(result.outcome).toBe("created");
    const order = fake.calls.map((c) => c.command).filter((c) => ["DeleteStack", "CreateChangeSet", "ExecuteChangeSet"].includes(c));
    expect(order).toEqual(["DeleteStack", "CreateChangeSet", "ExecuteChangeSet"]);
    expect(fake.callsOf("CreateChangeSet")[0]?.input.ChangeSetType).toBe("CREATE");
  });

  it("CREATE_FAILED with no resources: deletes, then creates", async () => {
    const { fake, run } = setup({ stack: { status: "CREATE_FAILED", resources: 0 } });
    const result = await run();
    expect(result.outcome).toBe("created");
    expect(fake.callsOf("DeleteStack")).toHaveLength(1);
  });

  it("CREATE_FAILED with resources: stops and says what to do", async () => {
    const { fake, run } = setup({ stack: { status: "CREATE_FAILED", resources: 2 } });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.message).toMatch(/still holds 2 resource\(s\).*rollback-stack/);
    expect(fake.callsOf("DeleteStack")).toHaveLength(0);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(0);
  });

  it("UPDATE_ROLLBACK_FAILED without permission: stops and names the setting", async () => {
    const { fake, run } = setup({ stack: { status: "UPDATE_ROLLBACK_FAILED" } });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.message).toContain("continue-update-rollback");
    expect(result.message).toContain("protection.continueUpdateRollback");
    expect(fake.callsOf("ContinueUpdateRollback")).toHaveLength(0);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(0);
  });

  it("UPDATE_ROLLBACK_FAILED with permission: continues the rollback, then updates", async () => {
    const { req, fake, run } = setup({ stack: { status: "UPDATE_ROLLBACK_FAILED" } });
    req.protection.continueUpdateRollback = true;
    const result = await run();
    expect(result.outcome).toBe("updated");
    const order = fake.calls.map((c) => c.command).filter((c) => ["ContinueUpdateRollback", "CreateChangeSet"].includes(c));
    expect(order).toEqual(["ContinueUpdateRollback", "CreateChangeSet"]);
  });

  it.each([
    ["ROLLBACK_FAILED", /delete-stack --retain-resources/],
    ["DELETE_FAILED", /delete-stack` again/],
    ["UPDATE_FAILED", /rollback-stack/],
  ])("%s: stops with what a human must do, without touching the stack", async (status, advice) => {
    const { fake, run } = setup({ stack: { status } });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.stackStatus).toBe(status);
    expect(result.message).toMatch(advice);
    const writes = fake.calls.filter((c) => !c.command.startsWith("Describe") && !c.command.startsWith("List") && c.command !== "GetTemplate");
    expect(writes).toEqual([]);
  });

  it("*_IN_PROGRESS of another operation: waits (bounded), then deploys when it settles", async () => {
    const { fake, run } = setup({ stack: { status: "UPDATE_IN_PROGRESS" } });
    fake.schedule([{ afterMs: 20_000, status: "UPDATE_COMPLETE" }]);
    const result = await run();
    expect(result.outcome).toBe("updated");
    expect(fake.callsOf("CreateChangeSet")[0]!.at).toBeGreaterThanOrEqual(Date.parse("2026-01-01T00:00:20Z"));
  });

  it("*_IN_PROGRESS that never ends: stops after the bounded wait", async () => {
    const { fake, run } = setup({ stack: { status: "UPDATE_ROLLBACK_IN_PROGRESS" } });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.message).toMatch(/still UPDATE_ROLLBACK_IN_PROGRESS after waiting 1 min/);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(0);
  });
});

describe("deployStack: failures", () => {
  it("reports the first non-cancellation resource failure, not the stack reason, and waits for the rollback", async () => {
    const { run } = setup({
      stack: { status: "UPDATE_COMPLETE" },
      changes: [change("Modify", "Service", "AWS::ECS::Service"), change("Modify", "Worker", "AWS::Lambda::Function")],
      execution: "fail",
    });
    const result = await run();
    expect(result.outcome).toBe("failed");
    expect(result.stackStatus).toBe("UPDATE_ROLLBACK_COMPLETE");
    expect(result.rootCause).toMatchObject({ logicalId: "Service", resourceType: "AWS::ECS::Service", status: "UPDATE_FAILED" });
    expect(result.rootCause?.reason).toContain("image not found");
    expect(result.message).not.toContain("The following resource(s) failed");
    expect(result.message).toContain("CloudFormation rolled it back");
  });

  it("follows a failed nested stack to the resource that failed inside it", async () => {
    const nestedArn = "arn:aws:cloudformation:eu-west-1:111111111111:stack/fruit-api-Storage-1ABC/0000";
    const later = (s: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + s * 1000);
    const { run } = setup({
      stack: { status: "UPDATE_COMPLETE" },
      changes: [change("Modify", "Storage", "AWS::CloudFormation::Stack")],
      execution: () => [
        { afterMs: 0, status: "UPDATE_IN_PROGRESS" },
        {
          afterMs: 1000,
          event: {
            LogicalResourceId: "Storage",
            ResourceType: "AWS::CloudFormation::Stack",
            PhysicalResourceId: nestedArn,
            ResourceStatus: "UPDATE_FAILED",
            ResourceStatusReason:
              "Embedded stack " +
              nestedArn +
              " was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to update: [Bucket].",
          },
        },
        { afterMs: 2000, status: "UPDATE_ROLLBACK_IN_PROGRESS" },
        { afterMs: 6000, status: "UPDATE_ROLLBACK_COMPLETE" },
      ],
      nestedEvents: {
        [nestedArn]: [
          {
            StackId: nestedArn,
            StackName: "fruit-api-Storage-1ABC",
            EventId: "n3",
            LogicalResourceId: "Queue",
            ResourceType: "AWS::SQS::Queue",
            ResourceStatus: "UPDATE_FAILED",
            ResourceStatusReason: "Resource update cancelled",
            Timestamp: later(61),
          },
          {
            StackId: nestedArn,
            StackName: "fruit-api-Storage-1ABC",
            EventId: "n2",
            LogicalResourceId: "Bucket",
            ResourceType: "AWS::S3::Bucket",
            ResourceStatus: "UPDATE_FAILED",
            ResourceStatusReason: "Access Denied (Service: S3, Status Code: 403)",
            Timestamp: later(60),
          },
          {
            StackId: nestedArn,
            StackName: "fruit-api-Storage-1ABC",
            EventId: "n0",
            LogicalResourceId: "Bucket",
            ResourceType: "AWS::S3::Bucket",
            ResourceStatus: "UPDATE_FAILED",
            ResourceStatusReason: "an older, unrelated failure",
            Timestamp: new Date(Date.parse("2025-12-01T00:00:00Z")),
          },
        ],
      },
    });
    const result = await run();
    expect(result.outcome).toBe("failed");
    expect(result.rootCause).toMatchObject({
      logicalId: "Bucket",
      resourceType: "AWS::S3::Bucket",
      nestedIn: ["Storage"],
      reason: "Access Denied (Service: S3, Status Code: 403)",
    });
    expect(result.message).toContain("root cause: Storage/Bucket (AWS::S3::Bucket) UPDATE_FAILED: Access Denied");
  });

  it("never fails a successful deploy because event polls fail", async () => {
    const { run, lines } = setup({ stack: { status: "UPDATE_COMPLETE" }, eventFaults: { alwaysError: true } });
    const result = await run();
    expect(result.outcome).toBe("updated");
    expect(lines.some((l) => l.includes("reading stack events failed (InternalFailure: Internal failure); the deploy goes on"))).toBe(true);
  });

  it("backs off on throttled event polls and still streams every event once", async () => {
    const { fake, run, lines } = setup({ stack: { status: "UPDATE_COMPLETE" }, eventFaults: { throttleFirst: 4 }, monitoringMs: 60_000 });
    const result = await run();
    expect(result.outcome).toBe("updated");
    const polls = fake.callsOf("DescribeStackEvents").map((c) => c.at);
    // The first call is the baseline read; it and the next three are throttled: each gap doubles.
    const gaps = polls
      .slice(1, 5)
      .map((t, i, a) => (i === 0 ? 0 : t - a[i - 1]!))
      .slice(1);
    expect(gaps).toEqual([6000, 12000, 24000]);
    expect(lines.filter((l) => l.includes("throttled, backing off"))).toHaveLength(3);
    const completeLines = lines.filter((l) => / UPDATE_COMPLETE\s+AWS::CloudFormation::Stack/.test(l));
    expect(completeLines).toHaveLength(1);
  });
});

describe("deployStack: protection", () => {
  it("refuses a change set that replaces a stateful resource, and deletes it", async () => {
    const { fake, run } = setup({
      stack: { status: "UPDATE_COMPLETE" },
      changes: [change("Modify", "Orders", "AWS::DynamoDB::Table", "True"), change("Modify", "Db", "AWS::RDS::DBInstance", "Conditional")],
    });
    const result = await run();
    expect(result.outcome).toBe("refused");
    expect(result.message).toContain("Orders (AWS::DynamoDB::Table, replacement True)");
    expect(result.message).toContain("Db (AWS::RDS::DBInstance, replacement Conditional)");
    expect(result.message).toContain("protection.allowReplacement");
    expect(fake.callsOf("DeleteChangeSet")).toHaveLength(1);
    expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(0);
  });

  it("lets the replacement through when allowReplacement lists it", async () => {
    const { req, run } = setup({ stack: { status: "UPDATE_COMPLETE" }, changes: [change("Modify", "Orders", "AWS::DynamoDB::Table", "True")] });
    req.protection.allowReplacement = ["Orders"];
    expect((await run()).outcome).toBe("updated");
  });

  it("refuses to deploy a drifted stack when drift detection is on", async () => {
    const { req, fake, run } = setup({ stack: { status: "UPDATE_COMPLETE" }, drift: "DRIFTED" });
    req.protection.detectDrift = true;
    const result = await run();
    expect(result.outcome).toBe("refused");
    expect(result.message).toContain("Table (AWS::DynamoDB::Table): MODIFIED");
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(0);
  });

  it("deploys an in-sync stack when drift detection is on", async () => {
    const { req, fake, run } = setup({ stack: { status: "UPDATE_COMPLETE" }, drift: "IN_SYNC" });
    req.protection.detectDrift = true;
    expect((await run()).outcome).toBe("updated");
    expect(fake.callsOf("DetectStackDrift")).toHaveLength(1);
  });

  it("turns on termination protection and the stack policy for a new prod-like stack", async () => {
    const { req, fake, run } = setup({});
    req.protection.terminationProtection = true;
    req.protection.stackPolicy = true;
    req.protection.allowReplacement = ["Cache"];
    expect((await run()).outcome).toBe("created");
    expect(fake.callsOf("UpdateTerminationProtection")[0]?.input).toMatchObject({ EnableTerminationProtection: true });
    const policy = JSON.parse(fake.stackPolicies[0]!) as { Statement: Array<Record<string, unknown>> };
    expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Action: ["Update:Replace", "Update:Delete"], NotResource: ["LogicalResourceId/Cache"] });
  });

  it("sets the stack policy before executing an update", async () => {
    const { req, fake, run } = setup({ stack: { status: "UPDATE_COMPLETE" } });
    req.protection.stackPolicy = true;
    await run();
    const order = fake.calls.map((c) => c.command).filter((c) => c === "SetStackPolicy" || c === "ExecuteChangeSet");
    expect(order).toEqual(["SetStackPolicy", "ExecuteChangeSet"]);
  });
});

describe("deployStack: resuming a run", () => {
  it("executes the change set an earlier, crashed run created, instead of creating another", async () => {
    const first = setup({ stack: { status: "UPDATE_COMPLETE" } }, { preview: true });
    await first.run();
    // Same region and stack, same run ID: a fresh deployer process.
    const again = await drive(deployStack({ ...first.req, preview: false }), vi);
    expect(again.outcome).toBe("updated");
    expect(again.resumed).toBe(true);
    // The stack was not changed yet when the run resumed: the rollback snapshot is still taken.
    expect(again.snapshot?.templateBody).toBe("Resources: {}");
    expect(first.fake.callsOf("CreateChangeSet")).toHaveLength(1);
    expect(first.fake.callsOf("ExecuteChangeSet")).toHaveLength(1);
  });

  it("deletes the empty change set of a 'no changes' run, so the same run ID deployed again makes a new one: the stack may have changed since", async () => {
    const first = setup({ stack: { status: "UPDATE_COMPLETE" }, changes: [] });
    expect((await first.run()).outcome).toBe("no-change");
    expect(first.fake.changeSets.has("dpra-run-42")).toBe(false);
    // Someone else changed the stack; the same run ID is deployed again.
    first.fake.scenario.changes = undefined;
    const again = await drive(deployStack(first.req), vi);
    expect(again.outcome).toBe("updated");
    expect(first.fake.callsOf("DeleteChangeSet")).toHaveLength(1);
    expect(first.fake.callsOf("CreateChangeSet")).toHaveLength(2);
  });

  it("re-creates an obsolete change set instead of executing it", async () => {
    const first = setup({ stack: { status: "UPDATE_COMPLETE" } }, { preview: true });
    await first.run();
    first.fake.changeSets.get("dpra-run-42")!.executionStatus = "OBSOLETE";
    const again = await drive(deployStack({ ...first.req, preview: false }), vi);
    expect(again.outcome).toBe("updated");
    const writes = first.fake.calls.map((c) => c.command).filter((c) => ["CreateChangeSet", "DeleteChangeSet", "ExecuteChangeSet"].includes(c));
    expect(writes).toEqual(["CreateChangeSet", "DeleteChangeSet", "CreateChangeSet", "ExecuteChangeSet"]);
  });

  it("attaches to the stack operation an earlier run started, and streams only its events", async () => {
    const { fake, req } = setup({ stack: { status: "UPDATE_COMPLETE" } });
    const crashed = deployStack({ ...req, timeoutMs: 2000 });
    await drive(crashed, vi);
    expect(fake.stack?.StackStatus).toBe("UPDATE_IN_PROGRESS");
    const lines: string[] = [];
    const resumed = await drive(deployStack({ ...req, log: (l) => lines.push(l) }), vi);
    expect(resumed.outcome).toBe("updated");
    expect(resumed.resumed).toBe(true);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(1);
    expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(1);
    expect(lines.some((l) => l.includes("resuming: change set dpra-run-42 is EXECUTE_IN_PROGRESS"))).toBe(true);
    // Events of the earlier operation (token "earlier-run") are not replayed.
    expect(lines.some((l) => /UPDATE_COMPLETE\s+AWS::CloudFormation::Stack/.test(l))).toBe(true);
    expect(lines.filter((l) => /User Initiated/.test(l))).toHaveLength(1);
  });
});

describe("deployStack: parameter-only updates (the DB deploy's migration image)", () => {
  it("keeps the template and every other parameter as they are, and sets only the given one", async () => {
    const { fake, run } = setup(
      {
        stack: {
          status: "UPDATE_COMPLETE",
          parameters: [
            { ParameterKey: "ImageUri", ParameterValue: "old" },
            { ParameterKey: "Stage", ParameterValue: "gamma" },
            { ParameterKey: "MigrationImageUri", ParameterValue: "" },
          ],
        },
      },
      { parameters: { MigrationImageUri: IMAGE }, onlyParameters: true, templateBody: "x".repeat(60_000) },
    );
    const result = await run();
    expect(result.outcome).toBe("updated");
    const [create] = fake.callsOf("CreateChangeSet");
    expect(create?.input.UsePreviousTemplate).toBe(true);
    expect(create?.input.TemplateBody).toBeUndefined();
    expect(create?.input.Parameters).toEqual([
      { ParameterKey: "MigrationImageUri", ParameterValue: IMAGE },
      { ParameterKey: "ImageUri", UsePreviousValue: true },
      { ParameterKey: "Stage", UsePreviousValue: true },
    ]);
    expect(fake.stack?.Parameters).toEqual([
      { ParameterKey: "MigrationImageUri", ParameterValue: IMAGE },
      { ParameterKey: "ImageUri", ParameterValue: "old" },
      { ParameterKey: "Stage", ParameterValue: "gamma" },
    ]);
  });

  it("refuses when there is no stack to update, creating nothing", async () => {
    const { fake, run } = setup({}, { parameters: { MigrationImageUri: IMAGE }, onlyParameters: true });
    const result = await run();
    expect(result.outcome).toBe("stopped");
    expect(result.message).toMatch(/fruit-api does not exist: a parameter-only update needs the stack/);
    expect(fake.callsOf("CreateChangeSet")).toEqual([]);
  });
});
