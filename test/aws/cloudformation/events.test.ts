import { readFileSync } from "node:fs";
import type { StackEvent } from "@aws-sdk/client-cloudformation";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deployStack } from "../../../src/aws/cloudformation/deployer.js";
import { findRootCause, findStackFailureReason, formatEvent, StackEventStream } from "../../../src/aws/cloudformation/events.js";
import { fixturePath } from "../../support/fixtures.js";
import { FakeRegion, drive, type Step } from "../../support/fake-aws.js";
import { GUARD_ONLY_PROTECTION } from "../../support/protection.js";

/**
 * LocalStack snapshots replace timestamps with "timestamp" and names with placeholders, and hold
 * ResourceProperties as objects. Adapt: the events are newest first, so give them increasing
 * timestamps from the end of the list; fill the placeholders; stringify ResourceProperties as
 * AWS returns it.
 */
function loadLocalstackEvents(file: string, key: string): StackEvent[] {
  const raw = JSON.parse(readFileSync(fixturePath("cloudformation", file), "utf8")) as Record<string, { "recorded-content": Record<string, unknown> }>;
  const content = Object.values(raw)[0]!["recorded-content"];
  const list = ((content[key] as { StackEvents?: unknown[]; events?: unknown[] }).StackEvents ?? (content[key] as { events: unknown[] }).events) as Array<Record<string, unknown>>;
  const base = Date.parse("2023-09-06T11:00:00Z");
  return list.map((e, i) => {
    const fill = (v: unknown) =>
      typeof v === "string"
        ? v
            .replace(/<stack-name:1>/g, "blocked-stack")
            .replace(/<partition>/g, "aws")
            .replace(/<region>/g, "us-east-1")
        : v;
    return {
      ...Object.fromEntries(Object.entries(e).map(([k, v]) => [k, fill(v)])),
      ResourceProperties: e.ResourceProperties === undefined ? undefined : JSON.stringify(e.ResourceProperties),
      Timestamp: new Date(base + (list.length - i) * 1000),
    } as StackEvent;
  });
}

describe("root cause on genuine recorded events", () => {
  it("finds BrokenPolicy's CREATE_FAILED, not the later DELETE_FAILED nor the stack-level events (test_blocked_stack_deletion)", () => {
    const events = loadLocalstackEvents("localstack-snapshot-test_blocked_stack_deletion.json", "stack_events");
    expect(events).toHaveLength(15);
    const cause = findRootCause(events);
    expect(cause).toMatchObject({ logicalId: "BrokenPolicy", resourceType: "AWS::IAM::Policy", status: "CREATE_FAILED", reason: "resource-status-reason" });
    // Order of the input does not matter: the result is the chronologically first failure.
    expect(findRootCause([...events].reverse())).toEqual(cause);
  });

  it("falls back to the stack's rollback reason when no resource failed (test_invalid_getatt_fails)", () => {
    const events = loadLocalstackEvents("localstack-snapshot-test_invalid_getatt_fails.json", "stack_events");
    expect(findRootCause(events)).toBeUndefined();
    expect(findStackFailureReason(events)).toMatch(
      /^\[Error\] \/Outputs\/InvalidOutput\/Value\/Fn::GetAtt: Resource type AWS::SSM::Parameter does not support attribute \{Invalid\}/,
    );
  });

  it("parses the AWS CLI docs example events (UPDATE_COMPLETE, cleanup) with no failure", () => {
    const doc = JSON.parse(readFileSync(fixturePath("cloudformation", "aws-cli-example-describe-stack-events.json"), "utf8")) as { StackEvents: Array<Record<string, string>> };
    const events = doc.StackEvents.map((e) => ({ ...e, Timestamp: new Date(e.Timestamp!) }) as StackEvent);
    expect(findRootCause(events)).toBeUndefined();
    expect(formatEvent(events[0]!)).toMatch(/^05:34:29 UPDATE_COMPLETE\s+AWS::CloudFormation::Stack\s+my-stack$/);
  });

  it("a deploy whose create replays the fixture reports BrokenPolicy and the final ROLLBACK_FAILED state", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    try {
      const events = loadLocalstackEvents("localstack-snapshot-test_blocked_stack_deletion.json", "stack_events").reverse();
      // The create operation is the events up to ROLLBACK_FAILED; the rest are later delete attempts.
      const upTo = events.findIndex((e) => e.ResourceStatus === "ROLLBACK_FAILED");
      const steps: Step[] = events.slice(0, upTo + 1).map((e, i) => ({
        afterMs: i * 1500,
        status: e.ResourceType === "AWS::CloudFormation::Stack" && e.LogicalResourceId === "blocked-stack" ? e.ResourceStatus : undefined,
        statusReason: e.ResourceStatus === "ROLLBACK_FAILED" ? "The following resource(s) failed to delete: [BrokenPolicy]. " : undefined,
        event: { ...e, EventId: undefined, Timestamp: undefined, StackId: undefined },
      }));
      const fake = new FakeRegion("us-east-1", "blocked-stack", { execution: () => steps });
      const lines: string[] = [];
      const result = await drive(
        deployStack({
          client: fake.cfn,
          region: "us-east-1",
          stackName: "blocked-stack",
          templateBody: "{}",
          parameters: {},
          tags: {},
          capabilities: ["CAPABILITY_NAMED_IAM"],
          rollbackAlarmArns: [],
          monitoringMinutes: 0,
          runId: "r1",
          preview: false,
          protection: GUARD_ONLY_PROTECTION,
          pollMs: 2000,
          waitInProgressMs: 60_000,
          timeoutMs: 600_000,
          log: (l) => lines.push(l),
        }),
        vi,
      );
      expect(result.outcome).toBe("failed");
      expect(result.stackStatus).toBe("ROLLBACK_FAILED");
      expect(result.rootCause).toMatchObject({ logicalId: "BrokenPolicy", status: "CREATE_FAILED" });
      expect(result.message).toContain("root cause: BrokenPolicy (AWS::IAM::Policy) CREATE_FAILED");
      expect(result.message).toContain("the stack ended in ROLLBACK_FAILED");
      expect(result.message).not.toContain("failed to delete");
      // Each event printed once, in order.
      const printed = lines.filter((l) => /(CREATE|DELETE)_(IN_PROGRESS|FAILED)\s+AWS::IAM::Policy\s+BrokenPolicy/.test(l));
      expect(printed).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("findRootCause rules", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const ev = (s: number, id: string, status: string, reason?: string, extra: Partial<StackEvent> = {}): StackEvent =>
    ({
      StackId: "arn:stack",
      StackName: "app",
      EventId: `${id}-${s}`,
      LogicalResourceId: id,
      ResourceType: id === "app" ? "AWS::CloudFormation::Stack" : "AWS::Lambda::Function",
      ResourceStatus: status,
      ResourceStatusReason: reason,
      Timestamp: at(s),
      ...extra,
    }) as StackEvent;

  it("skips cancellations even when they come first", () => {
    const cause = findRootCause([
      ev(1, "A", "UPDATE_FAILED", "Resource update cancelled"),
      ev(2, "B", "UPDATE_FAILED", "real"),
      ev(3, "app", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [A, B]."),
    ]);
    expect(cause?.logicalId).toBe("B");
  });

  it("skips 'Resource creation cancelled' too", () => {
    expect(findRootCause([ev(1, "A", "CREATE_FAILED", "Resource creation cancelled"), ev(2, "B", "CREATE_FAILED", "boom")])?.logicalId).toBe("B");
  });

  it("reports a hook that failed in FAIL mode, with the hook", () => {
    const cause = findRootCause([
      ev(1, "Bucket", "CREATE_IN_PROGRESS", undefined, {
        HookType: "Private::Guard::Hook",
        HookStatus: "HOOK_COMPLETE_FAILED",
        HookStatusReason: "bucket must be encrypted",
        HookFailureMode: "FAIL",
      }),
      ev(2, "Bucket", "CREATE_FAILED", "The following hook(s) failed: [Private::Guard::Hook]"),
    ]);
    expect(cause).toMatchObject({
      logicalId: "Bucket",
      status: "HOOK_COMPLETE_FAILED",
      reason: "bucket must be encrypted",
      hook: { type: "Private::Guard::Hook", failureMode: "FAIL" },
    });
  });

  it("ignores a hook that failed in WARN mode", () => {
    expect(findRootCause([ev(1, "Bucket", "CREATE_IN_PROGRESS", undefined, { HookType: "H", HookStatus: "HOOK_COMPLETE_FAILED", HookFailureMode: "WARN" })])).toBeUndefined();
  });
});

describe("StackEventStream", () => {
  it("returns only events newer than the baseline, oldest first, across pages", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    try {
      const fake = new FakeRegion("eu-west-1", "app", { stack: { status: "UPDATE_COMPLETE" } });
      const baseline = await StackEventStream.newestEventId(fake.cfn, "app");
      for (let i = 0; i < 12; i++) fake.schedule([{ afterMs: 0, event: { LogicalResourceId: `R${i}`, ResourceType: "AWS::SNS::Topic", ResourceStatus: "UPDATE_COMPLETE" } }]);
      const stream = new StackEventStream(fake.cfn, "app", { baselineEventId: baseline });
      const first = await stream.poll();
      expect(first.map((e) => e.LogicalResourceId)).toEqual(Array.from({ length: 12 }, (_, i) => `R${i}`));
      fake.schedule([{ afterMs: 0, event: { LogicalResourceId: "Late", ResourceType: "AWS::SNS::Topic", ResourceStatus: "UPDATE_COMPLETE" } }]);
      expect((await stream.poll()).map((e) => e.LogicalResourceId)).toEqual(["Late"]);
      expect(await stream.poll()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

beforeEach(() => undefined);
afterEach(() => vi.useRealTimers());
