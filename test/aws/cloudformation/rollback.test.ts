import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deployStack, type StackDeployRequest } from "../../../src/aws/cloudformation/deployer.js";
import { rollbackStack, type RollbackRequest } from "../../../src/aws/cloudformation/rollback.js";
import { FakeRegion, drive, type RegionScenario } from "../../support/fake-aws.js";
import { GUARD_ONLY_PROTECTION } from "../../support/protection.js";

beforeEach(() => vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") }));
afterEach(() => vi.useRealTimers());

function rollback(scenario: RegionScenario, over: Partial<RollbackRequest> = {}) {
  const fake = new FakeRegion("eu-west-1", "app", scenario);
  const lines: string[] = [];
  const run = () =>
    drive(
      rollbackStack({
        client: fake.cfn,
        region: "eu-west-1",
        stackName: "app",
        createdInThisRun: false,
        changeSetName: "dpra-r1",
        terminationProtection: false,
        pollMs: 2000,
        timeoutMs: 600_000,
        log: (l) => lines.push(l),
        ...over,
      }),
      vi,
    );
  return { fake, lines, run };
}

const snapshot = {
  stackName: "app",
  status: "UPDATE_COMPLETE",
  templateBody: "PREVIOUS",
  parameters: [{ ParameterKey: "ImageUri", ParameterValue: "old" }],
  capabilities: ["CAPABILITY_IAM" as const],
  tags: [{ Key: "team", Value: "fruit" }],
};

describe("rollbackStack picks the API the stack status allows", () => {
  it("UPDATE_IN_PROGRESS (monitoring window): CancelUpdateStack, then CloudFormation rolls back", async () => {
    const { fake, run } = rollback({ stack: { status: "UPDATE_IN_PROGRESS" } });
    const r = await run();
    expect(r).toMatchObject({ ok: true, method: "cancel-update", finalStatus: "UPDATE_ROLLBACK_COMPLETE" });
    expect(fake.callsOf("CancelUpdateStack")[0]?.input.ClientRequestToken).toBe("dpra-r1-cancel");
  });

  it("UPDATE_FAILED: RollbackStack", async () => {
    const { fake, run } = rollback({ stack: { status: "UPDATE_FAILED" } });
    expect(await run()).toMatchObject({ ok: true, method: "rollback-stack", finalStatus: "UPDATE_ROLLBACK_COMPLETE" });
    expect(fake.callsOf("RollbackStack")).toHaveLength(1);
  });

  it("UPDATE_COMPLETE: redeploys the captured template and parameters, without rollback triggers", async () => {
    const { fake, run } = rollback({ stack: { status: "UPDATE_COMPLETE", template: "NEW" } }, { snapshot });
    expect(await run()).toMatchObject({ ok: true, method: "previous-template", finalStatus: "UPDATE_COMPLETE" });
    expect(fake.callsOf("CreateChangeSet")[0]?.input).toMatchObject({
      ChangeSetName: "dpra-r1-rollback",
      ChangeSetType: "UPDATE",
      TemplateBody: "PREVIOUS",
      Capabilities: ["CAPABILITY_IAM"],
      // The stack's tags go back as they were: an empty list would remove them all.
      Tags: [{ Key: "team", Value: "fruit" }],
      RollbackConfiguration: { RollbackTriggers: [], MonitoringTimeInMinutes: 0 },
    });
    expect(fake.callsOf("ExecuteChangeSet")[0]?.input.ClientRequestToken).toBe("dpra-r1-rollback-exec");
    expect(fake.stack?.template).toBe("PREVIOUS");
  });

  it("UPDATE_COMPLETE without a snapshot: says it cannot, and what to do", async () => {
    const { fake, run } = rollback({ stack: { status: "UPDATE_COMPLETE" } });
    const r = await run();
    expect(r).toMatchObject({ ok: false, method: "none" });
    expect(r.message).toContain("redeploy the previous version");
    expect(fake.callsOf("CreateChangeSet")).toEqual([]);
  });

  it("a stack created by this run is deleted", async () => {
    const { fake, run } = rollback({ stack: { status: "CREATE_COMPLETE" } }, { createdInThisRun: true });
    expect(await run()).toMatchObject({ ok: true, method: "delete-new-stack", finalStatus: "DELETE_COMPLETE" });
    expect(fake.stack).toBeUndefined();
  });

  it("...unless it has termination protection", async () => {
    const { fake, run } = rollback({ stack: { status: "CREATE_COMPLETE" } }, { createdInThisRun: true, terminationProtection: true });
    const r = await run();
    expect(r.ok).toBe(false);
    expect(r.message).toContain("termination protection");
    expect(fake.callsOf("DeleteStack")).toEqual([]);
  });

  it("already rolled back: nothing to do", async () => {
    const { fake, run } = rollback({ stack: { status: "UPDATE_ROLLBACK_COMPLETE" } });
    expect(await run()).toMatchObject({ ok: true, method: "none" });
    expect(fake.calls.filter((c) => c.command !== "DescribeStacks")).toEqual([]);
  });
});

describe("resuming the creation of a new stack", () => {
  it("executes our own change set on a REVIEW_IN_PROGRESS stack instead of deleting it", async () => {
    const fake = new FakeRegion("eu-west-1", "app", {});
    const req: StackDeployRequest = {
      client: fake.cfn,
      region: "eu-west-1",
      stackName: "app",
      templateBody: "T",
      parameters: {},
      tags: {},
      capabilities: [],
      rollbackAlarmArns: [],
      monitoringMinutes: 0,
      runId: "r9",
      preview: true,
      protection: GUARD_ONLY_PROTECTION,
      pollMs: 2000,
      waitInProgressMs: 60_000,
      timeoutMs: 600_000,
      log: () => undefined,
    };
    expect((await drive(deployStack(req), vi)).outcome).toBe("preview");
    expect(fake.stack?.StackStatus).toBe("REVIEW_IN_PROGRESS");
    const r = await drive(deployStack({ ...req, preview: false }), vi);
    expect(r).toMatchObject({ outcome: "created", resumed: true, createdInThisRun: true, stackStatus: "CREATE_COMPLETE" });
    expect(fake.callsOf("DeleteStack")).toEqual([]);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(1);
  });
});
