import {
  ConflictException,
  CreateCanaryCommand,
  DescribeCanariesCommand,
  DescribeRuntimeVersionsCommand,
  GetCanaryCommand,
  GetCanaryRunsCommand,
  StartCanaryCommand,
  SyntheticsClient,
  UpdateCanaryCommand,
  type Canary,
  type CanaryRun,
} from "@aws-sdk/client-synthetics";
import { mockAws } from "../../support/aws-mock.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deployAndRunCanary, type CanarySpec } from "../../../src/aws/synthetics/canary.js";
import { loadDryRunCommands } from "../../../src/aws/synthetics/dry-run.js";
import { packageNodeCanary } from "../../../src/aws/synthetics/package.js";
import { placeboRuns } from "../../support/synthetics.js";
import { settle } from "../../support/virtual-clock.js";

const { GetDryRunRunsCommand, PromoteDryRunCommand, StartCanaryDryRunCommand } = await loadDryRunCommands();

const synthetics = mockAws(SyntheticsClient);
const client = new SyntheticsClient({ region: "eu-west-1" });

// The recorded run started at 2025-10-05T14:14:09.269Z; the pipeline "starts" the canary just before.
const START = new Date("2025-10-05T14:14:00Z");

const spec: CanarySpec = {
  name: "test_canary_delete",
  code: packageNodeCanary("synthetics/canary.js", "exports.handler = async () => {};", "canary.handler", "syn-nodejs-playwright"),
  runtimeFamily: "syn-nodejs-playwright",
  schedule: "rate(5 minutes)",
  executionRoleArn: "arn:aws:iam::123456789012:role/canary",
  artifactS3Location: "s3://artifacts/canary",
  environment: { TARGET_URL: "https://gamma.example.com" },
  runTimeoutSeconds: 60,
};
const timings = { pollMs: 1_000, stateTimeoutMs: 30_000, runTimeoutMs: 60_000, conflictAttempts: 3, conflictBackoffMs: 2_000 };

const runtimes = {
  RuntimeVersions: [
    { VersionName: "syn-nodejs-playwright-1.0", ReleaseDate: new Date("2024-11-01"), DeprecationDate: new Date("2025-06-01") },
    { VersionName: "syn-nodejs-playwright-2.0", ReleaseDate: new Date("2025-03-01") },
    { VersionName: "syn-nodejs-puppeteer-9.1", ReleaseDate: new Date("2025-05-01") },
  ],
};

function canary(state: string, extra: Partial<Canary["Status"]> = {}): { Canary: Canary } {
  return { Canary: { Name: spec.name, Status: { State: state as never, ...extra } } };
}

function failedRun(): CanaryRun {
  const run = placeboRuns()[0] as CanaryRun;
  return { ...run, Status: { State: "FAILED", StateReason: "TimeoutError: waiting for selector `#fruit-list` failed", StateReasonCode: "CANARY_FAILURE" } };
}

beforeEach(() => {
  synthetics.reset();
  vi.useFakeTimers({ now: START });
  synthetics.on(DescribeRuntimeVersionsCommand).resolves(runtimes);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("deployAndRunCanary: a new canary", () => {
  beforeEach(() => {
    synthetics.on(DescribeCanariesCommand).resolves({ Canaries: [] });
    synthetics.on(CreateCanaryCommand).resolves({});
  });

  it("creates it with the newest runtime, starts it and passes on a run newer than the start", async () => {
    synthetics
      .on(GetCanaryCommand)
      .resolvesOnce(canary("CREATING"))
      .resolvesOnce(canary("READY"))
      .resolvesOnce(canary("READY"))
      .resolvesOnce(canary("STARTING"))
      .resolves(canary("RUNNING"));
    synthetics.on(StartCanaryCommand).resolves({});
    const old: CanaryRun = { ...(placeboRuns()[0] as CanaryRun), Id: "old", Timeline: { Started: new Date("2025-10-05T13:00:00Z") } };
    synthetics
      .on(GetCanaryRunsCommand)
      .resolvesOnce({ CanaryRuns: [old] })
      .resolvesOnce({ CanaryRuns: [{ ...old, Id: "new", Status: { State: "RUNNING" }, Timeline: { Started: new Date("2025-10-05T14:14:09Z") } }, old] })
      .resolves({ CanaryRuns: placeboRuns() });

    const report = await settle(deployAndRunCanary(client, spec, { timings }));

    expect(report.passed).toBe(true);
    expect(report.action).toBe("created");
    expect(report.runtimeVersion).toBe("syn-nodejs-playwright-2.0");
    expect(report.run).toMatchObject({ id: "0f73664c-b225-4622-89e9-48a890f2face", state: "PASSED", startedAt: "2025-10-05T14:14:09.269Z" });
    const create = synthetics.commandCalls(CreateCanaryCommand)[0]?.args[0].input;
    expect(create).toMatchObject({
      Name: spec.name,
      RuntimeVersion: "syn-nodejs-playwright-2.0",
      Code: { Handler: "canary.handler" },
      Schedule: { Expression: "rate(5 minutes)" },
      RunConfig: { EnvironmentVariables: { TARGET_URL: "https://gamma.example.com" } },
    });
    expect(create?.Code?.ZipFile).toBeInstanceOf(Uint8Array);
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(1);
    // Left running on its schedule: nothing stopped it.
    expect(synthetics.calls().some((c) => c.args[0].constructor.name === "StopCanaryCommand")).toBe(false);
  });

  it("fails on a FAILED run, with the run's reason and reason code", async () => {
    synthetics.on(GetCanaryCommand).resolvesOnce(canary("READY")).resolvesOnce(canary("READY")).resolves(canary("RUNNING"));
    synthetics.on(StartCanaryCommand).resolves({});
    synthetics.on(GetCanaryRunsCommand).resolves({ CanaryRuns: [failedRun()] });

    const report = await settle(deployAndRunCanary(client, spec, { timings }));

    expect(report.passed).toBe(false);
    expect(report.run).toMatchObject({ state: "FAILED", reasonCode: "CANARY_FAILURE" });
    expect(report.run.reason).toContain("#fruit-list");
  });

  it("gives up with a clear timeout when the canary stays in CREATING", async () => {
    synthetics.on(GetCanaryCommand).resolves(canary("CREATING", { StateReasonCode: "CREATE_IN_PROGRESS" }));

    await expect(settle(deployAndRunCanary(client, spec, { timings }))).rejects.toThrow(/still CREATING after 30 s/);
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(0);
    // Bounded: one poll per second for 30 s, not forever.
    expect(synthetics.commandCalls(GetCanaryCommand).length).toBeLessThanOrEqual(32);
  });

  it("fails with the StateReason when the canary goes to ERROR because of its role", async () => {
    synthetics
      .on(GetCanaryCommand)
      .resolvesOnce(canary("CREATING"))
      .resolves(
        canary("ERROR", {
          StateReasonCode: "CREATE_FAILED",
          StateReason: "The role defined for the function cannot be assumed by Lambda.",
        }),
      );

    const err = (await settle(deployAndRunCanary(client, spec, { timings })).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/ERROR \(CREATE_FAILED\): The role defined for the function cannot be assumed by Lambda/);
    expect(err.message).toMatch(/execution role/);
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(0);
  });

  it("retries StartCanary after a ConflictException", async () => {
    synthetics.on(GetCanaryCommand).resolvesOnce(canary("READY")).resolvesOnce(canary("READY")).resolves(canary("RUNNING"));
    synthetics
      .on(StartCanaryCommand)
      .rejectsOnce(new ConflictException({ message: "Canary is in UPDATING state", $metadata: {} }))
      .resolves({});
    synthetics.on(GetCanaryRunsCommand).resolves({ CanaryRuns: placeboRuns() });

    const report = await settle(deployAndRunCanary(client, spec, { timings }));

    expect(report.passed).toBe(true);
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(2);
    expect(report.steps.join("\n")).toMatch(/StartCanary: ConflictException \(attempt 1\)/);
  });

  it("stops retrying after the bounded number of conflicts", async () => {
    synthetics.on(GetCanaryCommand).resolves(canary("READY"));
    synthetics.on(StartCanaryCommand).rejects(new ConflictException({ message: "busy", $metadata: {} }));

    await expect(settle(deployAndRunCanary(client, spec, { timings }))).rejects.toThrow(
      /canary test_canary_delete: Error: StartCanary still met a ConflictException after 3 attempts: busy/,
    );
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(3);
  });

  it("names the canary and keeps the AWS error when a call is refused", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: synthetics:CreateCanary"), { name: "AccessDeniedException" });
    synthetics.on(CreateCanaryCommand).rejects(denied);
    const err = (await settle(deployAndRunCanary(client, spec, { timings })).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { steps: string[] };
    expect(err.message).toBe("canary test_canary_delete: AccessDeniedException: User is not authorized to perform: synthetics:CreateCanary");
    expect(err.steps).toEqual(["runtime syn-nodejs-playwright-2.0", "failed: AccessDeniedException: User is not authorized to perform: synthetics:CreateCanary"]);
  });

  it("times out when no run newer than the start finishes", async () => {
    synthetics.on(GetCanaryCommand).resolvesOnce(canary("READY")).resolvesOnce(canary("READY")).resolves(canary("RUNNING"));
    synthetics.on(StartCanaryCommand).resolves({});
    const stale: CanaryRun = { ...(placeboRuns()[0] as CanaryRun), Timeline: { Started: new Date("2025-10-05T10:00:00Z") } };
    synthetics.on(GetCanaryRunsCommand).resolves({ CanaryRuns: [stale] });

    await expect(settle(deployAndRunCanary(client, spec, { timings }))).rejects.toThrow(/no finished run newer than the start after 60 s/);
  });
});

describe("deployAndRunCanary: an existing canary gets new code through a dry run", () => {
  const dryRunId = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
  beforeEach(() => {
    synthetics.on(DescribeCanariesCommand).resolves({ Canaries: [{ Name: spec.name }] });
    // Base class first: the dry-run commands extend UpdateCanary/GetCanaryRuns, the later stubs win.
    synthetics.on(UpdateCanaryCommand).rejects(new Error("plain UpdateCanary must not be used"));
    synthetics.on(StartCanaryDryRunCommand).resolves({ DryRunConfig: { DryRunId: dryRunId } } as never);
    synthetics.on(PromoteDryRunCommand).resolves({});
  });

  it("promotes the dry run when it passes, then waits for the next scheduled run", async () => {
    synthetics.on(GetCanaryCommand).resolves(canary("RUNNING"));
    synthetics.on(GetCanaryRunsCommand).resolves({ CanaryRuns: placeboRuns() });
    synthetics.on(GetDryRunRunsCommand).resolves({ CanaryRuns: placeboRuns().map((r) => ({ ...r, Id: "dry" })) });

    const report = await settle(deployAndRunCanary(client, spec, { timings }));

    expect(report).toMatchObject({ action: "updated", passed: true, dryRun: { id: dryRunId, run: { id: "dry", state: "PASSED" } } });
    const dry = synthetics.commandCalls(StartCanaryDryRunCommand)[0]?.args[0].input;
    expect(dry).toMatchObject({ Name: spec.name, RuntimeVersion: "syn-nodejs-playwright-2.0", Code: { Handler: "canary.handler" } });
    expect(synthetics.commandCalls(GetDryRunRunsCommand)[0]?.args[0].input).toMatchObject({ DryRunId: dryRunId });
    expect(synthetics.commandCalls(PromoteDryRunCommand)[0]?.args[0].input).toEqual({
      Name: spec.name,
      DryRunId: dryRunId,
      ScheduleExpression: "rate(5 minutes)",
    });
    // Already RUNNING on its schedule: not started again.
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(0);
  });

  it("keeps the running canary's code when the dry run fails", async () => {
    synthetics.on(GetCanaryCommand).resolves(canary("RUNNING"));
    synthetics.on(GetDryRunRunsCommand).resolves({ CanaryRuns: [failedRun()] });

    await expect(settle(deployAndRunCanary(client, spec, { timings }))).rejects.toThrow(
      /dry run of the new code failed \(FAILED: CANARY_FAILURE: .*#fruit-list.*\); the running canary keeps its previous code/,
    );
    expect(synthetics.commandCalls(PromoteDryRunCommand)).toHaveLength(0);
    expect(synthetics.commandCalls(StartCanaryCommand)).toHaveLength(0);
  });
});

describe("runtime choice", () => {
  it("refuses a pinned deprecated runtime before touching the canary", async () => {
    synthetics.on(DescribeCanariesCommand).resolves({ Canaries: [] });
    await expect(settle(deployAndRunCanary(client, { ...spec, runtimeVersion: "syn-nodejs-playwright-1.0" }, { timings }))).rejects.toThrow(
      /syn-nodejs-playwright-1.0" was deprecated on 2025-06-01/,
    );
    expect(synthetics.commandCalls(CreateCanaryCommand)).toHaveLength(0);
  });
});
