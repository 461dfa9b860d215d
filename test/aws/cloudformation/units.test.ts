import type { Stack } from "@aws-sdk/client-cloudformation";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changeSetName, isEmptyChangeSetReason } from "../../../src/aws/cloudformation/changeset.js";
import { describeChangeSetDiff, formatDiff } from "../../../src/aws/cloudformation/diff.js";
import { Backoff, isThrottling } from "../../../src/aws/cloudformation/poll.js";
import { findStatefulReplacements, statefulStackPolicy } from "../../../src/aws/cloudformation/protection.js";
import { classifyStack } from "../../../src/aws/cloudformation/state.js";
import { FakeRegion, change } from "../../support/fake-aws.js";

const stack = (StackStatus: string) => ({ StackName: "app", StackStatus, CreationTime: new Date(0) }) as Stack;

describe("classifyStack", () => {
  it.each([
    [undefined, "create"],
    ["CREATE_COMPLETE", "update"],
    ["UPDATE_COMPLETE", "update"],
    ["UPDATE_ROLLBACK_COMPLETE", "update"],
    ["IMPORT_COMPLETE", "update"],
    ["REVIEW_IN_PROGRESS", "recreate"],
    ["ROLLBACK_COMPLETE", "recreate"],
    ["UPDATE_ROLLBACK_FAILED", "stop"],
    ["ROLLBACK_FAILED", "stop"],
    ["DELETE_FAILED", "stop"],
    ["UPDATE_FAILED", "stop"],
    ["IMPORT_ROLLBACK_FAILED", "stop"],
    ["CREATE_IN_PROGRESS", "wait"],
    ["UPDATE_IN_PROGRESS", "wait"],
    ["UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "wait"],
    ["UPDATE_ROLLBACK_IN_PROGRESS", "wait"],
    ["UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "wait"],
    ["ROLLBACK_IN_PROGRESS", "wait"],
    ["DELETE_IN_PROGRESS", "wait"],
    ["IMPORT_IN_PROGRESS", "wait"],
    ["IMPORT_ROLLBACK_IN_PROGRESS", "wait"],
  ])("%s -> %s", (status, kind) => {
    expect(classifyStack({ stack: status ? stack(status) : undefined, allowContinueUpdateRollback: false }).kind).toBe(kind);
  });

  it("CREATE_FAILED depends on the resources left", () => {
    expect(classifyStack({ stack: stack("CREATE_FAILED"), resourceCount: 0, allowContinueUpdateRollback: false }).kind).toBe("recreate");
    expect(classifyStack({ stack: stack("CREATE_FAILED"), resourceCount: 1, allowContinueUpdateRollback: false }).kind).toBe("stop");
  });

  it("UPDATE_ROLLBACK_FAILED continues only when allowed", () => {
    expect(classifyStack({ stack: stack("UPDATE_ROLLBACK_FAILED"), allowContinueUpdateRollback: true }).kind).toBe("continue-rollback");
  });
});

describe("change set helpers", () => {
  it("names change sets deterministically and validly", () => {
    expect(changeSetName("run 42/attempt.1")).toBe("dpra-run-42-attempt-1");
    expect(changeSetName("x".repeat(300))).toHaveLength(128);
    expect(() => changeSetName("///")).toThrow(/no letters or digits/);
  });

  it("recognises both empty-change-set messages and nothing else", () => {
    expect(isEmptyChangeSetReason("The submitted information didn't contain changes. Submit different information to create a change set.")).toBe(true);
    expect(isEmptyChangeSetReason("No updates are to be performed.")).toBe(true);
    expect(isEmptyChangeSetReason("Template format error: bad")).toBe(false);
    expect(isEmptyChangeSetReason(undefined)).toBe(false);
  });
});

describe("diff of nested stacks", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  it("descends into a nested stack's change set and indents its changes", async () => {
    const fake = new FakeRegion("eu-west-1", "app", { stack: { status: "UPDATE_COMPLETE" }, changes: [change("Add", "Topic", "AWS::SNS::Topic")] });
    // A parent change set whose nested stack points to the child change set by ARN.
    fake.changeSets.set("child", {
      name: "child",
      id: "arn:aws:cloudformation:eu-west-1:111111111111:changeSet/child/1",
      type: "UPDATE",
      status: "CREATE_COMPLETE",
      executionStatus: "AVAILABLE",
      changes: [change("Modify", "Bucket", "AWS::S3::Bucket", "True")],
      input: {} as never,
      describes: 2,
    });
    fake.changeSets.set("parent", {
      name: "parent",
      id: "arn:parent",
      type: "UPDATE",
      status: "CREATE_COMPLETE",
      executionStatus: "AVAILABLE",
      changes: [
        change("Modify", "Storage", "AWS::CloudFormation::Stack", "False", { ChangeSetId: "arn:aws:cloudformation:eu-west-1:111111111111:changeSet/child/1" }),
        change("Remove", "Old", "AWS::SNS::Topic"),
      ],
      input: {} as never,
      describes: 2,
    });
    const diff = await describeChangeSetDiff(fake.cfn, "app", "parent");
    expect(diff.changes[0]?.nested?.changes[0]).toMatchObject({ logicalId: "Bucket", replacement: "True" });
    const text = formatDiff(diff, "eu-west-1");
    expect(text).toContain("0 to add, 2 to modify, 1 to remove; replacement: 1 certain, 0 conditional");
    expect(text).toMatch(/\n {2}~ Storage\s+AWS::CloudFormation::Stack.*\n {4}~ Bucket\s+AWS::S3::Bucket\s+\(REPLACE/);
    // The guard finds the bucket inside the nested stack.
    expect(findStatefulReplacements(diff, [])).toEqual([{ logicalId: "Bucket", resourceType: "AWS::S3::Bucket", replacement: "True", path: ["Storage"] }]);
    expect(findStatefulReplacements(diff, ["Bucket"])).toEqual([]);
  });
});

describe("protection", () => {
  it("the stack policy denies stateful replacement for everything but allowReplacement", () => {
    const plain = JSON.parse(statefulStackPolicy([])) as { Statement: Array<Record<string, unknown>> };
    expect(plain.Statement[1]).toMatchObject({ Effect: "Deny", Resource: "*" });
    expect((plain.Statement[1]!.Condition as { StringEquals: { ResourceType: string[] } }).StringEquals.ResourceType).toContain("AWS::RDS::DBCluster");
    const custom = JSON.parse(statefulStackPolicy(["Db"], ["Custom::Thing::Store"])) as { Statement: Array<Record<string, unknown>> };
    expect(custom.Statement[1]).toMatchObject({ NotResource: ["LogicalResourceId/Db"] });
    expect(custom.Statement[1]).not.toHaveProperty("Resource");
  });

  it("extra stateful types are guarded too", () => {
    const diff = {
      stackName: "a",
      changeSetName: "c",
      changes: [{ action: "Modify" as const, logicalId: "X", resourceType: "Custom::Thing::Store", replacement: "True" as const, scope: [], properties: [] }],
    };
    expect(findStatefulReplacements(diff, [])).toEqual([]);
    expect(findStatefulReplacements(diff, [], ["Custom::Thing::Store"])).toHaveLength(1);
  });
});

describe("polling helpers", () => {
  it("recognises throttling errors", () => {
    expect(isThrottling(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }))).toBe(true);
    expect(isThrottling({ name: "X", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling(new Error("Access denied"))).toBe(false);
  });

  it("backs off doubling up to the cap and resets on success", () => {
    const b = new Backoff(2000, 10_000);
    expect([b.next(true), b.next(true), b.next(true), b.next(false)]).toEqual([4000, 8000, 10_000, 2000]);
  });
});
